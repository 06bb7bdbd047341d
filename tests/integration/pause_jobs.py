"""Imported by the worker of the broker-restart test (`celery worker --include`): a `pause` job
kind that only takes its time, so that many quick jobs are in line when the broker restarts."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from arena.jobs.models import Job
from tasks.handlers import HANDLERS


def pause(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    time.sleep(float(job.payload["seconds"]))
    return {"slept": job.payload["seconds"]}


HANDLERS["pause"] = pause
