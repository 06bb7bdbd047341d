"""Bach or not: the windows, the features, and the two-sample test's sanity checks on valid."""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import pytest

from composer.constants import REST
from composer.data.chorales import load_chorales
from composer.evaluation import bach_or_not as bn
from composer.score import Score

CHORALES = 12  # of the valid split: enough for 4 folds, quick on two cores


@cache
def valid() -> tuple[Score, ...]:
    return tuple(load_chorales("valid")[:CHORALES])


def bass_an_octave_down(score: Score) -> Score:
    pitches = score.pitches.copy()
    pitches[3] = np.where(pitches[3] == REST, REST, pitches[3] - 12)
    return score.with_pitches(pitches, score.onsets)


def random_lower_voices(score: Score, rng: np.random.Generator) -> Score:
    """Bach's rhythm, each A/T/B note moved by a random -5..+5 semitones."""
    pitches = score.pitches.copy()
    for v in (1, 2, 3):
        starts = [*np.flatnonzero(score.onsets[v]), score.n_steps]
        for a, b in itertools.pairwise(starts):
            held = pitches[v, a:b] != REST
            pitches[v, a:b][held] += int(rng.integers(-5, 6))
    return score.with_pitches(pitches, score.onsets)


# --- windows and features -----------------------------------------------------------------------


def test_windows_start_at_the_first_bar_line_a_bar_apart() -> None:
    # 4/4 with a one-beat pickup, 4 steps + 3 bars of 16: windows of 2 bars at steps 4 and 20.
    pitches = np.full((4, 4 + 48), 60)
    score = Score(pitches=pitches, onsets=np.zeros_like(pitches, bool), pickup_steps=4)
    assert bn.window_spans(score) == [4, 20]
    three_four = Score(pitches=pitches[:, :48], onsets=np.zeros((4, 48), bool), meter=(3, 4))
    assert bn.window_spans(three_four) == [0, 12, 24]  # bars of 12 steps
    assert bn.window_spans(Score(pitches=pitches[:, :20], onsets=np.zeros((4, 20), bool))) == []


def test_motion_counts_parallel_fifths_by_similar_and_by_contrary_motion() -> None:
    # Soprano over alto, the other voices rest. Steps 0-3: G4 over C4 (a fifth); 4-7: A4 over
    # D4 (a fifth, both rise: parallel by similar motion); 8-11: D4 over G3 going down (a
    # fifth again, parallel); 12-15: G4 over C3 (a twelfth, soprano up, alto down: contrary).
    s = [67] * 4 + [69] * 4 + [62] * 4 + [67] * 4
    a = [60] * 4 + [62] * 4 + [55] * 4 + [48] * 4
    pitches = np.array([s, a, [REST] * 16, [REST] * 16])
    onsets = np.zeros_like(pitches, bool)
    onsets[:2, ::4] = True
    features = bn._motion(pitches, onsets).reshape(len(bn.PAIRS), 7)
    soprano_alto = features[bn.PAIRS.index((0, 1))]
    # 3 changes: 2 parallel (by similar motion), 1 contrary.
    assert soprano_alto[:4] == pytest.approx([2 / 3, 0, 1 / 3, 0])
    assert soprano_alto[4] == pytest.approx(3 / 16)
    assert soprano_alto[5:] == pytest.approx([2, 1])  # perfect by similar, by contrary, per bar
    assert not features[bn.PAIRS.index((2, 3))].any()  # tenor and bass rest


def test_features_and_rolls_have_fixed_sizes_and_see_the_bass_octave() -> None:
    bach = valid()[:2]
    windows = bn.chorale_windows(bach)
    down = bn.chorale_windows([bass_an_octave_down(s) for s in bach])
    assert windows.features.shape == down.features.shape and len(windows) > 10
    assert windows.rolls.shape[1:] == (bn.ROLL_CHANNELS, 32)
    assert sorted(set(windows.groups)) == [0, 1]
    # The last feature pair is the bass's mean pitch and spread (in octaves above middle C).
    assert down.features[:, -2] == pytest.approx(windows.features[:, -2] - 1.0)


