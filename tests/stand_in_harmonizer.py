"""A tiny, deterministic stand-in for the GAN, so tests exercise the whole compose path fast."""

from __future__ import annotations

import numpy as np

from composer.constants import REST
from composer.score import Score

# Alto a third below, tenor an octave below, bass an octave and a sixth below the melody.
INTERVALS = (0, -4, -12, -20)


def stand_in_harmonize(melody: Score, seed: int = 0) -> Score:
    soprano = melody.pitches[0]
    rows = [np.where(soprano == REST, REST, soprano + shift) for shift in INTERVALS]
    return melody.with_pitches(np.stack(rows), np.repeat(melody.onsets[:1], 4, axis=0))
