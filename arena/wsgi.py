import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arena.settings.local")
application = get_wsgi_application()

# Each web process (gunicorn loads this module in every one) reads a melody and loads the job
# sender before it serves, so that no upload pays for loading the melody reader
# (arena.submissions.warm_up) and no piece for loading Celery and connecting to the broker.
if os.environ.get("ARENA_WARM_UP", "1") != "0":
    from arena.jobs.dispatching import job_sender_warm_up
    from arena.submissions.warm_up import melody_reader_warm_up

    melody_reader_warm_up()
    job_sender_warm_up()
