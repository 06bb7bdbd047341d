"""The Celery tasks. Each job kind maps to a handler that calls a composer or arena service."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from arena.jobs import services as job_services
from arena.jobs.dispatching import jobs_dispatch
from arena.jobs.models import Job
from composer.errors import InputError
from tasks.celery_app import app
from tasks.handlers import HANDLERS

log = logging.getLogger(__name__)

ProgressFn = Callable[[float, str], None]


@app.task(
    name="tasks.run_job",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_JOB_TIME_LIMIT,
    time_limit=settings.CELERY_JOB_TIME_LIMIT + 30,
)
def run_job(job_id: int, kind: str, token: int | None = None) -> None:
    """Run the job if this message is its current one; then send the next job of its queue."""
    try:
        _run(job_id, kind, token)
    finally:
        _dispatch_next(job_id)


def _run(job_id: int, kind: str, token: int | None) -> None:
    handler = HANDLERS.get(kind)
    if handler is None:
        job_services.job_fail(job_id=job_id, error=f"Unknown job kind {kind!r}.")
        return
    job = job_services.job_start(job_id=job_id, token=token)
    if job is None:
        log.info("job %s: message %s dropped (the job ended or was sent again)", job_id, token)
        return

    def progress(fraction: float, message: str = "") -> None:
        job_services.job_progress(job_id=job_id, progress=fraction, message=message)

    try:
        result = handler(job, progress)
    except InputError as exc:
        job_services.job_fail(job_id=job_id, error=str(exc))
    except SoftTimeLimitExceeded:
        limit = settings.CELERY_JOB_TIME_LIMIT
        job_services.job_fail(job_id=job_id, error=f"Stopped after its time limit of {limit} s.")
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, kind)
        job_services.job_fail(job_id=job_id, error=f"Internal error: {type(exc).__name__}")
    else:
        job_services.job_finish(job_id=job_id, result=result)


def _dispatch_next(job_id: int) -> None:
    """A place in the job's queue is free: send the next job in line (else the timer will)."""
    try:
        queue = Job.objects.filter(pk=job_id).values_list("queue", flat=True).first()
        if queue is not None:
            jobs_dispatch(queue=queue)
    except Exception:
        log.exception("could not dispatch the next job after job %s", job_id)


__all__ = ["Job", "ProgressFn", "run_job"]

import tasks.reaper  # noqa: E402, F401 - each worker reaps the jobs of workers that died
