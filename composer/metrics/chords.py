"""The chord on each beat, named as a harmony teacher names it.

At every beat (a quarter note; the bar's start counts from the pickup) the pitch classes of the
voices sounding there are matched, in any inversion, against the complete tertian chords:
major, minor, diminished and augmented triads, and dominant, minor, half-diminished, diminished
and major seventh chords. Two pitch classes or fewer is *thin* (an open fifth, a bare third, a
unison); anything else (a suspension or passing note on the beat, an incomplete seventh, a
cluster) is *other*. Only numpy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy as np

from composer.constants import REST, STEPS_PER_BEAT
from composer.score import Score

# Intervals above the root, as pitch-class sets.
CHORD_SHAPES: dict[str, frozenset[int]] = {
    "major": frozenset({0, 4, 7}),
    "minor": frozenset({0, 3, 7}),
    "diminished": frozenset({0, 3, 6}),
    "augmented": frozenset({0, 4, 8}),
    "dominant7": frozenset({0, 4, 7, 10}),
    "minor7": frozenset({0, 3, 7, 10}),
    "half_diminished7": frozenset({0, 3, 6, 10}),
    "diminished7": frozenset({0, 3, 6, 9}),
    "major7": frozenset({0, 4, 7, 11}),
}
THIN, OTHER = "thin", "other"
CHORD_TYPES = (*CHORD_SHAPES, THIN, OTHER)
TERTIAN = tuple(CHORD_SHAPES)
SEVENTHS = ("dominant7", "minor7", "half_diminished7", "diminished7", "major7")


def _shape_table() -> dict[frozenset[int], tuple[str, int]]:
    """Every transposition of every shape: pitch-class set -> (chord type, root)."""
    table: dict[frozenset[int], tuple[str, int]] = {}
    for name, shape in CHORD_SHAPES.items():
        for root in range(12):
            pcs = frozenset((root + i) % 12 for i in shape)
            # The diminished seventh and augmented triad are symmetric: keep the first root.
            table.setdefault(pcs, (name, root))
    return table


SHAPE_TABLE = _shape_table()


def chord_of(pitch_classes: frozenset[int]) -> tuple[str, int | None]:
    """(chord type, root pitch class) of a set of pitch classes; root None for thin and other."""
    if len(pitch_classes) <= 2:
        return THIN, None
    return SHAPE_TABLE.get(pitch_classes, (OTHER, None))


def beat_steps(score: Score) -> list[int]:
    """The steps on which a beat (quarter note) begins, counted from the first bar line."""
    first = score.pickup_steps % STEPS_PER_BEAT
    return list(range(first, score.n_steps, STEPS_PER_BEAT))


def beat_chords(score: Score) -> list[tuple[str, int | None]]:
    """(chord type, root) at each beat where at least one voice sounds."""
    out = []
    for step in beat_steps(score):
        column = score.pitches[:, step]
        sounding = column[column != REST]
        if sounding.size:
            out.append(chord_of(frozenset(int(p) % 12 for p in sounding)))
    return out


def chord_distribution(score: Score) -> dict[str, float]:
    """Share of the sounding beats on each chord type (the shares sum to 1; all 0 if silent)."""
    counts = Counter(kind for kind, _ in beat_chords(score))
    total = sum(counts.values())
    return {kind: (counts[kind] / total if total else 0.0) for kind in CHORD_TYPES}


def distribution_distance(p: Mapping[str, float], q: Mapping[str, float]) -> float:
    """Total-variation distance between two chord-type distributions: half the sum of the
    absolute differences, 0 (the same) to 1 (nothing in common)."""
    keys = set(p) | set(q)
    return float(0.5 * np.sum([abs(p.get(k, 0.0) - q.get(k, 0.0)) for k in keys]))
