"""Writes on jobs: the life-cycle queued → running → done | failed.

Sending the Celery message goes through `tasks.dispatch`, so this module stays free of Celery and
of torch; the web process only records what it asked for.
"""

from __future__ import annotations

from typing import Any

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
