"""Each worker checks for jobs whose worker died, on a timer: no beat service to run."""

from __future__ import annotations

import logging
import threading

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)
_stop = threading.Event()


def _loop() -> None:
    from arena.jobs.services import jobs_reap_stale

    while not _stop.wait(settings.ARENA_JOB_REAP_EVERY_S):
        try:
            close_old_connections()  # the database may have restarted since the last round
            reaped = jobs_reap_stale()
            if reaped:
                log.warning("jobs %s lost their worker; marked failed", reaped)
        except Exception:  # the database may be down for a while: try again next round
            log.exception("could not check for stale jobs")


@worker_ready.connect
def start_reaper(**_: object) -> None:
    threading.Thread(target=_loop, name="job-reaper", daemon=True).start()


@worker_shutdown.connect
def stop_reaper(**_: object) -> None:
    _stop.set()
