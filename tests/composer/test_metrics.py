"""The music metrics on small hand-made scores whose right values are worked out in the comments."""

from __future__ import annotations

import math

import numpy as np
import pytest

from composer import metrics as m
from composer.constants import REST
from composer.score import Score

Note = tuple[int | None, int]  # (MIDI pitch or None for a rest, length in 16th steps)


def score(*voices: list[Note], **kwargs: object) -> Score:
    """A score from one list of (pitch, steps) notes per voice; every note starts with an onset."""
    pitches, onsets = [], []
    for notes in voices:
        row: list[int] = []
        ons: list[bool] = []
        for pitch, steps in notes:
            row += [REST if pitch is None else pitch] * steps
            ons += [pitch is not None] + [False] * (steps - 1)
        pitches.append(row)
        onsets.append(ons)
    return Score(pitches=np.array(pitches), onsets=np.array(onsets), **kwargs)  # type: ignore[arg-type]


# --- parallel fifths and octaves --------------------------------------------------------------


def test_parallel_fifth_is_counted_also_as_a_compound_interval() -> None:
    # G4-A4 over C3-D3: 19 then 19 semitones (a 12th = a compound fifth), both voices up: 1.
    # 8 steps in 4/4 is one bar, so 1.0 per bar.
    s = score([(67, 4), (69, 4)], [(48, 4), (50, 4)])
    assert m.parallel_5ths_8ves_per_bar(s) == 1.0


def test_contrary_and_hidden_fifths_are_not_parallels() -> None:
    # Contrary: G4 -> A3 over C3 -> D3 is 19 then 7 (fifths both times) but the upper voice falls
    # while the lower rises: 0. Hidden: E4 -> A4 over C3 -> D3 is 16 (a 10th) then 19: 0.
    contrary = score([(67, 4), (57, 4)], [(48, 4), (50, 4)])
    hidden = score([(64, 4), (69, 4)], [(48, 4), (50, 4)])
    assert m.parallel_5ths_8ves_per_bar(contrary) == 0.0
    assert m.parallel_5ths_8ves_per_bar(hidden) == 0.0


def test_parallel_octave_and_unison_count_a_fifth_to_an_octave_does_not() -> None:
    # C4-D4 over C3-D3: octave, octave, both up: 1. C4-D4 in unison with C4-D4: 1 (a unison is an
    # octave class). G3 -> D4 over C3 -> D3, both up, is a 5th then an octave: 0.
    octave = score([(60, 4), (62, 4)], [(48, 4), (50, 4)])
    unison = score([(60, 4), (62, 4)], [(60, 4), (62, 4)])
    fifth_to_octave = score([(55, 4), (62, 4)], [(48, 4), (50, 4)])
    assert m.parallel_5ths_8ves_per_bar(octave) == 1.0
    assert m.parallel_5ths_8ves_per_bar(unison) == 1.0
    assert m.parallel_5ths_8ves_per_bar(fifth_to_octave) == 0.0


def test_repeated_perfect_intervals_without_motion_are_not_parallels() -> None:
    # G4 repeated over C3 repeated: a fifth twice, but neither voice moves: 0.
    s = score([(67, 4), (67, 4)], [(48, 4), (48, 4)])
    assert m.parallel_5ths_8ves_per_bar(s) == 0.0


def test_parallel_is_seen_through_a_third_voice_moving_but_not_across_a_rest() -> None:
    # Soprano and bass hold G4/C3 for 8 steps then move to A4/D3 while the alto moves at step 4:
    # the S/B pair's verticals are G/C then A/D, a parallel fifth: 1 in one bar.
    s = score([(67, 8), (69, 8)], [(64, 4), (62, 4), (65, 8)], [(48, 8), (50, 8)])
    assert m.parallel_5ths_8ves_per_bar(s) == 1.0
    # A rest in the soprano between G4 and A4: verticals G/C, -/C, A/D, none both sounding twice.
    rested = score([(67, 4), (None, 4), (69, 8)], [(48, 8), (50, 8)])
    assert m.parallel_5ths_8ves_per_bar(rested) == 0.0


# --- voice crossings ----------------------------------------------------------------------------


def test_voice_crossing_counts_each_vertical_with_the_lower_voice_above() -> None:
    # Soprano C5 E4 C5 (4 steps each) over an alto G4 held 12 steps: verticals C5/G4, E4/G4,
    # C5/G4; in the second the alto (67) is above the soprano (64): 1 crossing, 12 steps = 1 bar.
    s = score([(72, 4), (64, 4), (72, 4)], [(67, 12)])
    assert m.voice_crossings_per_bar(s) == 1.0
    # A unison is no crossing.
    assert m.voice_crossings_per_bar(score([(67, 4)], [(67, 4)])) == 0.0


# --- range and scale ----------------------------------------------------------------------------


