"""What a counterpoint teacher would mark in a piece, section by section, with Bach's own rates
beside: the rows of the piece page's audit table (composer.metrics.audit measures them)."""

from __future__ import annotations

from dataclasses import dataclass

from arena.submissions.models import Composition
from composer.metrics.bach_audit import bach_audit

# (key, label, kind): kind "fault" is a count per bar (lower is better), "share" a share of
# beats, "motion" notes per bar.
MARKED: tuple[tuple[str, str, str], ...] = (
    ("audit_parallels_similar_per_bar", "Parallel fifths/octaves", "fault"),
    ("audit_parallels_contrary_per_bar", "Fifths/octaves by contrary motion", "fault"),
    ("audit_hidden_outer_per_bar", "Hidden fifths/octaves (outer voices)", "fault"),
    ("audit_spacing_per_bar", "Upper voices over an octave apart", "fault"),
    ("audit_overlaps_per_bar", "Voices overlapping", "fault"),
    ("audit_leaps_per_bar", "Awkward leaps (alto, tenor, bass)", "fault"),
    ("audit_doubled_leading_tone_per_bar", "Doubled leading tone", "fault"),
    ("audit_unresolved_leading_tone_per_bar", "Leading tone not rising", "fault"),
    ("audit_unresolved_seventh_per_bar", "Seventh not falling", "fault"),
    ("chord_tertian", "Beats on a full triad or seventh chord", "share"),
    ("chord_thin", "Thin beats (two notes or fewer)", "share"),
    ("chord_dominant7", "Beats on a dominant seventh", "share"),
    ("notes_per_bar_alto", "Alto notes per bar", "motion"),
    ("notes_per_bar_tenor", "Tenor notes per bar", "motion"),
    ("notes_per_bar_bass", "Bass notes per bar", "motion"),
)
TOLERANCE = 1.5  # a fault rate above 1.5 × Bach's is marked


@dataclass(frozen=True)
class MarkRow:
    label: str
    values: list[str]  # one per section, then the whole piece
    bach: str
    marked: bool  # the whole piece's fault rate is well above Bach's


@dataclass(frozen=True)
class TeacherMarks:
    columns: list[str]  # the sections' names, then "Whole piece"
    rows: list[MarkRow]


def _text(value: object, kind: str) -> str:
    if not isinstance(value, int | float):
        return "–"
    return f"{100 * value:.0f} %" if kind == "share" else f"{value:.2f}"


def composition_teacher_marks(*, composition: Composition) -> TeacherMarks | None:
    """The audit table of a finished piece, or None for a piece measured before the audit."""
    metrics = composition.metrics or {}
    if "audit_leaps_per_bar" not in metrics:
        return None
    result = composition.job.result if composition.job_id else {}
    sections = [s for s in (result or {}).get("sections") or [] if "audit_leaps_per_bar" in s]
    names, counts = [], {}
    for section in sections:
        kind = str(section["kind"]).capitalize()
        counts[kind] = counts.get(kind, 0) + 1
        names.append(f"{kind} {counts[kind]}" if kind == "Variation" else kind)
    bach = bach_audit()
    rows = []
    for key, label, kind in MARKED:
        whole = metrics.get(key)
        reference = bach.get(key)
        marked = (
            kind == "fault"
            and isinstance(whole, int | float)
            and reference is not None
            and whole > TOLERANCE * reference + 0.01
        )
        values = [_text(s.get(key), kind) for s in sections] + [_text(whole, kind)]
        rows.append(MarkRow(label, values, _text(reference, kind), marked))
    return TeacherMarks([*names, "Whole piece"], rows)
