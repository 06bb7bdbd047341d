"""Writes on jobs: the life-cycle queued → running → done | failed, and the organisers' requeue
and cancel.

Sending the Celery messages is `arena.jobs.dispatching`'s work (through the ARENA_JOB_SENDER),
so this module stays free of Celery and of torch; the web process only records what it asked for.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from arena.accounts.models import User
from arena.events.models import Event, Team
from arena.events.selectors import user_runs_event
from arena.jobs.dispatching import jobs_dispatch_on_commit
from arena.jobs.models import Job, JobKind, JobStatus
from arena.jobs.selectors import job_can_cancel, job_can_requeue

OPEN = (JobStatus.QUEUED, JobStatus.RUNNING)


def owner_key_of(*, team: Team | None, user: User | None) -> str:
    """Whose turn a job takes: its team's, else the person's who asked for it."""
    if team is not None:
        return f"team:{team.pk}"
    return f"user:{user.pk}" if user is not None else ""


def job_create(
    *,
    kind: JobKind,
    payload: dict[str, Any],
    queue: str = "default",
    created_by: User | None = None,
    team: Team | None = None,
    event: Event | None = None,
) -> Job:
    """Record a job for `team` (or for `created_by`) and dispatch its queue once the surrounding
    transaction has committed: it is sent at once when its queue has room, else in its turn."""
    job = Job.objects.create(
        kind=kind,
        payload=payload,
        queue=queue,
        created_by=created_by,
        team=team,
        event=event or (team.event if team is not None else None),
        owner_key=owner_key_of(team=team, user=created_by),
    )
    jobs_dispatch_on_commit(queue=queue)
    return job


def job_start(*, job_id: int, token: int | None = None) -> Job | None:
    """Mark a job running for the message that carries `token`; a retried job counts another
    attempt and forgets the last error.

    None when this message must not run it: the job has ended (a redelivery after the reaper or
    an organiser stepped in), or a newer message was sent for it (this one is a stale duplicate
    of a resend). The current message delivered again after its worker died runs it again.
    Messages sent before tokens existed carry none and are run as before."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in OPEN:
            return None
        if token is not None and token != job.dispatch_token:
            return None
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


# The organisers' queue ---------------------------------------------------------------------------


def _organised_job(*, job_id: int, user: User) -> Job:
    """The job, locked, when `user` runs its event; for anyone else it does not exist."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.event_id is None:
        raise Job.DoesNotExist(f"No job {job_id}.")
    if not user_runs_event(user=user, event=Event.objects.get(pk=job.event_id)):
        raise PermissionDenied("Only the event's organisers manage its queue.")
    return job


@transaction.atomic
def job_requeue(*, job_id: int, user: User) -> Job:
    """Put a failed job (or a queued one whose message was lost) back in line: it runs again
    with a fresh attempt when its turn comes."""
    job = _organised_job(job_id=job_id, user=user)
    if not job_can_requeue(job=job):
        raise ValidationError(
            "Only a failed job, or one sent to a worker that has not started it, can be requeued."
        )
    job.status = JobStatus.QUEUED
    job.error = ""
    job.message = ""
    job.progress = 0.0
    job.sent_at = None
    job.finished_at = None
    job.save(update_fields=["status", "error", "message", "progress", "sent_at", "finished_at"])
    jobs_dispatch_on_commit(queue=job.queue)
    return job


@transaction.atomic
def job_cancel(*, job_id: int, user: User) -> Job:
    """Take a queued job out of line: it ends failed, saying who cancelled it; a message already
    sent for it is dropped by the worker."""
    job = _organised_job(job_id=job_id, user=user)
    if not job_can_cancel(job=job):
        raise ValidationError("Only a job still waiting in line can be cancelled.")
    job.status = JobStatus.FAILED
    job.error = f"Cancelled by {user}."
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    jobs_dispatch_on_commit(queue=job.queue)  # its place goes to the next in line
    return job
