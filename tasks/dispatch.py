"""The job sender (ARENA_JOB_SENDER): hands one job's message to its Celery queue.

Which job goes when is `arena.jobs.dispatching`'s choice; the message carries the job's id and
the dispatch token that lets the worker tell the current message from a stale one.
"""

from __future__ import annotations

from tasks.jobs import run_job  # Celery and the task: the site loads this module as it starts


def send(*, job_id: int, kind: str, queue: str, token: int | None = None) -> None:
    run_job.apply_async(args=[job_id, kind, token], queue=queue)
