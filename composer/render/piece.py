"""One composition as the web studio asks for it: a model by name, a melody, and files in a folder.

The site's job handler calls `compose_piece` and stores what comes back; everything musical
happens here and in `composer.pipeline`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from composer.pipeline import Progress, compose
from composer.score import Score

MODELS = ("hybrid", "gan", "arcnn")  # the shipped choices; other names are registered models


@dataclass
class Piece:
    midi: Path
    roll: Path
    score: Path
    audio: Path | None
    summary: str
    seconds: float
    models: str
    metrics: dict[str, float]
    warnings: list[str] = field(default_factory=list)


def model_choice(name: str) -> dict[str, Any]:
    """The pipeline's models for a model name: `hybrid` is the full pipeline (GAN draft, AR-CNN
    refinement and embellishment); any other name (`gan`, `arcnn`, a team's own model) is a
    harmonizer registered with composer.evaluate, followed by the embellished variations."""
    if name == "hybrid":
        return {}
    from composer.evaluate import get_harmonizer

    return {"harmonizer": get_harmonizer(name)}


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
) -> Piece:
    """Compose and write piece.mid, piece.wav, roll.png and score.musicxml into `folder`.

    Audio that cannot be rendered (no FluidSynth or soundfont) leaves the other files and says
    why in `warnings`, so a team still sees and downloads its piece."""
    from composer.outputs import write_composition
    from composer.render_audio import RenderError

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
        **model_choice(model),
    )
    paths = {"midi": out / "piece.mid", "roll": out / "roll.png", "score": out / "score.musicxml"}
    warnings: list[str] = []
    report(0.88, "rendering audio, piano roll and score")
    try:
        write_composition(
            piece, paths["midi"], audio=out / "piece.wav", roll=paths["roll"], score=paths["score"]
        )
        audio: Path | None = out / "piece.wav"
    except RenderError as exc:
        warnings.append(f"No audio: {exc}.")
        write_composition(piece, paths["midi"], roll=paths["roll"], score=paths["score"])
        audio = None
    return Piece(
        midi=paths["midi"],
        roll=paths["roll"],
        score=paths["score"],
        audio=audio,
        summary=piece.summary,
        seconds=piece.seconds,
        models=piece.models,
        metrics=piece.metrics,
        warnings=warnings,
    )
