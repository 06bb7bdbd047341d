"""The Celery tasks. Each job kind maps to a handler that calls a composer or arena service."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from arena.jobs import services as job_services
from arena.jobs.models import Job
from composer.errors import InputError
from tasks.celery_app import app
from tasks.handlers import HANDLERS

log = logging.getLogger(__name__)

ProgressFn = Callable[[float, str], None]


@app.task(
    name="tasks.run_job",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_JOB_TIME_LIMIT,
    time_limit=settings.CELERY_JOB_TIME_LIMIT + 30,
)
def run_job(self: Any, job_id: int, kind: str) -> None:
    handler = HANDLERS.get(kind)
    if handler is None:
        job_services.job_fail(job_id=job_id, error=f"Unknown job kind {kind!r}.")
        return
    if not job_services.job_is_open(job_id=job_id):
        log.info("job %s already ended; its redelivered message is dropped", job_id)
        return
    job = job_services.job_start(job_id=job_id)

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


__all__ = ["Job", "ProgressFn", "run_job"]

import tasks.reaper  # noqa: E402, F401 - each worker reaps the jobs of workers that died
