"""The quality bar a harmonizer must clear on the valid split, measured against Bach's own numbers.

From the GAN issue: no voice out of range; parallel fifths/octaves and voice crossings per bar at
most twice Bach's; in-scale rate no lower than Bach's minus 0.03; empty-bar rate of A/T/B within
0.02 of Bach's; pitch classes per bar within 15 % of Bach's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    metric: str
    generated: float
    bach: float
    limit: str
    passed: bool


def harmonizer_bar(bach: dict[str, float], generated: dict[str, float]) -> list[Check]:
    checks = [
        Check(
            "out_of_range_rate",
            generated["out_of_range_rate"],
            bach["out_of_range_rate"],
            "= 0",
            generated["out_of_range_rate"] == 0.0,
        )
    ]
    for name in ("parallel_5ths_8ves_per_bar", "voice_crossings_per_bar"):
        limit = 2 * bach[name]
        checks.append(
            Check(name, generated[name], bach[name], f"≤ {limit:.4f}", generated[name] <= limit)
        )
    low = bach["in_scale_rate"] - 0.03
    checks.append(
        Check(
            "in_scale_rate",
            generated["in_scale_rate"],
            bach["in_scale_rate"],
            f"≥ {low:.4f}",
            generated["in_scale_rate"] >= low,
        )
    )
    for voice in ("alto", "tenor", "bass"):
        name = f"empty_bar_rate_{voice}"
        checks.append(
            Check(
                name,
                generated[name],
                bach[name],
                f"within 0.02 of {bach[name]:.4f}",
                abs(generated[name] - bach[name]) <= 0.02,
            )
        )
    name = "pitch_classes_per_bar"
    low, high = 0.85 * bach[name], 1.15 * bach[name]
    checks.append(
        Check(
            name,
            generated[name],
            bach[name],
            f"{low:.2f}–{high:.2f}",
            low <= generated[name] <= high,
        )
    )
    return checks


def format_bar(checks: list[Check]) -> str:
    lines = ["| metric | generated | Bach | bar | |", "|---|---:|---:|---|---|"]
    for c in checks:
        mark = "pass" if c.passed else "**FAIL**"
        lines.append(f"| `{c.metric}` | {c.generated:.4f} | {c.bach:.4f} | {c.limit} | {mark} |")
    return "\n".join(lines)
