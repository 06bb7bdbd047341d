"""Rule-based embellishment: Baroque diminution by passing and neighbour notes.

The fallback embellisher when the AR-CNN's weights are not installed, so a variation is still
varied. A note of a beat or more that moves by a third to the next note gets a passing note (the
scale step between) in its second half; a repeated note may get a neighbour note. A new note is
kept only where it neither crosses a neighbouring voice nor makes parallel fifths or octaves.
"""

from __future__ import annotations

import itertools

import numpy as np

from composer.constants import REST, STEPS_PER_BEAT
from composer.score import Score
from composer.theory import scale_pitch_classes


def _scale_step(low: int, high: int, scale: frozenset[int]) -> int | None:
    """The scale pitch strictly between two pitches a third apart, if there is one."""
    between = [p for p in range(low + 1, high) if p % 12 in scale]
    return between[len(between) // 2] if between else None


def _neighbour(pitch: int, scale: frozenset[int], upper: bool) -> int:
    step = 1 if upper else -1
    candidate = pitch + step
    while candidate % 12 not in scale:
        candidate += step
    return candidate


def _fits(pitches: np.ndarray, voice: int, start: int, end: int, pitch: int) -> bool:
    """Whether `pitch` in `voice` over steps [start, end) keeps the voices in order and makes
    no parallel fifths or octaves with any other voice going in or coming out."""
    n_voices, n_steps = pitches.shape
    for t in range(start, end):
        above = pitches[voice - 1, t] if voice > 0 else REST
        below = pitches[voice + 1, t] if voice + 1 < n_voices else REST
        if (above != REST and pitch >= above) or (below != REST and pitch <= below):
            return False
    for other in range(n_voices):
        if other == voice:
            continue
        for before, after in ((start - 1, start), (end - 1, end)):
            if before < 0 or after >= n_steps:
                continue
            a = pitch if after < end else pitches[voice, after]
            b = pitch if before >= start else pitches[voice, before]
            o1, o2 = pitches[other, before], pitches[other, after]
            if REST in (a, b, o1, o2) or a == b or o1 == o2:
                continue
            if (b - o1) % 12 == (a - o2) % 12 and (a - o2) % 12 in (0, 7):
                return False
    return True


def embellish_by_rule(
    score: Score, *, risk: float = 1.0, seed: int = 0, protect_melody: bool = True, **_: object
) -> Score:
    """Passing and neighbour notes added to the score's voices (not the melody when protected),
    each chance scaled by `risk`; deterministic for a seed. Other keyword arguments (the AR-CNN's
    controls) are accepted and ignored, so this can stand in for it."""
    rng = np.random.default_rng(seed)
    scale = scale_pitch_classes(score.tonic, score.mode)
    pitches, onsets = score.pitches.copy(), score.onsets.copy()
    first = 1 if protect_melody else 0
    for voice in range(first, score.n_voices):
        notes = score.notes(voice)
        for (start, end, pitch), (next_start, _, next_pitch) in itertools.pairwise(notes):
            length = end - start
            if next_start != end or length < STEPS_PER_BEAT or length % 2:
                continue
            gap = next_pitch - pitch
            if abs(gap) in (3, 4) and rng.random() < min(1.0, 0.6 * risk):
                new = _scale_step(min(pitch, next_pitch), max(pitch, next_pitch), scale)
            elif gap == 0 and rng.random() < min(1.0, 0.25 * risk):
                new = _neighbour(pitch, scale, upper=bool(rng.random() < 0.5))
            else:
                continue
            middle = start + length // 2
            if new is not None and _fits(pitches, voice, middle, end, new):
                pitches[voice, middle:end] = new
                onsets[voice, middle] = True
    return score.with_pitches(pitches, onsets)
