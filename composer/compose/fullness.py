"""Every melody gets a full harmony: alto, tenor and bass under the whole of it.

The models learnt from chorales, where a silent soprano means a silent choir, so
- they are shown the melody with each rest filled by the note before it (a phrase end held, as
  Bach holds a fermata), and the soprano gets its rests back afterwards;
- a result whose lower voices still leave part of the melody uncovered (measured by
  composer.metrics.coverage.lower_voice_coverage) is repaired: each silent lower voice holds its
  last note (or takes its next one early) until it sounds again;
- and one that still falls short raises IncompleteHarmony, so nothing is called done that is not.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from composer.compose.keys import in_local_keys, key_spans
from composer.constants import REST, STEPS_PER_BEAT, VOICES
from composer.errors import InputError
from composer.metrics.coverage import LOWER_VOICES, lower_voice_coverage, melody_span, silent_shares
from composer.score import Score

REPAIR_BELOW = 0.95  # a harmony covering less of the melody than this is repaired
MIN_COVERAGE = 0.9  # and one covering less than this after the repair is a failure


class IncompleteHarmony(InputError):
    """The harmony leaves the melody without its lower voices and could not be repaired."""


def melody_for_models(melody: Score) -> Score:
    """Voice 0 with every rest after the first note filled by the note before it, held."""
    pitches, onsets = melody.pitches[:1].copy(), melody.onsets[:1].copy()
    row = pitches[0]
    for t in range(1, row.size):
        if row[t] == REST and row[t - 1] != REST:
            row[t] = row[t - 1]  # held on: no onset
    return melody.with_pitches(pitches, onsets)


def with_melody(harmony: Score, melody: Score) -> Score:
    """The harmony with voice 0 replaced by the melody as written (its rests back)."""
    pitches, onsets = harmony.pitches.copy(), harmony.onsets.copy()
    pitches[0], onsets[0] = melody.pitches[0], melody.onsets[0]
    return harmony.with_pitches(pitches, onsets)


def hold_lower_voices(score: Score) -> tuple[Score, int]:
    """Silent steps of alto, tenor and bass inside the melody's span filled by holding the voice's
    previous note (or, before its first note, by starting that note early); returns the score and
    how many steps were filled."""
    start, end = melody_span(score)
    pitches, onsets = score.pitches.copy(), score.onsets.copy()
    filled = 0
    for v in LOWER_VOICES:
        row = pitches[v]
        sounding = np.flatnonzero(row[start:end] != REST)
        if not sounding.size:
            continue  # nothing to hold: left for the caller's check
        first = start + int(sounding[0])
        filled += first - start
        row[start:first] = row[first]
        onsets[v, first] = False
        onsets[v, start] = True
        for t in range(first + 1, end):
            if row[t] == REST:
                row[t], filled = row[t - 1], filled + 1
    return score.with_pitches(pitches, onsets), filled


def full_harmony(score: Score, notes: list[str] | None = None) -> Score:
    """The score, repaired if its lower voices leave the melody uncovered; IncompleteHarmony when
    the repair cannot make it whole. What was repaired is said in `notes`."""
    if lower_voice_coverage(score) >= REPAIR_BELOW:
        return score
    repaired, filled = hold_lower_voices(score)
    coverage = lower_voice_coverage(repaired)
    if coverage < MIN_COVERAGE:
        silent = silent_shares(repaired)
        worst = max(silent, key=lambda v: silent[v])
        raise IncompleteHarmony(
            f"the harmony leaves the {VOICES[worst]} silent under {silent[worst]:.0%} of the "
            "melody and cannot be repaired; try another model or seed"
        )
    if notes is not None and filled:
        beats = filled / STEPS_PER_BEAT
        notes.append(f"lower voices held through {beats:g} silent beats under the melody")
    return repaired


def harmonize_fully(
    harmonizer: Callable[..., Score],
    melody: Score,
    *,
    seed: int = 0,
    notes: list[str] | None = None,
) -> Score:
    """Four voices under the whole melody: the model sees its rests filled, phrase by phrase in
    their local key when the tune modulates (composer.compose.keys), the soprano keeps its
    rests, and the lower voices are repaired where the model left them silent."""
    shown = melody_for_models(melody)
    harmony = in_local_keys(harmonizer, shown, key_spans(melody), seed=seed)
    return full_harmony(with_melody(harmony, melody), notes)
