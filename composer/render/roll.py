"""A piano-roll picture of a Score (PNG, matplotlib's Agg backend, no display needed).

Each voice has its own colour, bar lines are drawn and numbered, and the pitch axis names every C
and the lowest and highest notes. The picture grows with the piece (so notes never shrink to
slivers) and keeps a large font, so it stays readable when a phone scales it down or scrolls it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: workers have no display

import matplotlib.pyplot as plt
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from composer.score import Score
from composer.theory import pitch_name, prefers_flats

VOICE_LABELS = ("Soprano", "Alto", "Tenor", "Bass")
# Colour-blind-safe (Okabe-Ito) colours, one per voice.
VOICE_COLOURS = ("#d55e00", "#009e73", "#0072b2", "#7b3294")
DPI = 100
PIXELS_PER_STEP = 7
MIN_WIDTH_PX, MAX_WIDTH_PX = 900, 6000
HEIGHT_PX = 520


def _voice_label(voice: int, n_voices: int) -> str:
    if n_voices == 1:
        return "Melody"
    return VOICE_LABELS[voice] if voice < len(VOICE_LABELS) else f"Voice {voice + 1}"


def render_roll(
    score: Score,
    path: str | Path,
    *,
    title: str = "",
    marked: Iterable[tuple[int, int, int, int]] = (),
    sections: Sequence[tuple[str, int]] = (),
) -> Path:
    """Draw `score` as a piano roll into the PNG file `path`; returns the path.

    `marked` notes (voice, start, end, pitch), e.g. the embellished ones, are outlined in black
    and hatched; `sections` (label, start step) get a heavier line and their label on top."""
    out = Path(path)
    notes = [score.notes(v) for v in range(score.n_voices)]
    pitches = [p for voice in notes for _, _, p in voice]
    low, high = (min(pitches), max(pitches)) if pitches else (60, 72)
    width_px = min(MAX_WIDTH_PX, max(MIN_WIDTH_PX, score.n_steps * PIXELS_PER_STEP))
    fig, ax = plt.subplots(figsize=(width_px / DPI, HEIGHT_PX / DPI), dpi=DPI)
    try:
        for v, voice in enumerate(notes):
            colour = VOICE_COLOURS[v % len(VOICE_COLOURS)]
            ax.add_collection(_notes(voice, facecolor=colour, edgecolor="white", linewidth=0.6))
        for start in score.bar_starts():
            ax.axvline(start - 0.5, color="#b9b4a8", linewidth=0.8, zorder=0)
        _mark(ax, list(marked), sections, high)
        _bar_ticks(ax, score)
        ticks = sorted({p for p in range(low, high + 1) if p % 12 == 0} | {low, high})
        flats = prefers_flats(score.tonic, score.mode)
        ax.set_yticks(ticks, [pitch_name(p, flats) for p in ticks], fontsize=13)
        ax.set_ylim(low - 1.5, high + 1.5)
        ax.set_xlim(-0.5, max(score.n_steps, 1) - 0.5)
        ax.grid(axis="y", color="#eeeae2", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        handles = [
            Patch(color=VOICE_COLOURS[v % len(VOICE_COLOURS)], label=_voice_label(v, len(notes)))
            for v in range(len(notes))
        ]
        if marked:
            handles.append(
                Patch(facecolor="none", edgecolor="black", hatch="///", label="embellished")
            )
        ax.legend(
            handles=handles,
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncol=len(handles),
            fontsize=12,
            frameon=False,
        )
        if title:
            ax.set_title(title, fontsize=15, loc="left")
        fig.tight_layout()
        fig.savefig(out, format="png", dpi=DPI, facecolor="white")
    finally:
        plt.close(fig)
    return out


def _notes(boxes: Sequence[tuple[int, int, int]], **style: object) -> PolyCollection:
    """One collection of note boxes (start, end, pitch), 0.8 of a semitone high: a few hundred
    notes draw as one artist, not a patch each."""
    verts = [
        [(start, pitch - 0.4), (end, pitch - 0.4), (end, pitch + 0.4), (start, pitch + 0.4)]
        for start, end, pitch in boxes
    ]
    return PolyCollection(verts, **style)  # type: ignore[arg-type]


def _mark(
    ax: plt.Axes,
    marked: list[tuple[int, int, int, int]],
    sections: Sequence[tuple[str, int]],
    high: int,
) -> None:
    """Outline the marked notes and draw the section boundaries with their names."""
    if marked:
        boxes = [(start, end, pitch) for _, start, end, pitch in marked]
        ax.add_collection(
            _notes(boxes, facecolor="none", edgecolor="black", hatch="///", linewidth=1.0)
        )
    for label, start in sections:
        ax.axvline(start - 0.5, color="#4a4a4a", linewidth=1.8, zorder=0)
        ax.text(start + 0.5, high + 1.0, label, fontsize=11, va="bottom", color="#4a4a4a")


def _bar_ticks(ax: plt.Axes, score: Score) -> None:
    """Number the bars on the x axis (every bar, or fewer when the piece is long)."""
    starts = score.bar_starts()
    first_number = 0 if score.pickup_steps % score.steps_per_bar else 1
    every = max(1, len(starts) // 24)
    chosen = [(s, n) for n, s in enumerate(starts, start=first_number) if n % every == 0]
    ax.set_xticks([s for s, _ in chosen], [str(n) for _, n in chosen], fontsize=12)
    ax.set_xlabel("bar", fontsize=12)
