"""Which code does each kind of job: the handler that each app registers for its own kind.

The worker's task runs whatever is registered for a job's kind (arena.jobs.running), so it knows
no app. Handlers that need only the web's light modules are registered by their app's
`AppConfig.ready`; those that need composer's models (torch) by the worker (`tasks.jobs`), since
arena never imports torch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from arena.jobs.models import Job

Progress = Callable[[float, str], None]
# A handler does one job: it gets the running job and a progress callback, and returns the
# job's result (JSON). An InputError's sentence becomes the job's error as it is.
JobHandler = Callable[[Job, Progress], dict[str, Any]]

_handlers: dict[str, JobHandler] = {}


def job_handler_register(*, kind: str, handler: JobHandler) -> None:
    """Make `handler` do the jobs of `kind` (a JobKind; tests add kinds of their own)."""
    _handlers[str(kind)] = handler


def job_handler_get(*, kind: str) -> JobHandler | None:
    return _handlers.get(str(kind))
