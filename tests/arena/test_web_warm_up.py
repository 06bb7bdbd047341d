"""A web process has imported its URLconf, read a melody and loaded the job sender before it
serves its first request, so the first upload it takes is as fast as the others (the slow first
read was the p95 of uploads under load) and so is the first piece it queues."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys, time
import arena.wsgi
sender_loaded = "tasks.jobs" in sys.modules
urls_loaded = "arena.urls" in sys.modules
from composer.midi.melody import extract_melody
data = open("fixtures/melodies/ode-to-joy.mid", "rb").read()
began = time.perf_counter()
read = extract_melody(data, name="ode")
print(json.dumps({"ms": 1000 * (time.perf_counter() - began), "notes": read.notes,
                  "sender_loaded": sender_loaded, "urls_loaded": urls_loaded,
                  "key": [read.score.tonic, read.score.mode]}))
"""


def _first_upload(warm: str) -> dict[str, object]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="arena.settings.test", ARENA_WARM_UP=warm)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, check=True
    ).stdout
    return json.loads(out.decode().strip().splitlines()[-1])


def test_a_web_process_reads_its_first_upload_as_fast_as_the_next() -> None:
    warm = _first_upload("1")
    cold = _first_upload("0")
    assert warm["notes"] == cold["notes"] == 62 and warm["key"] == cold["key"] == [2, "major"]
    assert float(warm["ms"]) < float(cold["ms"]) / 2, (warm, cold)
    # and the job sender (Celery) is loaded, so the first piece queued does not wait for it.
    assert warm["sender_loaded"] and not cold["sender_loaded"]
    # and the URLconf with every view (Django would import it on the first request).
    assert warm["urls_loaded"] and not cold["urls_loaded"]


def test_a_site_starts_while_the_broker_is_down() -> None:
    """The sender's warm-up finds no broker: it says so and the web process goes on serving; the
    first message will find the broker, or the dispatcher's timer will send it later."""
    probe = "import django; django.setup()\n"
    probe += "from arena.jobs.dispatching import job_sender_warm_up\njob_sender_warm_up()\n"
    probe += "print('serving')"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="arena.settings.test",
        CELERY_BROKER_URL="redis://127.0.0.1:9/0",  # nothing listens on the discard port
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert done.stdout.decode().strip().endswith("serving")
    assert b"job sender not connected to the broker yet" in done.stderr
