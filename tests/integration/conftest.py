"""A real Celery worker process against the real PostgreSQL and Redis of `make integration`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Without the real servers these tests cannot run: skip them, or fail when required."""
    ready = os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get(
        "CELERY_BROKER_URL", ""
    ).startswith("redis")
    if ready:
        return
    if os.environ.get("ARENA_REQUIRE_SERVICES") == "1":
        raise pytest.UsageError("integration tests need DATABASE_URL (postgres) and Redis")
    skip = pytest.mark.skip(reason="needs PostgreSQL and Redis: run `make integration`")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


def _wait_for(log: Path, text: str, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError(f"worker did not start:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, media_root: Path) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """Start `celery -A tasks worker` on the test database; yields its log file."""
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="arena.settings.test",
        DJANGO_MEDIA_ROOT=str(media_root),
        CELERY_JOB_TIME_LIMIT="60",
    )
    log = media_root.parent / "worker.log"
    celery = [sys.executable, "-m", "celery", "-A", "tasks"]
    subprocess.run(
        [*celery, "purge", "-f", "-Q", "gpu,default"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    process = subprocess.Popen(
        [
            *celery,
            "worker",
            "-Q",
            "gpu,default",
            "-c",
            "1",
            "-n",
            "itest@%h",
            "--include",
            "tests.job_kinds",
            "--loglevel",
            "INFO",
            "--logfile",
            str(log),
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait_for(log, "ready.", process, seconds=90)
        yield log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
