"""The teacher's audit, rule by rule, on small four-part examples worked out by hand.

Each example is a few chords written as (soprano, alto, tenor, bass) MIDI pitches, one chord per
quarter note in 4/4 and C major unless a test says otherwise; a test states what a teacher marks.
"""

from __future__ import annotations

import numpy as np
import pytest

from composer.constants import REST, STEPS_PER_BEAT
from composer.data.chorales import load_chorales
from composer.metrics import audit as a
from composer.metrics import piece_metrics
from composer.metrics.chords import beat_chords, chord_distribution, chord_of, distribution_distance
from composer.score import Score

C4, D4, E4, F4, G4, A4, B4 = 60, 62, 64, 65, 67, 69, 71
C5, D5, E5, F5, G5 = 72, 74, 76, 77, 79
C3, D3, E3, F3, G3, A3, B3 = 48, 50, 52, 53, 55, 57, 59
C2, G2, A2, B2 = 36, 43, 45, 47


def chords(*columns: tuple[int, int, int, int], tonic: int = 0, mode: str = "major") -> Score:
    """One chord per beat; a repeated pitch is struck again."""
    steps = len(columns) * STEPS_PER_BEAT
    pitches = np.repeat(np.array(columns, dtype=np.int16).T, STEPS_PER_BEAT, axis=1)
    onsets = np.zeros((4, steps), dtype=bool)
    onsets[:, ::STEPS_PER_BEAT] = True
    return Score(pitches=pitches, onsets=onsets, tonic=tonic, mode=mode)


# --- parallels --------------------------------------------------------------------------------


def test_parallel_fifths_by_similar_motion() -> None:
    # Alto and bass: C-G fifth (G4 over C3) to D-A fifth (A4 over D3), both rising.
    score = chords((E5, G4, E4, C3), (F5, A4, D4, D3))
    assert a.parallel_counts(score) == (1, 0)


def test_octaves_by_contrary_motion_are_counted_apart() -> None:
    # Soprano G4 -> C5 up, bass G3 -> C3 down: an octave (compound) to an octave, moving apart.
    score = chords((G4, D4, B3, G3), (C5, E4, G3, C3))
    similar, contrary = a.parallel_counts(score)
    assert (similar, contrary) == (0, 1)
    assert a.teacher_audit(score)["audit_parallels_contrary_per_bar"] == 1.0


def test_a_held_voice_makes_no_parallel() -> None:
    # The bass holds C while the alto repeats a fifth above it: oblique motion, no fault.
    score = chords((E5, G4, C4, C3), (E5, G4, C4, C3))
    assert a.parallel_counts(score) == (0, 0)


# --- hidden fifths and octaves ----------------------------------------------------------------


def test_hidden_octave_in_the_outer_voices_with_a_soprano_leap() -> None:
    # Soprano E5 -> G5 (a leap of a third) and bass C3 -> G3, both up, into an octave.
    leap = chords((E5, G4, C4, C3), (G5, B4, D4, G3))
    assert a.hidden_outer_count(leap) == 1
    # The same arrival with the soprano moving by step (A5... F5 -> G5) is allowed.
    step = chords((F5, A4, C4, D3), (G5, B4, D4, G3))
    assert a.hidden_outer_count(step) == 0


# --- spacing, overlaps, crossings -------------------------------------------------------------


def test_spacing_wider_than_an_octave_between_upper_voices() -> None:
    # Soprano G5 over alto E4 is a tenth: one fault; tenor-bass may be as wide as it likes.
    score = chords((G5, E4, C4, C2), (G5, C5, E4, C2))
    assert a.spacing_count(score) == 1


def test_overlap_when_the_alto_moves_above_where_the_soprano_was() -> None:
    # Soprano E4 -> G4 up... alto C4 -> F4, above the soprano's previous E4.
    score = chords((E4, C4, G3, C3), (G4, F4, B3, G2))
    assert a.overlap_count(score) == 1
    fine = chords((E4, C4, G3, C3), (F4, D4, A3, F3))
    assert a.overlap_count(fine) == 0


# --- leaps ------------------------------------------------------------------------------------


def test_awkward_leaps_in_the_lower_voices() -> None:
    # Tenor F3 -> B3 (a tritone), alto C4 -> B4 (a major seventh), bass G2 -> G3 (an octave, fine).
    score = chords((E5, C4, F3, G2), (D5, B4, B3, G3))
    assert a.leap_count(score) == 2


def test_the_augmented_second_of_harmonic_minor() -> None:
    # In A minor the alto F4 -> G#4 is an augmented second (3 semitones); in C major the same
    # three semitones (E-flat... D4 -> F4) are a plain minor third.
    minor = chords((A4, F4, C4, D3), (B4, 68, E4, E3), tonic=9, mode="minor")
    assert a.leap_count(minor) == 1
    major = chords((A4, D4, C4, F3), (A4, F4, C4, F3))
    assert a.leap_count(major) == 0


def test_over_an_octave_counts_in_alto_and_tenor_only() -> None:
    # Tenor C3 -> E4 (16 semitones) is a fault; the bass leaping C2 -> E3 (16) is not counted.
    inner = chords((G5, E4, C3, C2), (G5, C5, E4, C2))
    bass = chords((G5, E5, G4, C2), (G5, E5, G4, E3))
    assert a.leap_count(inner) == 1
    assert a.leap_count(bass) == 0


