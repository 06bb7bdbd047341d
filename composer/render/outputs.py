"""A composed piece's files: the MIDI performance, audio, piano roll, MusicXML and metrics JSON.

The metrics JSON sits beside the MIDI file (`piece.mid` -> `piece.json`): the summary, the form,
the models, the metrics of DESIGN §5 (NaN as null) and, when audio is written, its loudness and
peak. Each writer is imported only when its file is asked for, so a MIDI-only run stays light.
"""

from __future__ import annotations

import json
from pathlib import Path

from composer.compose.pipeline import ComposedPiece
from composer.metrics import jsonable
from composer.metrics.bach_audit import bach_audit, section_audits


def performance(composition: ComposedPiece):  # a pretty_midi.PrettyMIDI
    from composer.render.instrumentation import perform

    return perform(
        composition.score,
        composition.sections,
        style=composition.style,
        tempo_curve=composition.plan.tempo_curve(),
        seed=composition.seed,
    )


def report(composition: ComposedPiece, audio: dict[str, float] | None = None) -> dict[str, object]:
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
        # What a teacher would mark, section by section, with Bach's rates beside.
        "audit": {
            "sections": section_audits(
                composition.score, [(s.kind, s.start, s.end) for s in composition.sections]
            ),
            "bach": bach_audit(),
        },
    }


def write_composition(
    composition: ComposedPiece,
    midi_path: str | Path,
    *,
    audio: str | Path | None = None,
    audio_copies: tuple[str | Path, ...] = (),
    roll: str | Path | None = None,
    sheet_music: str | Path | None = None,
) -> list[Path]:
    """Write the MIDI file, the metrics JSON beside it and the optional audio (and other formats
    of it, rendered once), piano roll and sheet music (MusicXML); returns the paths written."""
    midi_out = Path(midi_path)
    midi = performance(composition)
    midi.write(str(midi_out))
    written = [midi_out]
    title = composition.score.name or "Composition"
    audio_stats = None
    if audio is not None:
        from composer.render.audio import render_track

        audio_stats = render_track(midi, audio, copies=audio_copies, title=title)
        written += [Path(audio), *map(Path, audio_copies)]
    if roll is not None:
        from composer.render.roll import render_roll

        sections = [(s.kind, s.start) for s in composition.sections]
        render_roll(
            composition.score, roll, title=title, marked=composition.embellished, sections=sections
        )
        written.append(Path(roll))
    if sheet_music is not None:
        from composer.render.notation import write_musicxml

        written.append(write_musicxml(composition.score, sheet_music, title=title))
    metrics_out = midi_out.with_suffix(".json")
    metrics_out.write_text(json.dumps(report(composition, audio_stats), indent=2) + "\n")
    written.append(metrics_out)
    return written
