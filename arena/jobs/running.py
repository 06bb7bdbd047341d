"""A worker running one job's message: the whole body of the Celery task, free of Celery.

The job runs only when the message is its current one (arena.jobs.services.job_start); its
handler's outcome becomes the job's state, with an error the team can read; then the next job of
its queue is sent.
"""

from __future__ import annotations

import logging

from django.conf import settings

from arena.jobs import services as job_services
from arena.jobs.dispatching import jobs_dispatch
from arena.jobs.handlers import job_handler_get
from arena.jobs.models import Job
from composer.errors import InputError

log = logging.getLogger(__name__)


def job_run(
    *,
    job_id: int,
    kind: str,
    token: int | None = None,
    time_limit: type[BaseException] | None = None,
) -> None:
    """Run the job if this message is its current one; then send the next job of its queue.

    `time_limit` is the exception the worker raises when the job outlives its soft time limit."""
    try:
        _run(job_id=job_id, kind=kind, token=token, time_limit=time_limit)
    finally:
        _dispatch_next(job_id=job_id)


def _run(
    *, job_id: int, kind: str, token: int | None, time_limit: type[BaseException] | None
) -> None:
    handler = job_handler_get(kind=kind)
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
    except Exception as exc:
        if time_limit is not None and isinstance(exc, time_limit):
            limit = settings.CELERY_JOB_TIME_LIMIT
            job_services.job_fail(
                job_id=job_id, error=f"Stopped after its time limit of {limit} s."
            )
            return
        log.exception("job %s (%s) failed", job_id, kind)
        job_services.job_fail(job_id=job_id, error=f"Internal error: {type(exc).__name__}")
    else:
        job_services.job_finish(job_id=job_id, result=result)


def _dispatch_next(*, job_id: int) -> None:
    """A place in the job's queue is free: send the next job in line (else the timer will)."""
    try:
        queue = Job.objects.filter(pk=job_id).values_list("queue", flat=True).first()
        if queue is not None:
            jobs_dispatch(queue=queue)
    except Exception:
        log.exception("could not dispatch the next job after job %s", job_id)
