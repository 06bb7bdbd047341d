"""The Celery task that runs every job, and the handlers of the kinds that need composer's models.

The task is an API of the site (HackSoft: "treat the task as an API"): it hands the message to
`arena.jobs.running.job_run`, which fetches the job, runs the handler registered for its kind and
records the outcome. Kinds whose work needs only the site's light modules are registered by their
app; the two that need torch are registered here, in the worker, since arena never imports it.
"""

from __future__ import annotations

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from arena.jobs.handlers import job_handler_register
from arena.jobs.models import JobKind
from arena.jobs.running import job_run
from tasks.celery_app import app
from tasks.compose import compose
from tasks.training import train_gan

job_handler_register(kind=JobKind.COMPOSE, handler=compose)
job_handler_register(kind=JobKind.TRAIN_GAN, handler=train_gan)


@app.task(
    name="tasks.run_job",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_JOB_TIME_LIMIT,
    time_limit=settings.CELERY_JOB_TIME_LIMIT + 30,
)
def run_job(job_id: int, kind: str, token: int | None = None) -> None:
    """Run the job if this message is its current one; then send the next job of its queue."""
    job_run(job_id=job_id, kind=kind, token=token, time_limit=SoftTimeLimitExceeded)


import tasks.priority  # noqa: E402 - each worker process yields the CPU to the site
import tasks.reaper  # noqa: E402 - each worker reaps the jobs of workers that died
import tasks.warm_up  # noqa: E402, F401 - each worker process loads its models as it starts
