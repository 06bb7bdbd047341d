"""Reads on jobs: what each queue holds, whose turn is next, and an event's queue for its
organisers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from arena.events.models import Event
from arena.jobs.fairness import OwnerLoad, fair_order
from arena.jobs.models import Job, JobStatus

RECENT_ENDED = 20  # ended jobs shown under the line, newest first


def jobs_in_flight(*, queue: str) -> QuerySet[Job]:
    """Jobs of `queue` sent to a worker and not finished: running, or sent and not started."""
    return Job.objects.filter(queue=queue).filter(
        Q(status=JobStatus.RUNNING) | Q(status=JobStatus.QUEUED, sent_at__isnull=False)
    )


def jobs_waiting(*, queue: str) -> QuerySet[Job]:
    """Jobs of `queue` not sent yet, oldest first."""
    return Job.objects.filter(queue=queue, status=JobStatus.QUEUED, sent_at=None).order_by(
        "created_at", "pk"
    )


def owner_loads(*, queue: str, owners: set[str]) -> dict[str, OwnerLoad]:
    in_flight = dict(
        jobs_in_flight(queue=queue)
        .filter(owner_key__in=owners)
        .order_by()
        .values_list("owner_key")
        .annotate(n=Count("pk"))
    )
    last_sent = dict(
        Job.objects.filter(queue=queue, owner_key__in=owners, sent_at__isnull=False)
        .order_by()
        .values_list("owner_key")
        .annotate(last=Max("sent_at"))
    )
    return {
        owner: OwnerLoad(
            in_flight=in_flight.get(owner, 0),
            last_sent=last_sent[owner].timestamp() if owner in last_sent else OwnerLoad.last_sent,
        )
        for owner in owners
    }


def queue_line(*, queue: str) -> list[int]:
    """The ids of `queue`'s waiting jobs in the order the dispatcher will send them."""
    waiting = list(jobs_waiting(queue=queue).values_list("pk", "owner_key"))
    loads = owner_loads(queue=queue, owners={owner for _, owner in waiting})
    return fair_order(waiting, loads)


def resend_cutoff(*, now: datetime | None = None) -> datetime:
    """A job sent before this and still not started has lost its message (the broker restarted
    without persistence, say) and is sent again."""
    return (now or timezone.now()) - timedelta(seconds=settings.ARENA_JOB_RESEND_AFTER_S)


def job_in_event(*, job_id: int, event: Event) -> bool:
    return Job.objects.filter(pk=job_id, event=event).exists()


def job_is_stuck(*, job: Job, now: datetime | None = None) -> bool:
    return (
        job.status == JobStatus.QUEUED
        and job.sent_at is not None
        and job.sent_at < resend_cutoff(now=now)
    )


def job_can_requeue(*, job: Job) -> bool:
    """A failed job may run again, and so may a queued one whose message seems lost."""
    return job.status == JobStatus.FAILED or job_is_stuck(job=job)


def job_can_cancel(*, job: Job) -> bool:
    return job.status == JobStatus.QUEUED


@dataclass(frozen=True)
class QueueRow:
    """A job as its event's organisers see it on the queue page."""

    job: Job
    label: str
    place: int | None  # 1 = the next job of its queue to be sent; None once sent
    can_requeue: bool
    can_cancel: bool
    stuck: bool


@dataclass(frozen=True)
class EventQueue:
    waiting: list[QueueRow]  # those sent to a worker, then those in line in the order they go
    running: list[QueueRow]
    ended: list[QueueRow]  # the failed first, then the latest done

    @property
    def empty(self) -> bool:
        return not (self.waiting or self.running or self.ended)


def queue_row(*, job: Job, place: int | None = None, now: datetime | None = None) -> QueueRow:
    return QueueRow(
        job=job,
        label=job.get_kind_display(),
        place=place,
        can_requeue=job_can_requeue(job=job),
        can_cancel=job_can_cancel(job=job),
        stuck=job_is_stuck(job=job, now=now),
    )


def event_queue(*, event: Event) -> EventQueue:
    """An event's jobs: those in line with their place in their queue (every event's jobs
    share the workers), those running, and those that ended, failed first."""
    now = timezone.now()
    jobs = Job.objects.filter(event=event).select_related("team", "created_by")

    queued = list(jobs.filter(status=JobStatus.QUEUED))
    places: dict[int, int] = {}
    for queue in {job.queue for job in queued if job.sent_at is None}:
        places |= {pk: n for n, pk in enumerate(queue_line(queue=queue), start=1)}
    unsent = sorted((j for j in queued if j.sent_at is None), key=lambda j: places.get(j.pk, 0))
    sent = sorted((j for j in queued if j.sent_at is not None), key=lambda j: j.sent_at)
    failed = jobs.filter(status=JobStatus.FAILED).order_by("-finished_at", "-pk")
    done = jobs.filter(status=JobStatus.DONE).order_by("-finished_at", "-pk")[:RECENT_ENDED]
    return EventQueue(
        waiting=[queue_row(job=j, now=now) for j in sent]
        + [queue_row(job=j, place=places.get(j.pk), now=now) for j in unsent],
        running=[
            queue_row(job=j, now=now)
            for j in jobs.filter(status=JobStatus.RUNNING).order_by("started_at")
        ],
        ended=[queue_row(job=j, now=now) for j in [*failed, *done]],
    )
