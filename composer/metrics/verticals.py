"""Bars and a pair's verticals: the units every per-bar and voice-leading metric counts in."""

from __future__ import annotations

import numpy as np

from composer.constants import REST
from composer.score import Score


def bar_spans(score: Score) -> list[tuple[int, int]]:
    """(start, end exclusive) of each bar, a pickup and a final partial bar included."""
    starts = score.bar_starts()
    return list(zip(starts, [*starts[1:], score.n_steps], strict=True))


def pair_verticals(score: Score, i: int, j: int) -> np.ndarray:
    """(2, k) pitches of voices i and j at each step where a new vertical of the pair begins."""
    pitches = score.pitches[[i, j]]
    if score.n_steps == 0:
        return pitches.astype(np.int32)
    silent = pitches == REST
    falls_silent = np.zeros_like(silent)
    falls_silent[:, 1:] = silent[:, 1:] & ~silent[:, :-1]
    change = (score.onsets[[i, j]] | falls_silent).any(axis=0)
    change[0] = True
    return pitches[:, change].astype(np.int32)
