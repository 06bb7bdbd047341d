"""The site's gunicorn settings are read from gunicorn.conf.py wherever gunicorn is started from
the project (the Dockerfile, docker-compose, `make load`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_gunicorn_runs_three_processes_of_eight_threads_each_on_its_own_socket() -> None:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    printed = subprocess.run(
        [str(gunicorn), "--print-config", "arena.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    settings = dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in printed.splitlines())
    )
    assert settings["config"] == "./gunicorn.conf.py"
    assert (settings["workers"], settings["threads"], settings["reuse_port"]) == ("3", "8", "True")
