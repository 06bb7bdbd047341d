"""The Celery application (`celery -A tasks worker`) and the jobs it runs.

Jobs are thin: they mark a job running, call a `composer` or `arena` service and record the
outcome.
"""

from tasks.celery_app import app

celery = app
__all__ = ["app", "celery"]
