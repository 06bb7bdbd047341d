"""Sending a recorded job to its queue: the one place where web code touches Celery."""

from __future__ import annotations


def job_enqueue(*, job_id: int, kind: str, queue: str) -> None:
    from tasks.jobs import run_job

    run_job.apply_async(args=[job_id, kind], queue=queue)
