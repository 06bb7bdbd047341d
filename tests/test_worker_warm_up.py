"""A worker's warm-up composes and renders a short piece, so the first team's piece finds
everything loaded: the models, and the renderers (FluidSynth's wrapper, the loudness meter,
matplotlib, music21's MusicXML writer)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, sys
import django
django.setup()
from tasks.warm_up import worker_warm_up
before = {name: name in sys.modules for name in ("torch", "matplotlib", "pyloudnorm")}
seconds = worker_warm_up()
after = {name: name in sys.modules for name in ("torch", "matplotlib", "pyloudnorm",
         "music21.musicxml.m21ToXml", "composer.render.audio")}
print(json.dumps({"before": before, "after": after, "seconds": seconds}))
"""


def test_the_warm_up_loads_the_models_and_the_renderers() -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="arena.settings.test", OMP_NUM_THREADS="1")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert b"warm-up failed" not in done.stderr, done.stderr.decode()[-2000:]
    found = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert not any(found["before"].values())
    assert all(found["after"].values()), found["after"]
