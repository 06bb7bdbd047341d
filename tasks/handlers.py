"""Job handlers: thin calls into composer. Each takes the job and a progress callback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from arena.jobs.models import Job

Handler = Callable[[Job, Callable[[float, str], None]], dict[str, Any]]


def melody_analyse(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Read a melody from a MIDI file: what composer would take from it, and its warnings."""
    from composer.melody import extract_melody

    progress(0.1, "reading the MIDI file")
    path = Path(settings.MEDIA_ROOT) / job.payload["midi"]
    melody = extract_melody(path.read_bytes(), name=path.stem)
    score = melody.score
    progress(0.9, "done reading")
    return {
        "bars": melody.bars,
        "notes": melody.notes,
        "meter": f"{score.meter[0]}/{score.meter[1]}",
        "key": f"{'C C# D Eb E F F# G Ab A Bb B'.split()[score.tonic]} {score.mode}",
        "tempo_bpm": round(score.tempo_bpm, 1),
        "warnings": melody.warnings,
    }


HANDLERS: dict[str, Handler] = {"melody_analyse": melody_analyse}
