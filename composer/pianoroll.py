"""The models' view of a Score: per voice and step one class out of 47. Needs only numpy.

Classes 0..45 are MIDI pitches 36..81 and class 46 is a rest, so every voice is monophonic by
construction. Classes carry no onsets: `from_classes` rebuilds them (a held note wherever a pitch
continues) unless the caller keeps the original onsets.
"""

from __future__ import annotations

import numpy as np

from composer.constants import HIGHEST_PITCH, LOWEST_PITCH, N_PITCHES, REST
from composer.score import Score

REST_CLASS = N_PITCHES  # 46
N_CLASSES = N_PITCHES + 1  # 47
MAX_SHIFT = 6  # transposition augmentation, DESIGN §3


def to_classes(score: Score | np.ndarray) -> np.ndarray:
    """int64 (voices, steps) classes of a Score (or of a pitches array); ValueError off range."""
    pitches = np.asarray(score.pitches if isinstance(score, Score) else score)
    sounding = pitches != REST
    outside = sounding & ((pitches < LOWEST_PITCH) | (pitches > HIGHEST_PITCH))
    if outside.any():
        bad = sorted({int(p) for p in pitches[outside]})
        raise ValueError(f"pitches outside {LOWEST_PITCH}-{HIGHEST_PITCH}: {bad}")
    return np.where(sounding, pitches.astype(np.int64) - LOWEST_PITCH, REST_CLASS)


def from_classes(
    classes: np.ndarray, onsets: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(pitches int16, onsets bool) from classes; without onsets, equal neighbours are held."""
    classes = np.asarray(classes)
    if classes.min(initial=0) < 0 or classes.max(initial=0) > REST_CLASS:
        raise ValueError(f"classes must lie in 0..{REST_CLASS}")
    sounding = classes != REST_CLASS
    pitches = np.where(sounding, classes + LOWEST_PITCH, REST).astype(np.int16)
    changed = np.ones_like(sounding)
    changed[:, 1:] = pitches[:, 1:] != pitches[:, :-1]
    starts = sounding & changed
    if onsets is not None:
        starts |= np.asarray(onsets, dtype=bool) & sounding
    return pitches, starts


def to_onehot(score: Score) -> np.ndarray:
    """float32 (voices, steps, 47): one 1 per voice and step."""
    classes = to_classes(score)
    onehot = np.zeros((*classes.shape, N_CLASSES), dtype=np.float32)
    np.put_along_axis(onehot, classes[..., None], 1.0, axis=-1)
    return onehot


def from_onehot(
    onehot: np.ndarray, onsets: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(pitches, onsets) from a one-hot or probability array (voices, steps, 47) by argmax."""
    return from_classes(np.asarray(onehot).argmax(axis=-1), onsets)


def transposition_range(score: Score, limit: int = MAX_SHIFT) -> tuple[int, int]:
    """(lo, hi): the shifts within ±limit that keep every voice inside 36–81.

    Empty (lo > hi) when no shift fits; (-limit, limit) for a score without notes.
    """
    sounding = score.pitches[score.pitches != REST]
    if sounding.size == 0:
        return -limit, limit
    lo = max(-limit, LOWEST_PITCH - int(sounding.min()))
    hi = min(limit, HIGHEST_PITCH - int(sounding.max()))
    return lo, hi


def transpose(score: Score, semitones: int) -> Score | None:
    """The score moved by `semitones` (key included), or None when a voice would leave 36–81."""
    sounding = score.pitches != REST
    moved = np.where(sounding, score.pitches.astype(np.int32) + semitones, REST)
    if ((moved[sounding] < LOWEST_PITCH) | (moved[sounding] > HIGHEST_PITCH)).any():
        return None
    out = score.with_pitches(moved.astype(np.int16), score.onsets.copy())
    out.tonic = (score.tonic + semitones) % 12
    return out
