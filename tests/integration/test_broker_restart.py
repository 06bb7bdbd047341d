"""Redis restarts without persistence (as in `scripts/services.sh`) while jobs of several teams
are in line: the messages it held are gone, yet every job ends done, and none runs twice.

The worker reconnects by itself; its timer sends again each job that was sent but never started
(arena.jobs.dispatching), with a new token, so a stale copy would be dropped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection

from arena.demo.services import demo_seed
from arena.events.models import Team
from arena.jobs.models import Job, JobStatus
from arena.jobs.services import job_create
from tests.job_kinds import PAUSE

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
QUEUE = "restart"  # its own queue, so the suite's shared worker never takes these jobs
JOBS = 12
PAUSE_S = 0.6
RESEND_AFTER_S = 3


def _env(**extra: str) -> dict[str, str]:
    db = connection.settings_dict
    return dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="arena.settings.test",
        **extra,
    )


def _worker(log: Path, media: Path) -> subprocess.Popen[bytes]:
    env = _env(
        DJANGO_MEDIA_ROOT=str(media),
        ARENA_JOB_RESEND_AFTER_S=str(RESEND_AFTER_S),
        ARENA_JOB_REAP_EVERY_S="0.5",
        ARENA_JOBS_IN_FLIGHT="2",
    )
    command = [sys.executable, "-m", "celery", "-A", "tasks", "worker", "-Q", QUEUE, "-c", "1"]
    command += ["-n", "restart@%h", "--include", "tests.job_kinds"]
    command += ["--loglevel", "INFO", "--logfile", str(log)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if log.exists() and "ready." in log.read_text(errors="replace"):
            return process
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError(log.read_text(errors="replace")[-2000:])


def _redis_restart() -> None:
    """Shut Redis down without saving, then start it again as scripts/services.sh does."""
    port = str(urlsplit(django_settings.CELERY_BROKER_URL).port)
    subprocess.run(["redis-cli", "-p", port, "shutdown", "nosave"], capture_output=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        ping = subprocess.run(["redis-cli", "-p", port, "ping"], capture_output=True, text=True)
        if "PONG" not in ping.stdout:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("Redis did not stop")
    time.sleep(1)  # long enough for the worker to notice
    env = _env(REDIS_PORT=port, PG_PORT=str(connection.settings_dict["PORT"]))
    script = ROOT / "scripts" / "services.sh"
    subprocess.run([script, "start"], env=env, check=True, capture_output=True)


def _done(jobs: list[int]) -> int:
    return Job.objects.filter(pk__in=jobs, status__in=(JobStatus.DONE, JobStatus.FAILED)).count()


def test_no_job_is_lost_or_run_twice_when_redis_restarts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "tasks", "purge", "-f", "-Q", QUEUE],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    demo_seed(password=django_settings.DEMO_PASSWORD)
    teams = list(Team.objects.order_by("pk"))[:3]
    worker = _worker(tmp_path / "worker.log", tmp_path)
    try:
        jobs = [
            job_create(kind=PAUSE, payload={"seconds": PAUSE_S}, queue=QUEUE, team=teams[i % 3]).pk
            for i in range(JOBS)
        ]
        deadline = time.monotonic() + 60
        while _done(jobs) < 3:
            assert time.monotonic() < deadline, "the first jobs never finished"
            time.sleep(0.1)
        _redis_restart()
        restarted_with = JOBS - _done(jobs)
        deadline = time.monotonic() + 90
        while _done(jobs) < JOBS and time.monotonic() < deadline:
            time.sleep(0.25)
        ended = list(Job.objects.filter(pk__in=jobs).order_by("pk"))
        log = (tmp_path / "worker.log").read_text(errors="replace")
        assert [j.status for j in ended] == [JobStatus.DONE] * JOBS, log[-3000:]
        assert [j.attempts for j in ended] == [1] * JOBS  # each started exactly once
        assert restarted_with >= 3
        # Messages were lost with Redis, and their jobs were sent again.
        assert any(j.dispatch_token > 1 for j in ended)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
