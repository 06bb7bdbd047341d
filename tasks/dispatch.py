"""The job sender (ARENA_JOB_SENDER): hands one job's message to its Celery queue.

Which job goes when is `arena.jobs.dispatching`'s choice; the message carries the job's id and
the dispatch token that lets the worker tell the current message from a stale one.
"""

from __future__ import annotations

import logging

from tasks.celery_app import app
from tasks.jobs import run_job  # Celery and the task: the site loads this module as it starts

log = logging.getLogger(__name__)


def send(*, job_id: int, kind: str, queue: str, token: int | None = None) -> None:
    run_job.apply_async(args=[job_id, kind, token], queue=queue)


def warm_up() -> None:
    """Connect the sender to the broker and declare the job queues, as the first message would
    (0.2 s), so that the first piece a web process queues is sent at once. A broker that cannot
    be reached now is left for the first message to find, and the dispatcher's timer to retry."""
    try:
        with app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            for queue in app.conf.task_queues:
                queue(producer.channel).declare()
    except Exception as exc:  # the site starts whether or not the broker answers
        log.warning("job sender not connected to the broker yet: %s", exc)