def test_out_of_range_rate_uses_each_voices_range() -> None:
    # Soprano (60-81) B3 C4 A5 A#5: 59 and 82 are out, 2 of 4. Alto (53-74) F3 E3: 52 out, 1 of 2.
    # Tenor silent: no notes. Bass (36-64) C2 E4: both in. All voices: 3 of 8.
    s = score(
        [(59, 2), (60, 2), (81, 2), (82, 2)],
        [(53, 4), (52, 4)],
        [(None, 8)],
        [(36, 4), (64, 4)],
    )
    assert m.out_of_range_rate(s, [0]) == 0.5
    assert m.out_of_range_rate(s, [1]) == 0.5
    assert math.isnan(m.out_of_range_rate(s, [2]))
    assert m.out_of_range_rate(s, [3]) == 0.0
    assert m.out_of_range_rate(s) == 3 / 8


def test_in_scale_rate_of_a_c_major_scale_in_c_major_d_flat_major_and_c_minor() -> None:
    c_major_scale = [(p, 2) for p in (60, 62, 64, 65, 67, 69, 71, 72)]
    # In C major all 8 notes are in the scale.
    assert m.in_scale_rate(score(c_major_scale, tonic=0, mode="major")) == 1.0
    # D-flat major is Db Eb F Gb Ab Bb C: only C, F and the top C are in it: 3/8.
    assert m.in_scale_rate(score(c_major_scale, tonic=1, mode="major")) == 3 / 8
    # C minor (natural + harmonic + melodic) has C D Eb F G Ab A Bb B: all but E: 7/8.
    assert m.in_scale_rate(score(c_major_scale, tonic=0, mode="minor")) == 7 / 8


# --- empty bars and pickups ---------------------------------------------------------------------


def test_empty_bar_is_a_bar_of_silence_not_a_bar_with_notes() -> None:
    # Two bars of 4/4 (16 steps each). The soprano sings throughout; the alto sings bar 1 and rests
    # all of bar 2. Empty (voice, bar) pairs: 1 of 4.
    s = score([(72, 32)], [(67, 16), (None, 16)])
    assert m.empty_bar_rate(s) == 0.25
    assert m.empty_bar_rate(s, [0]) == 0.0
    assert m.empty_bar_rate(s, [1]) == 0.5
    # An alto note held 4 steps into bar 2 makes bar 2 not empty.
    held = score([(72, 32)], [(67, 20), (None, 12)])
    assert m.empty_bar_rate(held) == 0.0


def test_pickup_is_a_bar_of_its_own() -> None:
    # 3/4 (12 steps a bar) with a 4-step pickup, then 12 + 8 steps: bars start at 0, 4, 16: 3 bars.
    # The soprano/bass pair has one parallel fifth (G4-A4 over C3-D3, steps 0 -> 4): 1/3 per bar.
    # The alto rests through the pickup only: 1 empty bar of its 3.
    s = score(
        [(67, 4), (69, 20)],
        [(None, 4), (65, 20)],
        [(48, 4), (50, 20)],
        meter=(3, 4),
        pickup_steps=4,
    )
    assert len(m.bar_spans(s)) == 3
    assert m.parallel_5ths_8ves_per_bar(s) == pytest.approx(1 / 3)
    assert m.empty_bar_rate(s, [1]) == pytest.approx(1 / 3)
    assert m.empty_bar_rate(s) == pytest.approx(1 / 9)


# --- pitch classes, polyphony, qualified notes --------------------------------------------------


def test_pitch_classes_per_bar_counts_real_pitch_classes_of_a_chord() -> None:
    # Bar 1: C5 G4 E4 C3 is a C major triad: pitch classes {0, 4, 7} = 3.
    # Bar 2: D5 F4 B3 G2 is a G7 chord: pitch classes {2, 5, 7, 11} = 4. Mean 3.5.
    # Per voice the soprano has one pitch class in each bar: 1.0.
    s = score(
        [(72, 16), (74, 16)], [(67, 16), (65, 16)], [(64, 16), (59, 16)], [(48, 16), (43, 16)]
    )
    assert m.pitch_classes_per_bar(s) == 3.5
    assert m.pitch_classes_per_bar(s, [0]) == 1.0


def test_pitch_classes_per_bar_leaves_out_silent_bars() -> None:
    # Bar 1: C4 E4 G4 in one voice = 3; bar 2 silent, left out: 3.0 (not 1.5).
    s = score([(60, 4), (64, 4), (67, 8), (None, 16)])
    assert m.pitch_classes_per_bar(s) == 3.0


def test_polyphony_of_a_three_voice_step_ignores_silent_steps() -> None:
    # Steps 0-3: soprano, alto and tenor sound, the bass rests: 3 voices. Steps 4-7: nobody sounds,
    # left out. Mean over the 4 sounding steps: 3.0. With steps 8-11 soprano alone: (4*3+4*1)/8 = 2.
    s = score([(72, 4), (None, 8)], [(67, 4), (None, 8)], [(64, 4), (None, 8)], [(None, 12)])
    assert m.polyphony(s) == 3.0
    s2 = score([(72, 4), (None, 4), (72, 4)], [(67, 4), (None, 8)], [(64, 4), (None, 8)])
    assert m.polyphony(s2) == 2.0


