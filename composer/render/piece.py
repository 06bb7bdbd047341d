"""One piece as the web studio asks for it: a model by name, a melody, and files in a folder.

The site's job handler calls `compose_piece` and stores what comes back; everything musical
happens in composer.compose.pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from composer.compose.pipeline import Progress, compose
from composer.score import Score

MODELS = ("hybrid", "gan", "arcnn")  # the shipped choices; other names are registered models


@dataclass
class PieceFiles:
    midi: Path
    roll: Path
    sheet_music: Path  # MusicXML
    audio: Path | None  # WAV, the download
    audio_compressed: Path | None  # MP3 of the same master, what the page plays
    summary: str
    seconds: float
    models: str
    metrics: dict[str, float]
    warnings: list[str] = field(default_factory=list)
    # The form in 16th-note steps, as composed, each section with its audit figures:
    # [{"kind": "statement", "start": 0, "end": 64, "audit_leaps_per_bar": 0.0, …}, …]
    sections: list[dict[str, object]] = field(default_factory=list)


def model_choice(name: str, device: str = "cpu") -> dict[str, Any]:
    """The pipeline's models for a model name: `hybrid` is the full pipeline (GAN draft, AR-CNN
    refinement and embellishment); any other name (`gan`, `arcnn`, a team's own model) is a
    harmonizer of composer.models.registry, followed by the embellished variations."""
    if name == "hybrid":
        return {}
    from composer.models.registry import get_harmonizer

    return {"harmonizer": get_harmonizer(name, device=device)}


def compose_piece(
    melody: Score,
    folder: str | Path,
    *,
    model: str = "hybrid",
    style: str = "baroque",
    risk: float = 1.0,
    seed: int = 0,
    seconds: float = 60.0,
    title: str = "",
    progress: Progress | None = None,
    device: str = "cpu",
) -> PieceFiles:
    """Compose on `device` and write piece.mid, piece.wav, piece.mp3, roll.png and
    score.musicxml into `folder`.

    Audio that cannot be rendered (no FluidSynth, soundfont or encoder) leaves the other files and
    says why in `warnings`, so a team still sees and downloads its piece."""
    from composer.render.outputs import write_composition

    report = progress or (lambda fraction, message: None)
    out = Path(folder)
    melody.name = title or melody.name
    piece = compose(
        melody,
        seconds=seconds,
        style=style,
        risk=risk,
        seed=seed,
        progress=lambda f, m: report(0.05 + 0.8 * f, m),  # after the caller's own first steps
        device=device,
        **model_choice(model, device),
    )
    midi, roll, sheet = out / "piece.mid", out / "roll.png", out / "score.musicxml"
    wav, mp3 = out / "piece.wav", out / "piece.mp3"
    warnings: list[str] = []
    report(0.88, "rendering audio, piano roll and score")
    written = write_composition(
        piece, midi, audio=wav, audio_copies=(mp3,), roll=roll, sheet_music=sheet
    )
    audio: Path | None = wav
    compressed: Path | None = mp3
    if written.audio_error is not None:
        warnings.append(f"No audio: {written.audio_error}.")
        audio = compressed = None
    return PieceFiles(
        midi=midi,
        roll=roll,
        sheet_music=sheet,
        audio=audio,
        audio_compressed=compressed,
        summary=piece.summary,
        seconds=piece.seconds,
        models=piece.models,
        metrics=piece.metrics,
        warnings=warnings,
        # Each section with what a teacher would mark in it (composer.metrics.bach_audit).
        sections=written.report["audit"]["sections"],  # type: ignore[index]
    )
