"""Writes on jobs: the life-cycle queued → running → done | failed.

Sending the Celery message goes through `tasks.dispatch`, so this module stays free of Celery and
of torch; the web process only records what it asked for.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from arena.accounts.models import User
from arena.jobs.models import Job, JobStatus


def job_create(
    *, kind: str, payload: dict[str, Any], queue: str = "default", created_by: User | None = None
) -> Job:
    """Record a job and send it to its queue once the surrounding transaction has committed."""
    job = Job.objects.create(kind=kind, payload=payload, queue=queue, created_by=created_by)
    from tasks.dispatch import job_enqueue

    transaction.on_commit(lambda: job_enqueue(job_id=job.pk, kind=kind, queue=queue))
    return job


def job_start(*, job_id: int) -> Job:
    """Mark a job running; a retried job counts another attempt and forgets the last error."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.progress = 0.0
        job.error = ""
        job.save(update_fields=["status", "attempts", "started_at", "progress", "error"])
    return job


def job_progress(*, job_id: int, progress: float, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(progress=max(0.0, min(1.0, progress)), message=message)


def job_finish(*, job_id: int, result: dict[str, Any]) -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, progress=1.0, result=result, message="", finished_at=timezone.now()
    )


def job_fail(*, job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def job_stale_after_s() -> int:
    """A job running longer than this has lost its worker: the worker itself stops any job at
    CELERY_JOB_TIME_LIMIT + 30 s (the hard limit), so past it nobody is working on it."""
    return settings.ARENA_JOB_STALE_AFTER_S or settings.CELERY_JOB_TIME_LIMIT + 60


def job_is_open(*, job_id: int) -> bool:
    """Whether a job still waits for a worker: a message redelivered for a job that has already
    ended (done, or failed by the reaper) must not run it again."""
    return Job.objects.filter(pk=job_id, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).exists()


def jobs_reap_stale(*, now=None) -> list[int]:  # type: ignore[no-untyped-def]
    """Mark failed, with the reason, every job still `running` past its time limit: its worker
    was killed (or its machine lost) and the people waiting may try again."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=job_stale_after_s())
    stale = list(
        Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    if stale:
        Job.objects.filter(pk__in=stale, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            error="Its worker stopped before it finished (the machine was restarted or ran out "
            "of memory). Try again.",
            finished_at=now,
        )
    return stale
