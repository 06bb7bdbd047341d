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
MAX_REPEATS = 8  # a short melody is played at most this many times to reach the chosen length


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


def _repeat_to_length(melody: Any, seconds: float) -> Any:
    """The melody played as many times as it takes to last about `seconds` (at least once).

    Each repetition is padded with rests to whole bars so that bar lines stay where they were;
    the harmonizer sees every pass afresh, so the repeats are harmonized differently.
    """
    import numpy as np

    from composer.constants import REST, STEPS_PER_BEAT

    bar = melody.steps_per_bar
    length = -(-melody.n_steps // bar) * bar
    pad = length - melody.n_steps
    pitches = np.pad(melody.pitches, ((0, 0), (0, pad)), constant_values=REST)
    onsets = np.pad(melody.onsets, ((0, 0), (0, pad)), constant_values=False)
    one_pass = length / STEPS_PER_BEAT * 60.0 / melody.tempo_bpm
    repeats = max(1, min(MAX_REPEATS, round(seconds / one_pass)))
    if repeats == 1:
        return melody
    longer = melody.with_pitches(np.tile(pitches, repeats), np.tile(onsets, repeats))
    if melody.fermatas is not None:
        longer.fermatas = np.tile(np.pad(melody.fermatas, (0, pad)), repeats)
    return longer


def compose(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Harmonize a team's melody with the chosen model and render it: MIDI, piano roll, audio,
    metrics. The files end up on the Composition through an arena service."""
    import pretty_midi

    from arena.submissions.models import Composition
    from arena.submissions.services import composition_attach_outputs
    from composer.evaluate import get_harmonizer
    from composer.metrics import jsonable, piece_metrics
    from composer.midi_io import midi_to_score, write_midi
    from composer.render_audio import STYLE_PROGRAMS, RenderError, render_wav
    from composer.render_roll import render_roll

    composition = Composition.objects.select_related("melody").get(job=job)
    progress(0.05, "reading the melody")
    with composition.melody.midi.open("rb") as handle:  # any storage backend, not only disks
        melody = midi_to_score(pretty_midi.PrettyMIDI(handle))
    melody = _repeat_to_length(melody, composition.seconds)
    progress(0.1, f"loading the {composition.model} model")
    _load_extra_harmonizers()
    harmonize = get_harmonizer(composition.model)
    progress(0.2, "harmonizing")
    piece = harmonize(melody, seed=composition.seed)
    piece.name = composition.melody.title
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="compose-") as folder:
        out = Path(folder)
        progress(0.6, "writing MIDI")
        midi = write_midi(piece, out / "piece.mid", programs=STYLE_PROGRAMS[composition.style])
        progress(0.65, "drawing the piano roll")
        roll = render_roll(piece, out / "roll.png", title=composition.melody.title)
        progress(0.7, "rendering audio")
        audio: Path | None
        try:
            audio = render_wav(midi, out / "piece.wav")
        except RenderError as exc:
            # The MIDI and the piano roll are still worth having; say why there is no audio.
            log.warning("composition %s: no audio: %s", composition.pk, exc)
            warnings.append(f"No audio: {exc}.")
            audio = None
        progress(0.9, "measuring")
        metrics = jsonable(piece_metrics(piece))
        composition = composition_attach_outputs(
            composition_id=composition.pk, midi=midi, roll=roll, audio=audio, metrics=metrics
        )
    return {
        "composition_id": composition.pk,
        "midi": composition.midi.name,
        "roll": composition.roll.name,
        "audio": composition.audio.name or None,
        "seconds": round(piece.seconds(), 1),
        "metrics": metrics,
        "warnings": warnings,
    }


def soundcloud_publish(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Post an event's winners to SoundCloud (idempotent: see arena.publishing.services)."""
    from arena.publishing.services import publications_upload

    return publications_upload(
        event_id=job.payload["event_id"], user_id=job.payload["user_id"], progress=progress
    )


HANDLERS: dict[str, Handler] = {
    "melody_analyse": melody_analyse,
    "compose": compose,
    "soundcloud_publish": soundcloud_publish,
}
