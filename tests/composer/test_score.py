"""A Score's notes, read from its grid of pitches and onsets."""

from __future__ import annotations

import numpy as np

from composer.constants import REST
from composer.score import Score


def test_notes_end_at_a_rest_a_new_strike_or_the_end() -> None:
    # C held 3 steps, a rest, D struck twice (2 steps, then 1), E held to the end.
    pitches = [60, 60, 60, REST, 62, 62, 62, 64, 64]
    onsets = [1, 0, 0, 0, 1, 0, 1, 1, 0]
    score = Score(pitches=np.array([pitches]), onsets=np.array([onsets], dtype=bool))
    assert score.notes(0) == [(0, 3, 60), (4, 6, 62), (6, 7, 62), (7, 9, 64)]


def test_a_pitch_change_without_an_onset_is_a_new_note() -> None:
    # The grid is normalised on construction: a step whose pitch differs is always struck.
    score = Score(pitches=np.array([[60, 62, 62]]), onsets=np.array([[True, False, False]]))
    assert score.notes(0) == [(0, 1, 60), (1, 3, 62)]


def test_silent_and_empty_voices_have_no_notes() -> None:
    silent = Score(pitches=np.full((1, 5), REST), onsets=np.zeros((1, 5), dtype=bool))
    empty = Score(pitches=np.zeros((1, 0)), onsets=np.zeros((1, 0), dtype=bool))
    assert silent.notes(0) == [] and empty.notes(0) == []


def _notes_step_by_step(row: np.ndarray, ons: np.ndarray) -> list[tuple[int, int, int]]:
    """The definition, one step at a time: a note runs from its onset to the next rest or onset."""
    out, start = [], None
    for t in range(row.size + 1):
        if start is not None and (t == row.size or row[t] == REST or ons[t]):
            out.append((start, t, int(row[start])))
            start = None
        if t < row.size and row[t] != REST and ons[t]:
            start = t
    return out


def test_notes_agree_with_the_step_by_step_definition_on_random_voices() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        steps = int(rng.integers(1, 40))
        pitches = rng.choice([REST, 60, 62, 64], size=(2, steps))
        onsets = rng.random((2, steps)) < 0.4
        score = Score(pitches=pitches, onsets=onsets)
        for voice in range(2):
            expected = _notes_step_by_step(score.pitches[voice], score.onsets[voice])
            assert score.notes(voice) == expected


def test_a_window_keeps_its_bars_where_they_were() -> None:
    # 4/4 with a pickup of one beat: bars begin at steps 4, 20, 36, ...
    score = Score(
        pitches=np.full((1, 48), 60), onsets=np.zeros((1, 48), dtype=bool), pickup_steps=4
    )
    assert score.window(20, 40).bar_starts() == [0, 16]  # steps 20 and 36
    assert score.window(10, 40).bar_starts() == [0, 10, 26]  # a part bar, then 20 and 36
    assert score.window(10, 40).n_steps == 30
