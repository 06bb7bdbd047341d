"""Each worker keeps the queue moving on a timer, so no beat service has to run: it marks failed
the jobs whose worker died, then dispatches every queue, which also sends again the jobs whose
message the broker lost (arena.jobs.dispatching)."""

from __future__ import annotations

import logging
import threading

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)
_stop = threading.Event()


def _loop() -> None:
    from arena.jobs.dispatching import jobs_dispatch_all
    from arena.jobs.services import jobs_reap_stale

    while not _stop.wait(settings.ARENA_JOB_REAP_EVERY_S):
        try:
            close_old_connections()  # the database may have restarted since the last round
            reaped = jobs_reap_stale()
            if reaped:
                log.warning("jobs %s lost their worker; marked failed", reaped)
            jobs_dispatch_all()
        except Exception:  # the database or broker may be down for a while: try next round
            log.exception("could not check the job queues")


@worker_ready.connect
def start_reaper(**_: object) -> None:
    threading.Thread(target=_loop, name="job-reaper", daemon=True).start()


@worker_shutdown.connect
def stop_reaper(**_: object) -> None:
    _stop.set()
