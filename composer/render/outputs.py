"""A Composition's files: the MIDI performance, audio, piano roll, MusicXML and metrics JSON.

The metrics JSON sits beside the MIDI file (`piece.mid` -> `piece.json`): the summary, the form,
the models, the metrics of DESIGN §5 (NaN as null) and, when audio is written, its loudness and
peak. Each writer is imported only when its file is asked for, so a MIDI-only run stays light.
"""

from __future__ import annotations

import json
from pathlib import Path

from composer.metrics import jsonable
from composer.pipeline import Composition


def performance(composition: Composition):  # a pretty_midi.PrettyMIDI
    from composer.instrumentation import perform

    return perform(
        composition.score,
        composition.sections,
        style=composition.style,
        tempo_curve=composition.plan.tempo_curve(),
        seed=composition.seed,
    )


def report(composition: Composition, audio: dict[str, float] | None = None) -> dict[str, object]:
    plan = composition.plan
    return {
        "summary": composition.summary,
        "style": composition.style,
        "seed": composition.seed,
        "models": composition.models,
        "tempo_bpm": round(composition.tempo_bpm, 2),
        "seconds": round(composition.seconds, 2),
        "repeats": plan.repeats,
        "trimmed_at_step": plan.trimmed_at,
        "reprise_from_step": plan.reprise_from,
        "sections": [
            {"kind": s.kind, "start": s.start, "end": s.end, "risk": round(s.risk, 3)}
            for s in composition.sections
        ],
        "embellished_notes": len(composition.embellished),
        "audio": audio,
        "metrics": jsonable(composition.metrics),
    }


def write_composition(
    composition: Composition,
    midi_path: str | Path,
    *,
    audio: str | Path | None = None,
    roll: str | Path | None = None,
    score: str | Path | None = None,
) -> list[Path]:
    """Write the MIDI file, the metrics JSON beside it and the optional audio, roll and score;
    returns the paths written."""
    midi_out = Path(midi_path)
    midi = performance(composition)
    midi.write(str(midi_out))
    written = [midi_out]
    title = composition.score.name or "Composition"
    audio_stats = None
    if audio is not None:
        from composer.mastering import render_track

        audio_stats = render_track(midi, audio, title=title)
        written.append(Path(audio))
    if roll is not None:
        from composer.render_roll import render_roll

        sections = [(s.kind, s.start) for s in composition.sections]
        render_roll(
            composition.score, roll, title=title, marked=composition.embellished, sections=sections
        )
        written.append(Path(roll))
    if score is not None:
        from composer.notation import write_musicxml

        written.append(write_musicxml(composition.score, score, title=title))
    metrics_out = midi_out.with_suffix(".json")
    metrics_out.write_text(json.dumps(report(composition, audio_stats), indent=2) + "\n")
    written.append(metrics_out)
    return written
