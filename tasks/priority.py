"""A worker process yields the CPU to the site it shares a machine with.

Composing keeps every core busy for seconds; a page or an upload needs a few milliseconds of
one. So each pool process lowers its own scheduling priority as it starts (Celery's
worker_process_init; `ARENA_WORKER_NICE`, default 10, 0 leaves it): on a machine that runs both,
requests are served first and the piece loses only the moments they take. A worker on a machine
of its own loses nothing, since nothing else asks for the cores.
"""

from __future__ import annotations

import logging
import os

from celery.signals import worker_process_init
from django.conf import settings

log = logging.getLogger(__name__)


def lower_priority(nice: int) -> int:
    """Raise this process's niceness by `nice` (never lowering it); the niceness now."""
    if nice > 0:
        try:
            return os.nice(nice)
        except OSError:  # a platform without niceness: the worker runs as it is
            log.warning("could not lower the worker's priority")
    return os.nice(0)


@worker_process_init.connect
def _yield_to_the_site(**_: object) -> None:
    log.info("worker process niceness %d", lower_priority(settings.ARENA_WORKER_NICE))
