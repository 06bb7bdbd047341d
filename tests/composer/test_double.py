"""The variations over the statement's harmony (composer.compose.double), on hand-made chorales
whose joins are worked out in the comments."""

from __future__ import annotations

import numpy as np

from composer.compose.double import doubled_body
from composer.compose.form import FormPlan
from composer.metrics.audit import parallel_counts
from composer.score import Score

BEAT = 4
# A two-bar statement in C major, one chord (S, A, T, B) a beat; a repeated chord is held.
STATEMENT = [
    (69, 64, 60, 45),  # A minor
    (69, 64, 60, 45),
    (67, 64, 60, 48),  # C
    (67, 62, 59, 43),  # G
    (67, 64, 60, 48),  # C
    (65, 62, 57, 50),  # D minor
    (67, 62, 59, 43),  # G
    (67, 62, 59, 43),
]


def chorale(chords: list[tuple[int, int, int, int]]) -> Score:
    """A beat per chord; a voice repeating its pitch holds it (the Score strikes the changes)."""
    pitches = np.repeat(np.array(chords, dtype=np.int16).T, BEAT, axis=1)
    return Score(pitches=pitches, onsets=np.zeros(pitches.shape, dtype=bool))


def plan(tune: Score, reprise_from: int | None = None) -> FormPlan:
    reprise = None
    if reprise_from is not None:
        reprise = tune.with_pitches(tune.pitches[:, reprise_from:], tune.onsets[:, reprise_from:])
    return FormPlan(
        style="baroque",
        tempo_bpm=90.0,
        tune=tune,
        repeats=2,
        cadence_bars=2,
        trimmed_at=None,
        risks=(1.0,),
        reprise=reprise,
        reprise_from=reprise_from,
    )


def test_the_statement_parallels_across_the_join_when_doubled_as_it_stands() -> None:
    # The statement's last chord G (67, 62, 59, 43) to its first, A minor (69, 64, 60, 45): the
    # soprano and bass go up a tone in octaves, the alto and bass in fifths.
    join = chorale([STATEMENT[-1], STATEMENT[0]])
    assert parallel_counts(join) == (2, 0)


def test_a_join_with_parallels_takes_the_drafts_first_beat_then_the_statements_harmony() -> None:
    statement = chorale(STATEMENT)
    # The draft heard the join: it opens the variation on A minor in first inversion (C3 under
    # A4, E4, C4: no fifth or octave from the G chord), then holds it.
    draft = chorale(STATEMENT + [(69, 64, 60, 48)] * 8)
    body = doubled_body(
        plan(statement.with_pitches(statement.pitches[:1], statement.onsets[:1])), statement, draft
    )
    assert body is not None
    start = statement.n_steps
    # The first beat is the draft's; from the second beat on, the statement's alto, tenor, bass.
    assert (body.pitches[1:, start : start + BEAT].T == (64, 60, 48)).all()
    assert np.array_equal(body.pitches[1:, start + BEAT :], statement.pitches[1:, BEAT:])
    assert np.array_equal(body.pitches[:, :start], statement.pitches)
    assert parallel_counts(body) == (0, 0)
    # The alto and tenor hold their notes over the seam (the same pitches), the bass moves.
    seam = start + BEAT
    assert not body.onsets[1, seam] and not body.onsets[2, seam] and body.onsets[3, seam]


def test_a_join_no_beat_can_make_without_a_fault_is_left_to_the_caller() -> None:
    statement = chorale(STATEMENT)
    # The draft's variation is the statement again: every seam keeps the octaves at the join.
    draft = chorale(STATEMENT + STATEMENT)
    melody = statement.with_pitches(statement.pitches[:1], statement.onsets[:1])
    assert doubled_body(plan(melody), statement, draft) is None


def test_a_reprise_takes_the_statements_harmony_from_where_it_begins() -> None:
    statement = chorale(STATEMENT)
    melody = statement.with_pitches(statement.pitches[:1], statement.onsets[:1])
    half = statement.n_steps // 2
    # The reprise begins on the second bar's C (67, 64, 60, 48): from G the soprano holds, so
    # nothing parallels at the join and the statement's harmony takes over at once. The draft
    # carries the reprise's melody (the body's), which the variation keeps.
    draft = chorale(STATEMENT + [(s, 64, 60, 48) for s, _, _, _ in STATEMENT[4:]])
    body = doubled_body(plan(melody, reprise_from=half), statement, draft)
    assert body is not None
    assert np.array_equal(body.pitches[1:, statement.n_steps :], statement.pitches[1:, half:])
    assert np.array_equal(body.pitches[0], draft.pitches[0])
    assert np.array_equal(body.pitches[0, statement.n_steps :], statement.pitches[0, half:])
