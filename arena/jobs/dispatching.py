"""Sending jobs to the workers: the database is the queue of record, the broker holds only a few
messages.

At most ARENA_JOBS_IN_FLIGHT jobs of each Celery queue are sent and not finished; the next one is
chosen round-robin over teams (arena.jobs.fairness), so one team's twenty pieces never make the
others wait behind them. A job sent but still not started after ARENA_JOB_RESEND_AFTER_S lost its
message (a broker restarted without persistence) and is sent again. Each send bumps the job's
`dispatch_token`, which its message carries: a worker runs only the message with the current
token, so a resent job never runs twice.

Dispatchers run after a new job commits, after each job ends and on every worker's timer. They
take turns per queue (JobQueue), and claim a job with a conditional update, so two of them never
send one job twice; the messages go out once the claim has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from arena.jobs.fairness import fair_order
from arena.jobs.models import Job, JobQueue, JobStatus
from arena.jobs.selectors import jobs_in_flight, jobs_waiting, owner_loads, resend_cutoff

log = logging.getLogger(__name__)

Message = tuple[int, str, str, int]  # job id, kind, queue, token


def jobs_dispatch(*, queue: str) -> list[int]:
    """Send `queue`'s lost jobs again and its next jobs while there is room; returns their ids."""
    JobQueue.objects.get_or_create(name=queue)
    now = timezone.now()
    with transaction.atomic():
        # The first write of the transaction: dispatchers of this queue now wait for each other.
        JobQueue.objects.filter(name=queue).update(dispatched_at=now)
        queued = Job.objects.filter(queue=queue, status=JobStatus.QUEUED).order_by()
        lost = list(
            queued.filter(sent_at__lt=resend_cutoff(now=now))
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        room = settings.ARENA_JOBS_IN_FLIGHT - jobs_in_flight(queue=queue).count()
        picked: list[int] = []
        if room > 0:
            waiting = list(
                jobs_waiting(queue=queue)
                .select_for_update(skip_locked=True)
                .values_list("pk", "owner_key")
            )
            loads = owner_loads(queue=queue, owners={owner for _, owner in waiting})
            picked = fair_order(waiting, loads)[:room]
        claimed = [pk for pk in lost + picked if _claim(job_id=pk, now=now)]
        messages: list[Message] = list(
            Job.objects.filter(pk__in=claimed).values_list("pk", "kind", "queue", "dispatch_token")
        )
        transaction.on_commit(partial(_send, messages))
    if lost:
        log.warning("jobs %s were sent but never started; sent again", lost)
    return claimed


def jobs_dispatch_all() -> list[int]:
    """Dispatch every queue that has jobs queued (the workers' timer)."""
    queues = Job.objects.filter(status=JobStatus.QUEUED).order_by().values_list("queue", flat=True)
    return [pk for queue in sorted(set(queues)) for pk in jobs_dispatch(queue=queue)]


def jobs_dispatch_on_commit(*, queue: str) -> None:
    """Dispatch once the caller's transaction commits; a failure leaves it to the timer."""

    def dispatch() -> None:
        try:
            jobs_dispatch(queue=queue)
        except Exception:  # the job is recorded: the workers' timer sends it
            log.exception("could not dispatch queue %s now", queue)

    transaction.on_commit(dispatch)


def _claim(*, job_id: int, now: datetime) -> bool:
    """Mark a job sent with a new token, unless it started or ended meanwhile."""
    return bool(
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            sent_at=now, dispatch_token=F("dispatch_token") + 1
        )
    )


def job_sender() -> Callable[..., None]:
    """The sender (ARENA_JOB_SENDER), looked up when a job is sent, not when arena is imported:
    Celery stays out of the web code's imports, and arena never imports the worker's package."""
    return import_string(settings.ARENA_JOB_SENDER)


def job_sender_warm_up() -> None:
    """Load the sender and connect it to the broker before a web process serves (arena.wsgi):
    the import takes about 0.4 s and the first connection 0.2 s, which the first piece queued
    would otherwise wait for (ARENA_JOB_SENDER_WARM_UP)."""
    job_sender()
    import_string(settings.ARENA_JOB_SENDER_WARM_UP)()


def _send(messages: list[Message]) -> None:
    send = job_sender()
    for job_id, kind, queue, token in messages:
        try:
            send(job_id=job_id, kind=kind, queue=queue, token=token)
        except Exception:
            # The broker is unreachable: the job goes back in line for the next dispatcher.
            log.exception("could not send job %s to queue %s", job_id, queue)
            Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, dispatch_token=token).update(
                sent_at=None
            )
