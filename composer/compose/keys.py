"""A tune that modulates is harmonized in its local key, phrase by phrase.

The models take one key per score: the GAN's condition carries it on every step, but the
AR-CNN's key planes and the decoder's chord prior (composer.models.decoding) see a single key.
So a melody whose phrases move to another key is cut at its phrase ends (composer.compose.form),
each phrase's key is found by the Krumhansl-Schmuckler key finder (music21) over its notes, and
runs of phrases in one key are harmonized as a score in that key, each with the bar before it as
context so the join follows on. A phrase counts as being in another key only when it really is:
its notes fit that key clearly better than the tune's own, and it sounds a note foreign to the
tune's key that belongs to the new one (the F sharp of a move to G major, the G sharp of A minor).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from composer.compose.form import phrase_ends
from composer.constants import REST, STEPS_PER_BEAT
from composer.key_finding import Key, key_fits
from composer.score import Score
from composer.theory import key_name, scale_pitch_classes

KEY_MARGIN = 0.1  # a phrase's key must fit its notes this much better (correlation) than the tune's
MIN_PHRASE_BEATS = 6  # shorter phrases are too short to tell a key: they keep their neighbour's


@dataclass(frozen=True)
class KeySpan:
    start: int  # step
    end: int  # step (exclusive)
    key: Key


def _local_key(notes: list[tuple[int, int, int]], home: Key) -> Key:
    if sum(end - start for start, end, _ in notes) < MIN_PHRASE_BEATS * STEPS_PER_BEAT:
        return home
    fits = key_fits(notes)
    found = max(fits, key=lambda k: fits[k])
    if found == home or fits[found] < fits.get(home, -1.0) + KEY_MARGIN:
        return home
    foreign = {p % 12 for _, _, p in notes} - set(scale_pitch_classes(*home))
    if not foreign & set(scale_pitch_classes(*found)):
        return home  # nothing in the phrase says the key has changed
    return found


def key_spans(melody: Score) -> list[KeySpan]:
    """The melody (voice 0) as runs of phrases in one key; one span in the tune's key when it
    does not modulate."""
    home: Key = (melody.tonic, melody.mode)
    bounds = [0, *phrase_ends(melody), melody.n_steps]
    spans: list[KeySpan] = []
    for start, end in pairwise(bounds):
        notes = [(s, min(e, end), p) for s, e, p in melody.notes(0) if start <= s < end]
        key = _local_key(notes, home) if notes else home
        if spans and spans[-1].key == key:
            spans[-1] = KeySpan(spans[-1].start, end, key)
        else:
            spans.append(KeySpan(start, end, key))
    return spans


def _segment(score: Score, start: int, end: int, key: Key) -> Score:
    """Steps start..end of the score as a score in `key`: notes held into it start afresh."""
    pitches, onsets = score.pitches[:, start:end].copy(), score.onsets[:, start:end].copy()
    onsets[:, 0] |= pitches[:, 0] != REST
    part = score.with_pitches(pitches, onsets)
    part.tonic, part.mode = key
    part.pickup_steps = score.pickup_steps if start == 0 else 0
    if score.fermatas is not None:
        part.fermatas = score.fermatas[start:end].copy()
    return part


def in_local_keys(
    model: Callable[..., Score], score: Score, spans: list[KeySpan], *, seed: int = 0
) -> Score:
    """`model(score, seed=)` (a harmonizer or a refiner) run on each span in its key, with the bar
    before it as context, and the results joined; the model on the whole score when one key."""
    if len(spans) <= 1:
        return model(score, seed=seed)
    parts: list[Score] = []
    for span in spans:
        start = max(0, span.start - score.steps_per_bar)
        done = model(_segment(score, start, span.end, span.key), seed=seed)
        parts.append(_segment(done, span.start - start, done.n_steps, span.key))
    pitches = np.concatenate([p.pitches for p in parts], axis=1)
    onsets = np.concatenate([p.onsets for p in parts], axis=1)
    joined = score.with_pitches(pitches, onsets)
    # a note that goes on over a join, same pitch in the same voice, is held, not struck again
    for span in spans[1:]:
        t = span.start
        held = (pitches[1:, t] == pitches[1:, t - 1]) & (pitches[1:, t] != REST)
        joined.onsets[1:, t] &= ~held
        joined.onsets[0, t] = score.onsets[0, t]
    return joined


def by_key(model: Callable[..., Score], spans: list[KeySpan]) -> Callable[..., Score]:
    """`model` as one that runs in each span's key (in_local_keys)."""

    def run(score: Score, seed: int = 0) -> Score:
        return in_local_keys(model, score, spans, seed=seed)

    return run


def modulations(spans: list[KeySpan], home: Key, steps_per_bar: int) -> list[str]:
    """In words, for each key the tune moves to: "harmonized in C major in bars 9-12"."""
    bars: dict[Key, list[str]] = {}
    for s in spans:
        if s.key != home:
            first, last = s.start // steps_per_bar + 1, -(-s.end // steps_per_bar)
            bars.setdefault(s.key, []).append(f"{first}-{last}")
    return [f"harmonized in {key_name(*k)} in bars {', '.join(b)}" for k, b in bars.items()]