# --- the test's machinery -----------------------------------------------------------------------


def test_folds_keep_each_chorale_whole_and_are_balanced() -> None:
    groups = np.repeat(np.arange(10), 7)
    folds = bn.fold_of_groups(groups, 4, seed=3)
    assert sorted(folds) == list(range(10))
    assert sorted(np.bincount(list(folds.values()))) == [2, 2, 3, 3]
    assert folds == bn.fold_of_groups(groups, 4, seed=3)


def test_bootstrap_over_chorales() -> None:
    groups = np.repeat(np.arange(8), 5)
    assert bn.bootstrap_ci(np.ones(40, bool), groups, seed=0) == (1.0, 1.0)
    # Half the chorales all right, half all wrong: the interval is wide around 0.5.
    half = np.repeat(np.arange(8) % 2 == 0, 5)
    low, high = bn.bootstrap_ci(half, groups, seed=0)
    assert low < 0.3 and high > 0.7


def test_too_few_chorales_cannot_be_tested() -> None:
    with pytest.raises(ValueError, match="at least 4 chorales"):
        bn.bach_or_not(valid()[:3], valid()[:3])
    with pytest.raises(ValueError, match="one generated harmonization per"):
        bn.bach_or_not(valid()[:5], valid()[:4])


# --- sanity checks on the valid split -----------------------------------------------------------


def test_bach_against_himself_cannot_be_told_apart() -> None:
    result = bn.bach_or_not(valid(), valid())
    for name, r in result.results.items():
        assert r.accuracy == 0.5, name  # identical windows: one of each pair is always wrong
    report = result.as_dict()
    assert report["accuracy"] == 0.5 and report["ci_low"] <= 0.5 <= report["ci_high"]
    assert report["classifier"] in bn.CLASSIFIERS and report["chorales"] == CHORALES
    assert set(report["classifiers"]) == {"cnn", "boosting", "logistic"}


def test_bachs_windows_split_at_random_in_two_cannot_be_told_apart() -> None:
    # Within each chorale, a random half of its windows against the other half: both are Bach.
    # (Not even windows against odd ones: with 2-bar phrases those differ, the phrase ends
    # falling inside a window or at its end, and the conv net does notice.)
    windows = bn.chorale_windows(valid())
    rng = np.random.default_rng(5)
    first = np.zeros(len(windows), bool)
    for g in np.unique(windows.groups):
        mine = rng.permutation(np.flatnonzero(windows.groups == g))
        first[mine[: len(mine) // 2]] = True
    result = bn.two_sample_test(windows.subset(first), windows.subset(~first), seed=1)
    for name, r in result.results.items():
        assert r.ci_low <= 0.5 <= r.ci_high, (name, r)
        assert 0.35 < r.accuracy < 0.65, (name, r)


def test_an_obviously_wrong_harmonizer_is_told_apart() -> None:
    rng = np.random.default_rng(0)
    octave = bn.bach_or_not(valid(), [bass_an_octave_down(s) for s in valid()])
    noise = bn.bach_or_not(valid(), [random_lower_voices(s, rng) for s in valid()])
    for result in (octave, noise):
        assert result.headline.accuracy > 0.95
        assert result.headline.ci_low > 0.9
        assert result.results["logistic"].accuracy > 0.9


def test_the_result_is_the_same_for_a_seed() -> None:
    generated = [bass_an_octave_down(s) if k % 2 else s for k, s in enumerate(valid())]

    def run(seed: int) -> dict[str, object]:
        report = bn.bach_or_not(valid(), generated, seed=seed, classifiers=("cnn", "boosting"))
        report = report.as_dict()
        for figures in report["classifiers"].values():  # type: ignore[union-attr]
            figures.pop("seconds")
        return report

    assert run(7) == run(7)
