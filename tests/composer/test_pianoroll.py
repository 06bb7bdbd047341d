"""The models' class view of a Score and transposition within the voice range."""

from __future__ import annotations

import numpy as np
import pytest

from composer.chorales import load_chorales
from composer.constants import HIGHEST_PITCH, LOWEST_PITCH, REST
from composer.pianoroll import (
    N_CLASSES,
    REST_CLASS,
    from_classes,
    from_onehot,
    to_classes,
    to_onehot,
    transpose,
    transposition_range,
)
from composer.score import Score

R = REST


def _score(rows: list[list[int]], onsets: list[list[bool]] | None = None, **kw) -> Score:
    pitches = np.array(rows, dtype=np.int16)
    ons = np.zeros_like(pitches, dtype=bool) if onsets is None else np.array(onsets)
    return Score(pitches=pitches, onsets=ons, **kw)


def test_classes_map_range_ends_and_rest() -> None:
    score = _score([[36, 81, R, 60]])
    assert to_classes(score).tolist() == [[0, 45, REST_CLASS, 24]]
    assert REST_CLASS == 46 and N_CLASSES == 47


def test_onehot_has_one_class_per_voice_and_step() -> None:
    score = load_chorales(names=[load_chorales("train")[0].name])[0]
    onehot = to_onehot(score)
    assert onehot.dtype == np.float32 and onehot.shape == (4, score.n_steps, 47)
    assert (onehot.sum(axis=-1) == 1).all()
    pitches, onsets = from_onehot(onehot, score.onsets)
    assert np.array_equal(pitches, score.pitches) and np.array_equal(onsets, score.onsets)


def test_repeated_notes_need_the_onsets_to_survive() -> None:
    # C held two steps, then C again (a repeated note), then a rest and D.
    score = _score([[60, 60, 60, R, 62]], [[True, False, True, False, True]])
    classes = to_classes(score)
    pitches, onsets = from_classes(classes, score.onsets)
    assert pitches.tolist() == score.pitches.tolist() and onsets.tolist() == score.onsets.tolist()
    _, merged = from_classes(classes)  # without onsets, equal neighbours are one held note
    assert merged.tolist() == [[True, False, False, False, True]]


def test_out_of_range_pitches_have_no_class() -> None:
    with pytest.raises(ValueError, match="82"):
        to_classes(_score([[60, 82]]))
    with pytest.raises(ValueError):
        from_classes(np.array([[47]]))


def test_transposition_limits() -> None:
    score = _score([[79, 72], [40, 38]], tonic=7, mode="major")
    assert transposition_range(score) == (-2, 2)
    up = transpose(score, 2)
    assert up is not None and up.pitches.tolist() == [[81, 74], [42, 40]] and up.tonic == 9
    assert transpose(score, 3) is None and transpose(score, -3) is None
    assert transpose(score, -2) is not None
    assert transposition_range(_score([[R, R]])) == (-6, 6)
    assert transposition_range(_score([[60, 62]])) == (-6, 6)


def test_transposed_rests_and_onsets_stay() -> None:
    score = _score([[60, 60, R, 64]], [[True, True, False, True]], tonic=0)
    down = transpose(score, -5)
    assert down is not None
    assert down.pitches.tolist() == [[55, 55, R, 59]]
    assert down.onsets.tolist() == score.onsets.tolist() and down.tonic == 7


def test_every_shift_in_range_keeps_every_chorale_in_range() -> None:
    for score in load_chorales("valid"):
        lo, hi = transposition_range(score)
        assert -6 <= lo <= 0 <= hi <= 6
        for shift in (lo, hi):
            moved = transpose(score, shift)
            assert moved is not None
            sounding = moved.pitches[moved.pitches != REST]
            assert sounding.min() >= LOWEST_PITCH and sounding.max() <= HIGHEST_PITCH
        assert lo == -6 or transpose(score, lo - 1) is None
        assert hi == 6 or transpose(score, hi + 1) is None
