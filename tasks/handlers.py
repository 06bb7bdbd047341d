"""Job handlers: thin calls into composer. Each takes the job and a progress callback."""

from __future__ import annotations

import importlib
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from arena.jobs.models import Job

Handler = Callable[[Job, Callable[[float, str], None]], dict[str, Any]]
log = logging.getLogger(__name__)


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


def _load_extra_harmonizers() -> None:
    """Import the modules named in ARENA_HARMONIZER_MODULES (comma-separated): each registers
    harmonizers with composer.evaluate.register_harmonizer (a deployment's own models, or a
    stand-in for tests)."""
    for module in filter(
        None, (m.strip() for m in os.environ.get("ARENA_HARMONIZER_MODULES", "").split(","))
    ):
        importlib.import_module(module)


def compose(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Compose a team's piece with the chosen model and style (composer.studio) and store its
    files on the Composition through an arena service."""
    import pretty_midi

    from arena.submissions.models import Composition
    from arena.submissions.services import composition_attach_outputs
    from composer.metrics import jsonable
    from composer.midi_io import midi_to_score
    from composer.studio import compose_piece

    composition = Composition.objects.select_related("melody", "team_model").get(job=job)
    progress(0.02, "reading the melody")
    with composition.melody.midi.open("rb") as handle:  # any storage backend, not only disks
        melody = midi_to_score(pretty_midi.PrettyMIDI(handle))
    _load_extra_harmonizers()
    model = composition.model
    if composition.team_model is not None:  # a team's own GAN, registered on demand
        from tasks.training import team_model_register

        model = team_model_register(composition.team_model)
    with tempfile.TemporaryDirectory(prefix="compose-") as folder:
        piece = compose_piece(
            melody,
            folder,
            model=model,
            style=composition.style,
            risk=composition.risk,
            seed=composition.seed,
            seconds=composition.seconds,
            title=composition.melody.title,
            progress=progress,
        )
        progress(0.95, "saving")
        metrics = jsonable(piece.metrics)
        composition = composition_attach_outputs(
            composition_id=composition.pk,
            midi=piece.midi,
            roll=piece.roll,
            audio=piece.audio,
            metrics=metrics,
            score=piece.score if piece.score.exists() else None,
        )
    for warning in piece.warnings:
        log.warning("composition %s: %s", composition.pk, warning)
    return {
        "composition_id": composition.pk,
        "midi": composition.midi.name,
        "roll": composition.roll.name,
        "audio": composition.audio.name or None,
        "score": composition.score.name or None,
        "seconds": round(piece.seconds, 1),
        "summary": piece.summary,
        "models": piece.models,
        "metrics": metrics,
        "warnings": piece.warnings,
    }


def soundcloud_publish(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Post an event's winners to SoundCloud (idempotent: see arena.publishing.services)."""
    from arena.publishing.services import publications_upload

    return publications_upload(
        event_id=job.payload["event_id"], user_id=job.payload["user_id"], progress=progress
    )


def train_gan(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Train a team's own GAN (tasks.training), live-reported and resumable."""
    from tasks.training import train_team_model

    return train_team_model(job, progress)


HANDLERS: dict[str, Handler] = {
    "melody_analyse": melody_analyse,
    "compose": compose,
    "soundcloud_publish": soundcloud_publish,
    "train_gan": train_gan,
}
