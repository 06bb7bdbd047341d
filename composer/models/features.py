"""Conditioning features shared by the models: where a step sits in bar and piece, and the key.

Computed on the whole piece, then cropped with it, so a training crop and a full-length inference
pass see the same values at the same musical position. numpy only.
"""

from __future__ import annotations

import numpy as np

from composer.constants import N_PITCHES, REST, STEPS_PER_BEAT
from composer.score import Score

N_CLASSES = N_PITCHES + 1  # 46 pitches and the rest
REST_CLASS = N_PITCHES
END_BEATS = 4  # the last beats of a piece are marked one by one: cadences live there
N_POSITION = STEPS_PER_BEAT + 4 + (END_BEATS + 1)
N_KEY = 13  # tonic pitch class one-hot, then 1.0 for minor


def position_features(score: Score) -> np.ndarray:
    """(N_POSITION, steps): step within the beat, beat within the bar, beats before the end."""
    steps = np.arange(score.n_steps)
    in_bar = (steps - score.pickup_steps) % score.steps_per_bar
    out = np.zeros((N_POSITION, score.n_steps), dtype=np.float32)
    out[steps % STEPS_PER_BEAT, steps] = 1.0
    beat = np.minimum(in_bar // STEPS_PER_BEAT, 3)
    out[STEPS_PER_BEAT + beat, steps] = 1.0
    beats_left = np.minimum((score.n_steps - 1 - steps) // STEPS_PER_BEAT, END_BEATS)
    out[STEPS_PER_BEAT + 4 + beats_left, steps] = 1.0
    return out


def key_features(score: Score) -> np.ndarray:
    """(N_KEY,): the key as tonic one-hot and a minor flag."""
    out = np.zeros(N_KEY, dtype=np.float32)
    out[score.tonic % 12] = 1.0
    out[12] = 1.0 if score.mode == "minor" else 0.0
    return out


def voice_classes(pitches: np.ndarray) -> np.ndarray:
    """Pitch rows (..., steps) as classes: 0..45 for MIDI 36..81, REST_CLASS for silence."""
    from composer.constants import LOWEST_PITCH

    pitches = np.asarray(pitches)
    return np.where(pitches == REST, REST_CLASS, pitches - LOWEST_PITCH).astype(np.int64)


def rearticulations(pitches: np.ndarray, onsets: np.ndarray) -> np.ndarray:
    """(..., steps) 1.0 where a note is struck again on the pitch it already held."""
    same = np.zeros(pitches.shape, dtype=bool)
    same[..., 1:] = (pitches[..., 1:] == pitches[..., :-1]) & (pitches[..., 1:] != REST)
    return (same & onsets).astype(np.float32)


def classes_to_grid(classes: np.ndarray, strikes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Classes (V, T) and re-strike flags (V, T) -> pitches and onsets on the grid: a note starts
    where the pitch changes or a held pitch is struck again."""
    from composer.constants import LOWEST_PITCH

    pitches = np.where(classes == REST_CLASS, REST, classes + LOWEST_PITCH).astype(np.int16)
    onsets = pitches != REST
    onsets[:, 1:] &= (pitches[:, 1:] != pitches[:, :-1]) | strikes[:, 1:].astype(bool)
    return pitches, onsets
