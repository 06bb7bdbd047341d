"""Every melody of the played corpus (composer.data.played: staccato, jittered, rubato, no tempo
map, overlapped, grace notes, swung, with rests) uploaded to a team and composed through the
site's job path by a real Celery worker, PostgreSQL and Redis: the stored piece has alto, tenor
and bass under at least 90 % of the melody, in its metrics and in its performance MIDI.

The worker here is the test's own, on its own queue, with stand-in models (played_models.py), so
the eleven pieces take seconds each; the shipped models harmonize the same corpus in
tests/composer/test_played_melodies.py."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pretty_midi
import pytest
from django.db import connection

from arena.accounts.models import User
from arena.jobs.models import JobStatus
from arena.submissions.models import Composition
from arena.submissions.services import composition_create, melody_create_from_upload
from composer.data.played import CORPUS, Playing, performance, tune_bars
from tests.composing_team import composing_team

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
QUEUE = "played"  # its own queue and worker: the suite's shared worker runs the shipped models
MIN_COVERAGE = 0.9
SECONDS = 12
SAMPLE_S = 0.01  # the stored performance is checked every 10 ms


@pytest.fixture(scope="module")
def played_worker(
    django_db_setup, django_db_blocker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """A worker on QUEUE with the stand-in models; yields the media folder it stores into."""
    media = tmp_path_factory.mktemp("played-media")
    log = media.parent / "played-worker.log"
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="arena.settings.test",
        DJANGO_MEDIA_ROOT=str(media),
        CELERY_JOB_TIME_LIMIT="60",
        ARENA_HARMONIZER_MODULES="tests.integration.played_models",
    )
    celery = [sys.executable, "-m", "celery", "-A", "tasks"]
    subprocess.run([*celery, "purge", "-f", "-Q", QUEUE], env=env, cwd=ROOT, check=True)
    command = [*celery, "worker", "-Q", QUEUE, "-c", "1", "-n", "played@%h"]
    command += ["--loglevel", "INFO", "--logfile", str(log)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not (log.exists() and "ready." in log.read_text(errors="replace")):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"worker did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield media
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _wait(composition: Composition, seconds: float = 60) -> Composition:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        composition.job.refresh_from_db()
        if composition.job.status in (JobStatus.DONE, JobStatus.FAILED):
            composition.refresh_from_db()
            return composition
        time.sleep(0.2)
    raise AssertionError(f"composition still {composition.job.status} after {seconds} s")


def performed_coverage(midi: pretty_midi.PrettyMIDI) -> dict[str, float]:
    """From a piece's performance MIDI, whose tracks are named "<Voice> - <Instrument>": the share
    of the melody's span (the soprano's first onset to its last note's end) in which each lower
    voice sounds on some instrument, and in which all three do ("all")."""
    voices: dict[str, list[pretty_midi.Note]] = {}
    for track in midi.instruments:
        voice = track.name.split(" - ")[0]
        voices.setdefault(voice, []).extend(track.notes)
    soprano = voices["Soprano"]
    start = min(n.start for n in soprano)
    end = max(n.end for n in soprano)
    times = np.arange(start, end, SAMPLE_S)

    def sounding(voice: str) -> np.ndarray:
        out = np.zeros(times.size, dtype=bool)
        for note in voices.get(voice, []):
            out |= (times >= note.start) & (times < note.end)
        return out

    lower = {voice: sounding(voice) for voice in ("Alto", "Tenor", "Bass")}
    shares = {voice: float(on.mean()) for voice, on in lower.items()}
    shares["all"] = float(np.logical_and.reduce(list(lower.values())).mean())
    return shares


@pytest.mark.parametrize("playing", CORPUS, ids=[p.name for p in CORPUS])
def test_every_played_melody_is_composed_in_full_by_the_worker(
    playing: Playing, played_worker: Path, make_user, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = played_worker
    settings.CELERY_GPU_QUEUE = QUEUE
    team = composing_team(make_user)
    nina = User.objects.get(username="nina")
    buffer = io.BytesIO()
    performance(playing).write(buffer)
    melody = melody_create_from_upload(
        team=team, user=nina, data=buffer.getvalue(), filename=f"{playing.name}.mid"
    )
    assert tune_bars(playing.slug) - 1 <= melody.bars <= tune_bars(playing.slug)

    composition = _wait(
        composition_create(melody=melody, user=nina, model="gan", seconds=SECONDS, seed=1)
    )

    assert composition.job.status == JobStatus.DONE, composition.job.error
    assert composition.metrics["lower_voice_coverage"] >= MIN_COVERAGE
    stored = pretty_midi.PrettyMIDI(str(played_worker / composition.midi.name))
    coverage = performed_coverage(stored)
    assert coverage["all"] >= MIN_COVERAGE, coverage
