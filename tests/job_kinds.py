"""Job kinds of the tests' own, registered like an app's (arena.jobs.handlers), so the job
machinery (dispatcher, worker, broker) is exercised with jobs that are quick and say what they
did. Unit tests import this module; the tests' workers load it with `celery worker --include`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings

from arena.jobs.handlers import Progress, job_handler_register
from arena.jobs.models import Job
from composer.midi.melody import extract_melody
from composer.theory import key_name

MELODY_READ = "melody_read"
PAUSE = "pause"


def melody_read(job: Job, progress: Progress) -> dict[str, Any]:
    """Read the MIDI file the payload names under MEDIA_ROOT as composer would (InputError for a
    bad file): its bars, notes and key."""
    progress(0.1, "reading the MIDI file")
    path = Path(settings.MEDIA_ROOT) / job.payload["midi"]
    melody = extract_melody(path.read_bytes(), name=path.stem)
    return {
        "bars": melody.bars,
        "notes": melody.notes,
        "key": key_name(melody.score.tonic, melody.score.mode),
    }


def pause(job: Job, progress: Progress) -> dict[str, Any]:
    """Only take the payload's seconds, so that many quick jobs can stand in line."""
    time.sleep(float(job.payload["seconds"]))
    return {"slept": job.payload["seconds"]}


job_handler_register(kind=MELODY_READ, handler=melody_read)
job_handler_register(kind=PAUSE, handler=pause)
