"""Faults on real servers: a worker killed with SIGKILL mid-generation leaves no job stuck in
`running`: another worker marks it failed with the reason, and a redelivered message for it is
dropped. (A SoundCloud outage: tests/arena/test_soundcloud.py, posting resumes after 5xx/429.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from arena.accounts.models import User
from arena.demo.services import demo_seed
from arena.events.models import Team
from arena.jobs.models import JobStatus
from arena.submissions.services import composition_create

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
QUEUE = "faults"  # its own queue, so the suite's shared worker never takes these jobs


def _worker(name: str, log: Path, media: Path, **extra: str) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="arena.settings.test",
        DJANGO_MEDIA_ROOT=str(media),
        CELERY_JOB_TIME_LIMIT="60",
        **extra,
    )
    command = [sys.executable, "-m", "celery", "-A", "tasks", "worker", "-Q", QUEUE, "-c", "1"]
    command += ["-n", f"{name}@%h", "--loglevel", "INFO", "--logfile", str(log)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if log.exists() and "ready." in log.read_text(errors="replace"):
            return process
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError(log.read_text(errors="replace")[-2000:])


def _wait_status(job, statuses: set[str], seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return
        time.sleep(0.2)
    raise AssertionError(f"job still {job.status} after {seconds} s")


def test_worker_killed_mid_generation_leaves_no_job_running(
    tmp_path, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import tasks.dispatch

    settings.MEDIA_ROOT = tmp_path
    send = tasks.dispatch.send
    monkeypatch.setattr(
        tasks.dispatch,
        "send",
        lambda **message: send(**{**message, "queue": QUEUE}),
    )
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "tasks", "purge", "-f", "-Q", QUEUE],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    demo = demo_seed(password=django_settings.DEMO_PASSWORD)
    team = Team.objects.get(event=demo["live"], name="Fugue State")
    slow = _worker(
        "slow",
        tmp_path / "slow.log",
        tmp_path,
        ARENA_HARMONIZER_MODULES="tests.integration.slow_models",
    )
    rescuer = None
    try:
        composition = composition_create(
            melody=team.melodies.get(), user=User.objects.get(username="alice"), seconds=10
        )
        job = composition.job
        _wait_status(job, {JobStatus.RUNNING}, 60)
        os.killpg(slow.pid, signal.SIGKILL)  # the worker and its child, mid-generation
        slow.wait(10)
        started = time.monotonic()
        rescuer = _worker(
            "rescuer",
            tmp_path / "rescuer.log",
            tmp_path,
            ARENA_JOB_STALE_AFTER_S="5",
            ARENA_JOB_REAP_EVERY_S="1",
        )
        _wait_status(job, {JobStatus.FAILED, JobStatus.DONE}, 60)
        assert job.status == JobStatus.FAILED and "worker stopped" in job.error
        assert time.monotonic() - started < 60  # well within the job's time limit
    finally:
        for process in (slow, rescuer):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
