"""The models' class view of a Score: 46 pitches and the rest, re-strikes kept apart."""

from __future__ import annotations

import numpy as np

from composer.constants import REST
from composer.data.chorales import load_chorales
from composer.models.features import (
    N_CLASSES,
    REST_CLASS,
    classes_to_grid,
    rearticulations,
    voice_classes,
)

R = REST


def test_classes_map_range_ends_and_rest() -> None:
    assert voice_classes(np.array([[36, 81, R, 60]])).tolist() == [[0, 45, REST_CLASS, 24]]
    assert REST_CLASS == 46 and N_CLASSES == 47


def test_repeated_notes_survive_through_the_restrike_flags() -> None:
    # C held two steps, then C again (a repeated note), then a rest and D.
    pitches = np.array([[60, 60, 60, R, 62]], dtype=np.int16)
    onsets = np.array([[True, False, True, False, True]])
    strikes = rearticulations(pitches, onsets)
    assert strikes.tolist() == [[0, 0, 1, 0, 0]]
    back_pitches, back_onsets = classes_to_grid(voice_classes(pitches), strikes)
    assert back_pitches.tolist() == pitches.tolist()
    assert back_onsets.tolist() == onsets.tolist()
    _, merged = classes_to_grid(voice_classes(pitches), np.zeros_like(strikes))
    assert merged.tolist() == [[True, False, False, False, True]]  # one held note without flags


def test_a_chorale_round_trips_through_classes() -> None:
    chorale = load_chorales("valid")[0]
    strikes = rearticulations(chorale.pitches, chorale.onsets)
    pitches, onsets = classes_to_grid(voice_classes(chorale.pitches), strikes)
    assert np.array_equal(pitches, chorale.pitches)
    assert np.array_equal(onsets, chorale.onsets & (chorale.pitches != REST))