# --- tendency tones ---------------------------------------------------------------------------


def test_doubled_leading_tone() -> None:
    # G major chord in C with B in soprano and tenor.
    score = chords((B4, D4, B3, G2), (C5, E4, C4, C3))
    assert a.doubled_leading_tone_count(score) == 1


def test_leading_tone_in_the_bass_of_a_dominant_must_rise() -> None:
    # vii°6-like: B in the bass under a diminished triad (B-D-F), then falling to A: unresolved.
    falling = chords((F5, D5, F4, B2), (E5, C5, E4, A2))
    rising = chords((F5, D5, F4, B2), (E5, C5, G4, C3))
    assert a.unresolved_leading_tone_count(falling) == 1
    assert a.unresolved_leading_tone_count(rising) == 0


def test_the_seventh_of_a_dominant_seventh_falls_by_step() -> None:
    # G7 (G-B-D-F) with F in the alto: F4 -> E4 resolves; F4 -> G4 does not.
    resolved = chords((D5, F4, B3, G2), (C5, E4, C4, C3))
    rising = chords((D5, F4, B3, G2), (C5, G4, C4, C3))
    assert a.unresolved_seventh_count(resolved) == 0
    assert a.unresolved_seventh_count(rising) == 1


# --- chords -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pitches", "kind", "root"),
    [
        ((C4, E4, G4), "major", 0),
        ((A3, C4, E4), "minor", 9),
        ((B3, D4, F4), "diminished", 11),
        ((C4, E4, 68), "augmented", 0),
        ((G3, B3, D4, F4), "dominant7", 7),
        ((D4, F4, A4, C5), "minor7", 2),
        ((B3, D4, F4, A4), "half_diminished7", 11),
        ((B3, D4, F4, 68), "diminished7", 11),
        ((C4, E4, G4, B4), "major7", 0),
        ((C4, G4), "thin", None),
        ((C4, D4, G4), "other", None),  # a suspension on the beat
    ],
)
def test_chord_types_in_any_inversion(
    pitches: tuple[int, ...], kind: str, root: int | None
) -> None:
    found, found_root = chord_of(frozenset(p % 12 for p in pitches))
    assert found == kind
    if kind == "diminished7":  # symmetric: any of its notes may be named the root
        assert found_root in {p % 12 for p in pitches}
    else:
        assert found_root == root
    inverted = frozenset((p + 12 * (i == 0)) % 12 for i, p in enumerate(pitches))
    assert chord_of(inverted)[0] == kind


def test_beat_chords_and_their_distribution() -> None:
    # C major, G7 in first inversion, an open fifth C-G (thin), then a rest-only beat (skipped).
    score = chords((C5, E4, G3, C3), (D5, F4, G3, B2), (G4, C4, G3, C3), (REST, REST, REST, REST))
    assert [k for k, _ in beat_chords(score)] == ["major", "dominant7", "thin"]
    shares = chord_distribution(score)
    assert shares["major"] == pytest.approx(1 / 3) and shares["thin"] == pytest.approx(1 / 3)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert distribution_distance(shares, shares) == 0.0
    assert distribution_distance({"major": 1.0}, {"minor": 1.0}) == 1.0


def test_inner_voice_motion_is_notes_per_bar() -> None:
    score = chords((E5, G4, C4, C3), (E5, G4, C4, C3), (D5, G4, B3, G2), (C5, E4, C4, C3))
    audit = a.teacher_audit(score)
    assert audit["notes_per_bar_alto"] == 4.0  # every beat struck, one bar


# --- on Bach ----------------------------------------------------------------------------------


def test_bach_passes_his_own_audit_with_few_faults() -> None:
    chorales = load_chorales("valid")[:10]
    audits = [a.teacher_audit(c, reference=c) for c in chorales]
    mean = {k: float(np.mean([x[k] for x in audits])) for k in audits[0]}
    assert mean["audit_parallels_similar_per_bar"] < 0.05
    assert mean["audit_leaps_per_bar"] < 0.2
    assert mean["chord_tertian"] > 0.8
    assert mean["chord_distance"] == 0.0  # the reference is the piece itself
    assert 3 < mean["notes_per_bar_bass"] < 7


def test_piece_metrics_carry_the_audit() -> None:
    chorale = load_chorales("valid")[0]
    metrics = piece_metrics(chorale, reference=chorale)
    assert {"audit_parallels_contrary_per_bar", "chord_dominant7", "chord_distance"} <= set(metrics)


def test_sections_are_audited_with_bachs_rates_beside() -> None:
    from composer.metrics.bach_audit import SHOWN, bach_audit, section_audits

    chorale = load_chorales("valid")[0]
    half = chorale.n_steps // 2
    parts = section_audits(chorale, [("statement", 0, half), ("variation", half, chorale.n_steps)])
    assert [p["kind"] for p in parts] == ["statement", "variation"]
    assert parts[1]["start"] == half and set(SHOWN) <= set(parts[0])
    whole = a.teacher_audit(chorale)
    # Notes per bar of the halves average to the whole's (equal halves, whole bars or not).
    mean = (parts[0]["notes_per_bar_bass"] + parts[1]["notes_per_bar_bass"]) / 2
    assert mean == pytest.approx(whole["notes_per_bar_bass"], rel=0.15)
    rates = bach_audit()
    assert set(SHOWN) <= set(rates) and 0 < rates["chord_tertian"] < 1
