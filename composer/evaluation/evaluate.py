"""`composer evaluate`: a model's harmonizations of Bach's sopranos, measured beside Bach's own.

The model is any harmonizer of composer.models.registry; "bach" is the reference itself: its
generated side is Bach's harmonization. The headline is "Bach or not"
(composer.evaluation.bach_or_not): how often a classifier tells the model's windows from Bach's.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from composer.evaluation.bach_or_not import MIN_CHORALES, WINDOW_BARS, BachOrNot, bach_or_not
from composer.evaluation.sources import load_chorales_file, read_chorales_file
from composer.metrics import average_metrics, jsonable, piece_metrics
from composer.models.registry import get_harmonizer
from composer.score import Score

BACH = "bach"
DEFAULT_SPLIT = "valid"


def soprano_of(chorale: Score) -> Score:
    """The chorale's soprano alone, with its key, meter, pickup and tempo: a harmonizer's input."""
    return chorale.with_pitches(chorale.pitches[:1], chorale.onsets[:1])


@dataclass
class Evaluation:
    model: str
    chorales: list[str]
    bach: list[dict[str, float]] = field(default_factory=list)  # per chorale
    generated: list[dict[str, float]] = field(default_factory=list)
    seconds: float = 0.0  # spent in the model, all chorales together
    harmonizations: list[Score] = field(default_factory=list)  # the model's, one per chorale
    bach_or_not: BachOrNot | None = None  # None with fewer than MIN_CHORALES chorales

    @property
    def seconds_per_chorale(self) -> float:
        return self.seconds / len(self.chorales) if self.chorales else 0.0

    def as_dict(self) -> dict[str, object]:
        """The `--json` report: averages over the chorales, NaN (undefined) as null."""
        return {
            "model": self.model,
            "chorales": self.chorales,
            "bach": jsonable(average_metrics(self.bach)),
            "generated": jsonable(average_metrics(self.generated)),
            "seconds_per_chorale": round(self.seconds_per_chorale, 4),
            "bach_or_not": None if self.bach_or_not is None else self.bach_or_not.as_dict(),
        }


def evaluate_chorales(
    model: str, chorales: Sequence[Score], *, two_sample: bool = True, seed: int = 0
) -> Evaluation:
    """Metrics of Bach's chorales and of the model's harmonizations of their sopranos, and (with
    `two_sample`, given at least MIN_CHORALES chorales) the Bach-or-not test between them.

    Both sides are measured against Bach's harmonization (so Bach's own `frame_accuracy` is 1 and
    `tonal_distance` 0). For "bach" the generated side is Bach's and no model runs (0 seconds).
    """
    harmonize = None if model == BACH else get_harmonizer(model)
    result = Evaluation(model=model, chorales=[c.name for c in chorales])
    for chorale in chorales:
        result.bach.append(piece_metrics(chorale, reference=chorale))
        if harmonize is None:
            result.generated.append(result.bach[-1])
            result.harmonizations.append(chorale)
            continue
        start = time.perf_counter()
        generated = harmonize(soprano_of(chorale))
        result.seconds += time.perf_counter() - start
        result.generated.append(piece_metrics(generated, reference=chorale))
        result.harmonizations.append(generated)
    if two_sample and len(chorales) >= MIN_CHORALES:
        result.bach_or_not = bach_or_not(chorales, result.harmonizations, seed=seed)
    return result


__all__ = ["read_chorales_file"]  # kept here too: the chorales file is evaluate's input


def load_evaluation_chorales(chorales_file: str | None) -> list[Score]:
    """Bach's chorales of the valid split, or those the file names (composer.evaluation.sources:
    corpus names, in the dataset or not, and 4-part MusicXML or MIDI files)."""
    from composer.data.chorales import load_chorales

    if chorales_file is None:
        return load_chorales(split=DEFAULT_SPLIT)
    return load_chorales_file(chorales_file)


def headline(report: dict[str, object]) -> str:
    """The Bach-or-not line of a report, or why there is none."""
    test: dict[str, object] | None = report.get("bach_or_not")  # type: ignore[assignment]
    if test is None:
        return (
            f"Bach or not: not measured (needs at least {MIN_CHORALES} chorales, "
            f"{len(report['chorales'])} given)"  # type: ignore[arg-type]
        )
    results: dict[str, dict[str, float]] = test["classifiers"]  # type: ignore[assignment]
    others = ", ".join(
        f"{name} {r['accuracy']:.1%}" for name, r in results.items() if name != test["classifier"]
    )
    return (
        f"Bach or not: a classifier tells the model's harmonization from Bach's in "
        f"{test['accuracy']:.1%} of held-out windows (95% CI {test['ci_low']:.1%}-"
        f"{test['ci_high']:.1%}; 50% = cannot tell). {test['classifier']}, {test['windows']} "
        f"{WINDOW_BARS}-bar windows a side from {test['chorales']} chorales, cross-validated by "
        f"chorale; {others}"
    )


def _cell(value: float | None) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:.4f}"


def format_table(report: dict[str, object], source: str) -> str:
    """The report as a plain-text table: one row per metric, Bach and generated columns."""
    bach: dict[str, float | None] = report["bach"]  # type: ignore[assignment]
    generated: dict[str, float | None] = report["generated"]  # type: ignore[assignment]
    n = len(report["chorales"])  # type: ignore[arg-type]
    keys = list(dict.fromkeys([*bach, *generated]))
    width = max([len("metric"), *map(len, keys)])
    lines = [
        f"model {report['model']}: {n} chorales ({source}), "
        f"{report['seconds_per_chorale']:.3f} s per chorale",
        f"{'metric':<{width}}  {'Bach':>10}  {'generated':>10}",
        f"{'-' * width}  {'-' * 10}  {'-' * 10}",
    ]
    for key in keys:
        lines.append(f"{key:<{width}}  {_cell(bach.get(key)):>10}  {_cell(generated.get(key)):>10}")
    return "\n".join(lines)


def run_evaluation(model: str, chorales_file: str | None, as_json: bool) -> None:
    """Print the metrics of `model` beside Bach's, as a table or (`as_json`) as one JSON object."""
    if model != BACH:
        get_harmonizer(model)  # an unknown model is reported before the dataset is loaded
    chorales = load_evaluation_chorales(chorales_file)
    report = evaluate_chorales(model, chorales).as_dict()
    if as_json:
        print(json.dumps(report, indent=2))
    else:
        source = chorales_file or f"the {DEFAULT_SPLIT} split"
        print(headline(report))
        print()
        print(format_table(report, source))
        if model != BACH:
            from composer.evaluation.quality_bar import format_bar, harmonizer_bar

            checks = harmonizer_bar(report["bach"], report["generated"])  # type: ignore[arg-type]
            passed = sum(c.passed for c in checks)
            print(f"\nthe harmonizer bar: {passed} of {len(checks)} checks pass")
            print(format_bar(checks))
