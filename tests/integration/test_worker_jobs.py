"""A job goes through the real broker to a real worker and back through the real database."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pretty_midi
import pytest

from arena.jobs.models import Job, JobStatus
from arena.jobs.services import job_create
from tests.job_kinds import MELODY_READ

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _wait_until_finished(job: Job, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
        time.sleep(0.25)
    raise AssertionError(f"job still {job.status} after {seconds} s")


def _scale_midi(path: Path) -> None:
    midi = pretty_midi.PrettyMIDI(initial_tempo=100)
    flute = pretty_midi.Instrument(program=73, name="Flute")
    beat = 60 / 100
    for i, pitch in enumerate([60, 62, 64, 65, 67, 69, 71, 72]):
        flute.notes.append(pretty_midi.Note(90, pitch, i * beat, (i + 1) * beat))
    midi.instruments.append(flute)
    midi.write(str(path))


def test_database_and_broker_are_the_real_servers(settings):
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_worker_reads_a_melody_end_to_end(celery_worker, media_root, settings):
    settings.MEDIA_ROOT = media_root
    _scale_midi(media_root / "scale.mid")
    job = job_create(kind=MELODY_READ, payload={"midi": "scale.mid"}, queue="gpu")
    job = _wait_until_finished(job)
    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 1
    assert job.progress == 1.0
    assert job.result["notes"] == 8
    assert job.result["bars"] == 2
    assert job.result["key"] == "C major"


def test_bad_midi_fails_with_a_clear_reason(celery_worker, media_root, settings):
    settings.MEDIA_ROOT = media_root
    (media_root / "broken.mid").write_bytes(b"MThd\x00\x00\x00\x06garbage")
    job = _wait_until_finished(job_create(kind=MELODY_READ, payload={"midi": "broken.mid"}))
    assert job.status == JobStatus.FAILED
    assert "MIDI" in job.error
    assert "Traceback" not in job.error


def test_the_worker_composes_at_a_lower_priority_than_the_site(celery_worker, settings):
    """The pool process that runs jobs lowered its own priority as it started (tasks.priority),
    so a site on the same machine is served first."""
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    pools = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            if b"itest@" in command:
                pools.append(os.getpriority(os.PRIO_PROCESS, int(entry.name)))
        except (OSError, ProcessLookupError):
            continue  # a process that ended while we looked
    assert settings.ARENA_WORKER_NICE == 10
    # The main worker process (it only takes messages) keeps our priority; its pool process,
    # the one that composes, is 10 lower.
    assert sorted(pools) == [ours, ours + 10]
    assert f"worker process niceness {ours + 10}" in celery_worker.read_text()
