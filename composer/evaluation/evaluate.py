"""`composer evaluate`: a model's harmonizations of Bach's sopranos, measured beside Bach's own.

The model is any harmonizer of composer.models.registry; "bach" is the reference itself: its
generated side is Bach's harmonization.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from composer.errors import InputError
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
        }


def evaluate_chorales(model: str, chorales: Sequence[Score]) -> Evaluation:
    """Metrics of Bach's chorales and of the model's harmonizations of their sopranos.

    Both sides are measured against Bach's harmonization (so Bach's own `frame_accuracy` is 1 and
    `tonal_distance` 0). For "bach" the generated side is Bach's and no model runs (0 seconds).
    """
    harmonize = None if model == BACH else get_harmonizer(model)
    result = Evaluation(model=model, chorales=[c.name for c in chorales])
    for chorale in chorales:
        result.bach.append(piece_metrics(chorale, reference=chorale))
        if harmonize is None:
            result.generated.append(result.bach[-1])
            continue
        start = time.perf_counter()
        generated = harmonize(soprano_of(chorale))
        result.seconds += time.perf_counter() - start
        result.generated.append(piece_metrics(generated, reference=chorale))
    return result


def read_chorales_file(path: str) -> list[str]:
    """Corpus names, one per line (e.g. `bach/bwv26.6`); blank lines and `#` comments ignored.

    A bare `bwv26.6` means `bach/bwv26.6`. Repeated names are kept once.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the chorales file {path}: {exc}") from exc
    names = []
    for line in text.splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.append(name if "/" in name else f"bach/{name}")
    if not names:
        raise InputError(f"the chorales file {path} names no chorale (one corpus name per line)")
    return list(dict.fromkeys(names))


def load_evaluation_chorales(chorales_file: str | None) -> list[Score]:
    """Bach's chorales of the valid split, or those named in the file (InputError if unknown)."""
    from composer.data.chorales import chorale_names, load_chorales

    if chorales_file is None:
        return load_chorales(split=DEFAULT_SPLIT)
    names = read_chorales_file(chorales_file)
    known = set(chorale_names(None))
    unknown = [n for n in names if n not in known]
    if unknown:
        shown = ", ".join(unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        raise InputError(
            f"{chorales_file}: not in the chorale dataset: {shown} "
            f"(names look like bach/bwv26.6; {len(known)} chorales are known)"
        )
    return load_chorales(names=names)


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
        print(format_table(report, source))
        if model != BACH:
            from composer.evaluation.quality_bar import format_bar, harmonizer_bar

            checks = harmonizer_bar(report["bach"], report["generated"])  # type: ignore[arg-type]
            passed = sum(c.passed for c in checks)
            print(f"\nthe harmonizer bar: {passed} of {len(checks)} checks pass")
            print(format_bar(checks))
