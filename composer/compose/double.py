"""The variations keep the statement's harmony: a Baroque double.

The statement is refined once; each variation takes its melody over the statement's alto, tenor
and bass at the same place in the tune (from the reprise's start when the variations take up only
the tune's end), and the embellisher then varies that surface. So the harmony is composed once,
not again for every repetition, and the variations are heard as the same music ornamented.

The join is the one place this harmony was never composed for: the statement's last chord
leads into a chord that, in the statement, followed another. There the whole body's draft
(harmonized in context, across the join) is kept for the first beats of the variation, up to
the first beat where the statement's harmony can take over with no parallel, crossing, hidden
fifth or awkward leap across a join. When no beat can, the caller refines the whole body
instead, as each repetition was refined before the double.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from composer.compose.form import FormPlan
from composer.constants import REST, STEPS_PER_BEAT
from composer.metrics import crossing_count
from composer.metrics.audit import hidden_outer_count, leap_count, parallel_counts
from composer.score import Score

SEAM_BARS = 2  # how far into a variation the draft may lead to the statement's harmony


def _statement_lower(plan: FormPlan, statement: Score) -> tuple[np.ndarray, np.ndarray]:
    """The statement's lower voices under the variation's melody, the length of a variation."""
    varied = plan.variation_tune.n_steps
    start = plan.reprise_from if plan.reprise is not None else 0
    pitches = statement.pitches[1:, start : start + varied]
    onsets = statement.onsets[1:, start : start + varied].copy()
    onsets[:, 0] |= pitches[:, 0] != REST  # a chord held over the reprise's start is struck
    if pitches.shape[1] < varied:  # the reprise's last note held longer: the chord too
        hold = varied - pitches.shape[1]
        pitches = np.concatenate([pitches, np.repeat(pitches[:, -1:], hold, axis=1)], axis=1)
        onsets = np.concatenate([onsets, np.zeros((onsets.shape[0], hold), bool)], axis=1)
    return pitches, onsets


def _faults(score: Score, start: int, end: int) -> int:
    part = score.window(start, end)
    return (
        sum(parallel_counts(part))
        + crossing_count(part)
        + hidden_outer_count(part)
        + leap_count(part)
    )


def _joined(body: Score, start: int, seam: int, pitches: np.ndarray, onsets: np.ndarray) -> Score:
    """The body with the lower voices from `seam` to the variation's end taken from the
    statement (`pitches`, `onsets` start at the variation's `start`)."""
    out_p, out_o = body.pitches.copy(), body.onsets.copy()
    end = start + pitches.shape[1]
    out_p[1:, seam:end] = pitches[:, seam - start :]
    out_o[1:, seam:end] = onsets[:, seam - start :]
    return body.with_pitches(out_p, out_o)  # a pitch that changes at the seam is struck there


def _join_faults(score: Score, lo: int, joins: list[int], hi: int) -> int:
    """Faults in steps lo..hi that neither side of a join has on its own: those across it."""
    bounds = [lo, *sorted(set(joins)), hi]
    parts = sum(_faults(score, a, b) for a, b in pairwise(bounds))
    return _faults(score, lo, hi) - parts


def doubled_body(plan: FormPlan, statement: Score, draft: Score) -> Score | None:
    """The body (`plan.body_steps`): the refined `statement`, then each variation's melody (the
    `draft`'s, which harmonized the whole body) over the statement's harmony, joined to what
    comes before it through the draft; None when a variation cannot be joined without a fault
    across the join.

    At each variation the statement's harmony takes over at the first beat (from the
    variation's first step, up to SEAM_BARS in, or at its end: the draft's harmony for the whole
    variation) where no fault crosses a join within a bar of it."""
    if statement.n_steps != plan.section_steps or draft.n_steps != plan.body_steps:
        raise ValueError("the statement and the draft must have the plan's lengths")
    pitches, onsets = _statement_lower(plan, statement)
    body_p = draft.pitches.copy()
    body_o = draft.onsets.copy()
    body_p[:, : statement.n_steps] = statement.pitches
    body_o[:, : statement.n_steps] = statement.onsets
    body = draft.with_pitches(body_p, body_o)
    bar = plan.tune.steps_per_bar
    for start in plan.section_starts[1:]:
        end = start + pitches.shape[1]
        seams = [*range(start, min(end, start + SEAM_BARS * bar), STEPS_PER_BEAT), end]
        for seam in seams:
            candidate = _joined(body, start, seam, pitches, onsets) if seam < end else body
            if not _join_faults(candidate, max(0, start - bar), [start, seam], seam + bar):
                body = candidate
                break
        else:
            return None
    return body
