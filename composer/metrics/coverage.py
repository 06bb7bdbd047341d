"""How much of a melody its harmony sounds under: the one measure of a "full" harmonization.

The melody's span runs from each of its notes' start to the next note's start (the last note: to
its end), so a rest between phrases is part of the span: the lower voices may breathe there, but
not fall silent for a phrase. The CLI, the pipeline, the studio and the tests all judge a
harmonization by `lower_voice_coverage`.
"""

from __future__ import annotations

import numpy as np

from composer.constants import REST
from composer.score import Score

LOWER_VOICES = (1, 2, 3)  # alto, tenor, bass


def melody_span(score: Score) -> tuple[int, int]:
    """(first onset, end of the last note) of voice 0; (0, 0) when it has no notes."""
    sounding = np.flatnonzero(score.pitches[0] != REST)
    if not sounding.size:
        return 0, 0
    return int(sounding[0]), int(sounding[-1]) + 1


def lower_voice_coverage(score: Score) -> float:
    """The share of the melody's span in which alto, tenor and bass all sound (1.0 for a melody
    with no notes; 0.0 for a score without all three lower voices)."""
    start, end = melody_span(score)
    if end <= start:
        return 1.0
    if score.n_voices < 1 + len(LOWER_VOICES):
        return 0.0
    lower = score.pitches[list(LOWER_VOICES), start:end]
    return float((lower != REST).all(axis=0).mean())


def silent_shares(score: Score) -> dict[int, float]:
    """Per lower voice, the share of the melody's span in which it is silent."""
    start, end = melody_span(score)
    if end <= start or score.n_voices < 4:
        return {v: 0.0 if end <= start else 1.0 for v in LOWER_VOICES}
    return {v: float((score.pitches[v, start:end] == REST).mean()) for v in LOWER_VOICES}


def silent_count(score: Score) -> int:
    """Steps on which alto, tenor or bass rests while the melody itself sounds, summed over the
    three (the decoder's `silent` rule costs the same steps)."""
    melody = score.pitches[0] != REST
    return int((melody & (score.pitches[1:] == REST)).sum())