def test_qualified_note_rate_rejects_sixteenth_notes() -> None:
    # C (4 steps), D (1), E (1), F (2): the two 16ths fail, the quarter and the eighth pass: 2/4.
    s = score([(60, 4), (62, 1), (64, 1), (65, 2)])
    assert m.qualified_note_rate(s) == 0.5


def test_a_repeated_note_is_two_notes() -> None:
    # Two onsets on the same pitch, 1 step each: two 16ths, neither qualified.
    s = Score(pitches=np.array([[60, 60]]), onsets=np.array([[True, True]]))
    assert m.qualified_note_rate(s) == 0.0


# --- comparison with a reference ----------------------------------------------------------------


def test_frame_accuracy_of_half_matching_voices() -> None:
    # Reference A/T/B each hold one pitch for 8 steps. The piece's alto equals it (8/8), its tenor
    # matches the first half (4/8), its bass differs throughout (0/8): (8 + 4 + 0) / 24 = 0.5.
    ref = score([(72, 8)], [(67, 8)], [(64, 8)], [(48, 8)])
    gen = score([(72, 8)], [(67, 8)], [(64, 4), (62, 4)], [(43, 8)])
    assert m.frame_accuracy(gen, ref) == 0.5
    metrics = m.piece_metrics(gen, reference=ref)
    assert metrics["frame_accuracy"] == 0.5
    assert metrics["frame_accuracy_alto"] == 1.0
    assert metrics["frame_accuracy_tenor"] == 0.5
    assert metrics["frame_accuracy_bass"] == 0.0


def test_tonal_distance_is_zero_for_identical_pieces_and_positive_for_different_ones() -> None:
    c_chord = score([(72, 16)], [(67, 16)], [(64, 16)], [(48, 16)])
    f_sharp = score([(72, 16)], [(66, 16)], [(61, 16)], [(54, 16)])
    assert m.tonal_distance(c_chord, c_chord) == 0.0
    assert m.tonal_distance(c_chord, f_sharp) > 1.0  # a tritone apart: far on every circle


def test_tonal_distance_of_a_fifth_by_hand() -> None:
    # One pitch class each: the centroid of pc p is (sin p7π/6, cos p7π/6, sin p3π/2, cos p3π/2,
    # .5 sin p2π/3, .5 cos p2π/3). C: (0, 1, 0, 1, 0, .5). G (p=7): (1/2, √3/2, 1, 0, √3/4, -1/4).
    # Squared distance: 1/4 + (√3/2 - 1)² + 1 + 1 + 3/16 + 9/16 = 4.75 - √3 ≈ 3.01795,
    # so the distance is ≈ 1.73723.
    c = score([(60, 16)])
    g = score([(67, 16)])
    assert m.tonal_distance(c, g) == pytest.approx(math.sqrt(4.75 - math.sqrt(3)))
    assert m.tonal_distance(c, g) == pytest.approx(1.73723, abs=1e-5)


def test_tonal_distance_melody_compares_soprano_with_the_other_voices() -> None:
    # The soprano's C against A/T/B sounding only Cs: same centroid, 0. Against an F# triad: > 0.
    in_tune = score([(72, 16)], [(60, 16)], [(48, 16)], [(36, 16)])
    off = score([(72, 16)], [(66, 16)], [(61, 16)], [(54, 16)])
    assert m.piece_metrics(in_tune)["tonal_distance_melody"] == 0.0
    assert m.piece_metrics(off)["tonal_distance_melody"] > 1.0


# --- the report ---------------------------------------------------------------------------------


def test_piece_metrics_has_per_voice_keys_and_no_reference_keys_without_a_reference() -> None:
    s = score([(72, 16)], [(67, 16)], [(64, 16)], [(48, 16)])
    metrics = m.piece_metrics(s)
    assert metrics["empty_bar_rate_alto"] == 0.0
    assert metrics["polyphony"] == 4.0
    assert "frame_accuracy" not in metrics and "tonal_distance" not in metrics
    assert m.NOTEWISE_NLL not in metrics  # the AR-CNN adds it


def test_average_metrics_skips_undefined_values() -> None:
    averaged = m.average_metrics([{"a": 1.0, "b": math.nan}, {"a": 3.0, "b": 2.0}, {"a": 2.0}])
    assert averaged == {"a": 2.0, "b": 2.0}
    assert math.isnan(m.average_metrics([{"c": math.nan}])["c"])
    assert m.jsonable({"a": math.nan, "b": 0.5}) == {"a": None, "b": 0.5}
