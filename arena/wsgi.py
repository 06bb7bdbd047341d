import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "arena.settings.local")
application = get_wsgi_application()

# Each web process (gunicorn loads this module in every one) gets ready before it serves: it
# imports the URLconf and with it every view (Django does it on the first request: 0.8 s), reads
# a melody (the melody reader, arena.submissions.warm_up) and loads and connects the job sender
# (Celery and the broker), so no request pays for them.
if os.environ.get("ARENA_WARM_UP", "1") != "0":
    from django.urls import get_resolver

    from arena.jobs.dispatching import job_sender_warm_up
    from arena.submissions.warm_up import melody_reader_warm_up

    get_resolver().resolve("/")
    melody_reader_warm_up()
    job_sender_warm_up()
