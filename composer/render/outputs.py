"""A composed piece's files: the MIDI performance, audio, piano roll, MusicXML and metrics JSON.

The metrics JSON sits beside the MIDI file (`piece.mid` -> `piece.json`): the summary, the form,
the models, the metrics of DESIGN §5 (NaN as null) and, when audio is written, its loudness and
peak. Each writer is imported only when its file is asked for, so a MIDI-only run stays light.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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


@dataclass
class WrittenPiece:
    paths: list[Path]  # every file written, the metrics JSON last
    report: dict[str, object]  # what the metrics JSON holds
    audio_error: Exception | None = None  # why the audio asked for is missing (RenderError)


def write_composition(
    composition: ComposedPiece,
    midi_path: str | Path,
    *,
    audio: str | Path | None = None,
    audio_copies: tuple[str | Path, ...] = (),
    roll: str | Path | None = None,
    sheet_music: str | Path | None = None,
) -> WrittenPiece:
    """Write the MIDI file, the metrics JSON beside it and the optional audio (and other formats
    of it, rendered once), piano roll and sheet music (MusicXML).

    The audio renders in a second thread while the roll and the score are drawn here: FluidSynth
    and the encoders are commands, so the two run on two cores. Audio that cannot be rendered
    (a RenderError) leaves every other file written and says why in `audio_error`."""
    midi_out = Path(midi_path)
    midi = performance(composition)
    midi.write(str(midi_out))
    written = [midi_out]
    title = composition.score.name or "Composition"
    with ThreadPoolExecutor(max_workers=1) as pool:
        rendering = None
        if audio is not None:
            from composer.render.audio import render_track

            rendering = pool.submit(render_track, midi, audio, copies=audio_copies, title=title)
        if roll is not None:
            from composer.render.roll import render_roll

            sections = [(s.kind, s.start) for s in composition.sections]
            render_roll(
                composition.score,
                roll,
                title=title,
                marked=composition.embellished,
                sections=sections,
            )
            written.append(Path(roll))
        if sheet_music is not None:
            from composer.render.notation import write_musicxml

            written.append(write_musicxml(composition.score, sheet_music, title=title))
        audio_stats, audio_error = None, None
        if rendering is not None:
            from composer.render.audio import RenderError

            try:
                audio_stats = rendering.result()
                written += [Path(audio), *map(Path, audio_copies)]  # type: ignore[arg-type]
            except RenderError as exc:
                audio_error = exc
    content = report(composition, audio_stats)
    metrics_out = midi_out.with_suffix(".json")
    metrics_out.write_text(json.dumps(content, indent=2) + "\n")
    written.append(metrics_out)
    return WrittenPiece(written, content, audio_error)
