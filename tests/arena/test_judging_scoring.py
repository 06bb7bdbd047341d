"""Fair totals (arena.judging.scoring) on examples worked out by hand."""

from __future__ import annotations

import math

import pytest

from arena.judging.scoring import Mark, rank_entries, weighted_mean, z_scores

C = ("originality", "rhythm", "accompaniment", "cleanliness", "emotion")
EQUAL = dict.fromkeys(C, 1.0)


def marks(judge: int, entry: int, *values: int) -> Mark:
    if len(values) == 1:
        values = values * len(C)
    return Mark(judge=judge, entry=entry, values=dict(zip(C, values, strict=True)))


def test_z_scores_worked_example():
    # Judge 1 gives 3, 5, 7: mean 5, population std sqrt(8/3) = 1.63299.
    z = z_scores([marks(1, 10, 3), marks(1, 11, 5), marks(1, 12, 7)], C)
    s = math.sqrt(8 / 3)
    assert z[(1, 10)]["rhythm"] == pytest.approx(-2 / s)  # -1.22474
    assert z[(1, 11)]["rhythm"] == pytest.approx(0.0)
    assert z[(1, 12)]["rhythm"] == pytest.approx(2 / s)


def test_a_judge_with_zero_variance_counts_for_nothing_on_that_criterion():
    z = z_scores([marks(1, 10, 6), marks(1, 11, 6)], C)
    assert all(v == 0.0 for pair in z.values() for v in pair.values())


def test_harsh_and_lenient_judges_count_the_same():
    # The harsh judge gives 2..4, the lenient one 7..9, to the same three entries in the same
    # order: after normalisation both say exactly the same thing.
    harsh = [marks(1, 10, 2), marks(1, 11, 3), marks(1, 12, 4)]
    lenient = [marks(2, 10, 7), marks(2, 11, 8), marks(2, 12, 9)]
    z = z_scores(harsh + lenient, C)
    for entry in (10, 11, 12):
        assert z[(1, entry)] == pytest.approx(z[(2, entry)])
    ranking = [r.entry for r in rank_entries(harsh + lenient, C, EQUAL)]
    assert ranking == [r.entry for r in rank_entries(harsh, C, EQUAL)] == [12, 11, 10]


def test_who_drew_the_lenient_judge_does_not_win():
    # Judge 1 (harsh) hears A=1 and B=2, judge 2 (lenient) hears C=8 and D=9. Raw means would put
    # C and D on top; normalised, each judge's better entry gets z=+1 and the worse -1:
    # B and D share the top total of 1.0, A and C the bottom -1.0.
    scores = [marks(1, 1, 1), marks(1, 2, 2), marks(2, 3, 8), marks(2, 4, 9)]
    results = {r.entry: r for r in rank_entries(scores, C, EQUAL)}
    assert results[2].total == pytest.approx(1.0) == results[4].total
    assert results[1].total == pytest.approx(-1.0) == results[3].total
    assert results[4].raw_total == 9.0 and results[2].raw_total == 2.0
    # Tie rule 2: equal normalised totals are split by the raw weighted mean.
    assert [r.entry for r in sorted(results.values(), key=lambda r: r.rank)] == [4, 2, 3, 1]


def test_weights_change_the_winner():
    # Entry 1 is more original (9 vs 3), entry 2 has better rhythm (9 vs 3); one judge.
    # z per criterion: ±1. Equal weights: totals 0 and 0, tie → raw mean equal too (6 and 6),
    # judges equal → the lower entry id wins. Weighting rhythm ×3: entry 2 totals (−1+3)/4 = 0.5.
    one = Mark(
        1, 1, {"originality": 9, "rhythm": 3, "accompaniment": 5, "cleanliness": 5, "emotion": 5}
    )
    two = Mark(
        1, 2, {"originality": 3, "rhythm": 9, "accompaniment": 5, "cleanliness": 5, "emotion": 5}
    )
    equal = rank_entries([one, two], C, EQUAL)
    assert [r.entry for r in equal] == [1, 2] and equal[0].total == pytest.approx(0.0)
    rhythm = rank_entries(
        [one, two], C, {**EQUAL, "rhythm": 3.0, "accompaniment": 0, "cleanliness": 0, "emotion": 0}
    )
    assert [r.entry for r in rhythm] == [2, 1]
    assert rhythm[0].total == pytest.approx(0.5) and rhythm[1].total == pytest.approx(-0.5)


def test_tie_rule_prefers_more_judges_then_the_earlier_entry():
    # Entries 5 and 6 both get z=0 from both judges... entry 7 is heard by one judge only.
    scores = [
        marks(1, 5, 5), marks(1, 6, 5), marks(1, 7, 5),
        marks(2, 5, 4), marks(2, 6, 4),
    ]  # fmt: skip
    ranked = rank_entries(scores, C, EQUAL)
    # All normalised totals are 0; raw means: entry 7 = 5.0, entries 5 and 6 = 4.5.
    assert [r.entry for r in ranked] == [7, 5, 6]
    assert [r.rank for r in ranked] == [1, 2, 3]
    # Same raw mean, different number of judges: the entry more judges heard goes first.
    scores = [marks(1, 8, 5), marks(1, 9, 5), marks(2, 9, 5)]
    assert [r.entry for r in rank_entries(scores, C, EQUAL)] == [9, 8]


def test_weighted_mean_ignores_negative_weights_and_survives_all_zero():
    assert weighted_mean({"a": 1.0, "b": 3.0}, {"a": 1.0, "b": 3.0}) == pytest.approx(2.5)
    assert weighted_mean({"a": 1.0, "b": 3.0}, {"a": 0.0, "b": 0.0}) == pytest.approx(2.0)
