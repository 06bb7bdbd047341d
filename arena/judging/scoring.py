"""Fair totals from judges' scores: pure functions, no database (Gavel's lesson, DESIGN §8).

Judges differ in harshness: one gives 3–5, another 7–9 for the same quality. Averaging raw marks
lets whoever drew the lenient judge win. So each judge's marks are turned into z-scores, per
criterion, over the entries that judge scored:

    z = (mark − mean of this judge's marks on this criterion) / their standard deviation

using the population standard deviation. A judge who gave every entry the same mark on a
criterion (zero variance) expressed no preference there: all their z-scores for it are 0, so they
neither lift nor sink anyone. An entry's normalised score on a criterion is the mean of its
z-scores over the judges who scored it; its total is the weighted mean of those over the criteria.
The raw view (plain means of the marks, weighted the same way) is kept alongside for transparency.

Ties are broken by, in order:
  1. the higher normalised total,
  2. the higher raw weighted mean,
  3. more judges having scored the entry,
  4. the entry chosen first (the lower entry id).
Totals are compared after rounding to 9 decimals, so floating-point noise never decides a rank.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

PRECISION = 9


@dataclass(frozen=True)
class Mark:
    """One judge's submitted marks for one entry."""

    judge: int
    entry: int
    values: Mapping[str, float]


@dataclass
class EntryResult:
    entry: int
    judges: int
    normalised: dict[str, float] = field(default_factory=dict)
    raw: dict[str, float] = field(default_factory=dict)
    total: float = 0.0
    raw_total: float = 0.0
    rank: int = 0


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def z_scores(
    marks: Iterable[Mark], criteria: Sequence[str]
) -> dict[tuple[int, int], dict[str, float]]:
    """{(judge, entry): {criterion: z}} — each judge standardised on each criterion separately."""
    by_judge: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        by_judge[mark.judge].append(mark)
    result: dict[tuple[int, int], dict[str, float]] = {}
    for judge, own in by_judge.items():
        for criterion in criteria:
            values = [float(m.values[criterion]) for m in own]
            mean = _mean(values)
            std = math.sqrt(_mean([(v - mean) ** 2 for v in values]))
            for mark, value in zip(own, values, strict=True):
                z = 0.0 if std == 0 else (value - mean) / std
                result.setdefault((judge, mark.entry), {})[criterion] = z
    return result


def weighted_mean(values: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The weighted mean over the criteria; all-zero weights count every criterion alike."""
    total_weight = sum(max(0.0, weights.get(c, 0.0)) for c in values)
    if total_weight == 0:
        return _mean(list(values.values()))
    return sum(v * max(0.0, weights.get(c, 0.0)) for c, v in values.items()) / total_weight


def rank_entries(
    marks: Sequence[Mark], criteria: Sequence[str], weights: Mapping[str, float]
) -> list[EntryResult]:
    """Entries with their normalised and raw scores, best first, ranked 1, 2, 3, …"""
    z = z_scores(marks, criteria)
    by_entry: dict[int, list[Mark]] = defaultdict(list)
    for mark in marks:
        by_entry[mark.entry].append(mark)
    results = []
    for entry, own in by_entry.items():
        normalised = {c: _mean([z[(m.judge, entry)][c] for m in own]) for c in criteria}
        raw = {c: _mean([float(m.values[c]) for m in own]) for c in criteria}
        results.append(
            EntryResult(
                entry=entry,
                judges=len(own),
                normalised=normalised,
                raw=raw,
                total=weighted_mean(normalised, weights),
                raw_total=weighted_mean(raw, weights),
            )
        )
    results.sort(
        key=lambda r: (
            -round(r.total, PRECISION),
            -round(r.raw_total, PRECISION),
            -r.judges,
            r.entry,
        )
    )
    for rank, result in enumerate(results, start=1):
        result.rank = rank
    return results
