"""Bach's own rates on the teacher's audit (composer.evaluation.bach_rates writes them from the
train split), and the audit of a composed piece section by section with them beside."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from composer.metrics.audit import FAULTS, teacher_audit
from composer.score import Score

BACH_AUDIT_PATH = Path(__file__).with_name("bach_audit.json")
# What the piece page shows, in the order a teacher reads a chorale.
SHOWN = (
    *(f"audit_{fault}_per_bar" for fault in FAULTS),
    "chord_tertian",
    "chord_thin",
    "chord_dominant7",
    "chord_diminished7",
    "notes_per_bar_alto",
    "notes_per_bar_tenor",
    "notes_per_bar_bass",
)


@cache
def bach_audit() -> dict[str, float]:
    """Bach's averages, or {} when the file has not been written."""
    if not BACH_AUDIT_PATH.exists():
        return {}
    return json.loads(BACH_AUDIT_PATH.read_text())


def section_audits(score: Score, sections: list[tuple[str, int, int]]) -> list[dict[str, object]]:
    """The audit of each (kind, start, end) section of a piece, the shown figures only."""
    out: list[dict[str, object]] = []
    for kind, start, end in sections:
        audit = teacher_audit(score.window(start, end))
        out.append(
            {"kind": kind, "start": start, "end": end}
            | {key: round(audit[key], 4) for key in SHOWN if key in audit}
        )
    return out
