"""The Celery application (`celery -A tasks worker`) and the jobs it runs.

One task runs every job: it hands the message to arena (`arena.jobs.running`), which runs the
handler registered for the job's kind and records the outcome. The handlers here, in the worker,
are those whose work needs composer's models (torch).
"""

from tasks.celery_app import app

celery = app
__all__ = ["app", "celery"]
