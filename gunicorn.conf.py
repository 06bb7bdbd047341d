"""gunicorn's settings for the site (read from the working directory: `gunicorn arena.wsgi`).

Three processes of eight threads. Each process listens on its own socket (SO_REUSEPORT), so the
kernel spreads new connections over them: with one shared socket, whichever process is awake
takes most keep-alive connections and serves them under its one interpreter lock while the others
idle (measured under `make load`: one process at 75 % of a core, two at 15 %).
"""

workers = 3
threads = 8
reuse_port = True
