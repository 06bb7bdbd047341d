"""Scores to multi-track MIDI and back: exact on the grid, with meter, pickup, key and tempo."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pretty_midi
import pytest

from composer.constants import REST
from composer.data.chorales import load_chorales
from composer.errors import InputError
from composer.midi.io import midi_to_score, score_to_midi, write_midi
from composer.score import Score

R = REST


def _through_file(score: Score, **options) -> Score:
    buffer = io.BytesIO()
    score_to_midi(score, **options).write(buffer)
    buffer.seek(0)
    return midi_to_score(pretty_midi.PrettyMIDI(buffer))


def _assert_same(back: Score, score: Score) -> None:
    assert np.array_equal(back.pitches, score.pitches), score.name
    assert np.array_equal(back.onsets, score.onsets), score.name
    assert back.meter == score.meter and back.pickup_steps == score.pickup_steps, score.name
    assert (back.tonic, back.mode) == (score.tonic, score.mode), score.name
    assert back.tempo_bpm == pytest.approx(score.tempo_bpm, abs=1e-3)
    assert back.fermatas is not None and score.fermatas is not None
    assert np.array_equal(back.fermatas, score.fermatas), score.name


def test_every_training_chorale_survives_a_midi_round_trip() -> None:
    scores = load_chorales("train")
    assert len(scores) > 250
    for score in scores:
        _assert_same(_through_file(score), score)


def test_file_has_named_tracks_programs_meter_pickup_and_key(tmp_path: Path) -> None:
    score = next(s for s in load_chorales("train") if s.pickup_steps == 4 and s.meter == (4, 4))
    score.tempo_bpm = 72.0
    path = write_midi(score, tmp_path / "chorale.mid", programs=[19, 19, 19, 20])
    midi = pretty_midi.PrettyMIDI(str(path))
    assert [i.name for i in midi.instruments] == ["Soprano", "Alto", "Tenor", "Bass"]
    assert [i.program for i in midi.instruments] == [19, 19, 19, 20]
    signatures = [(t.numerator, t.denominator, t.time) for t in midi.time_signature_changes]
    beat = 60.0 / 72.0
    assert signatures[0] == (1, 4, 0.0) and signatures[1][:2] == (4, 4)
    assert signatures[1][2] == pytest.approx(beat)  # the pickup is one beat long
    key = midi.key_signature_changes[0].key_number
    assert key == score.tonic + (12 if score.mode == "minor" else 0)
    assert midi.get_tempo_changes()[1][0] == pytest.approx(72.0, abs=1e-3)
    back = midi_to_score(path)
    _assert_same(back, score)
    assert back.name == "chorale" and back.bar_starts()[:2] == [0, 4]


def test_three_four_chorale_with_pickup() -> None:
    score = next(s for s in load_chorales() if s.meter == (3, 4) and s.pickup_steps == 4)
    midi = score_to_midi(score)
    assert [(t.numerator, t.denominator) for t in midi.time_signature_changes] == [(1, 4), (3, 4)]
    back = _through_file(score)
    _assert_same(back, score)
    assert back.steps_per_bar == 12 and back.bar_starts()[:3] == [0, 4, 16]


def test_held_and_repeated_notes_are_different_midi_notes() -> None:
    pitches = [[72, 72, 72, 72, 72, 72, R, 74]]
    onsets = [[True, False, False, True, False, False, False, True]]
    score = Score(pitches=pitches, onsets=onsets, pickup_steps=2, meter=(3, 8))
    midi = score_to_midi(score)
    notes = [
        (n.pitch, round(n.start / (60 / 90 / 4)), round(n.end / (60 / 90 / 4)))
        for n in midi.instruments[0].notes
    ]
    assert notes == [(72, 0, 3), (72, 3, 6), (74, 7, 8)]
    assert midi.instruments[0].name == "Melody"
    back = _through_file(score)
    assert back.pitches.tolist() == pitches and back.onsets.tolist() == onsets
    assert (back.meter, back.pickup_steps) == ((3, 8), 2)


def test_trailing_silence_keeps_the_length() -> None:
    score = Score(pitches=[[60, 60, R, R]], onsets=[[True, False, False, False]])
    assert _through_file(score).n_steps == 4


def test_foreign_resolution_and_tempo_land_on_the_grid() -> None:
    midi = pretty_midi.PrettyMIDI(resolution=96, initial_tempo=120.0)
    for pitch, low in ((67, False), (48, True)):
        inst = pretty_midi.Instrument(0, name="low" if low else "high")
        inst.notes.append(pretty_midi.Note(80, pitch, 0.0, 0.5))  # one beat at 120 bpm
        inst.notes.append(pretty_midi.Note(80, pitch + 2, 0.5, 0.625))  # a 16th
        midi.instruments.append(inst)
    midi.time_signature_changes.append(pretty_midi.TimeSignature(2, 4, 0.0))
    score = midi_to_score(midi)
    assert score.pitches.tolist() == [[67] * 4 + [69], [48] * 4 + [50]]
    assert score.meter == (2, 4) and score.pickup_steps == 0 and score.tempo_bpm == 120.0


def test_overlapping_notes_in_a_track_keep_the_higher() -> None:
    midi = pretty_midi.PrettyMIDI(initial_tempo=60.0)  # one beat per second: a step is 0.25 s
    inst = pretty_midi.Instrument(0)
    inst.notes += [pretty_midi.Note(80, 60, 0.0, 1.0), pretty_midi.Note(80, 64, 0.25, 0.5)]
    midi.instruments.append(inst)
    score = midi_to_score(midi)
    assert score.pitches.tolist() == [[60, 64, 60, 60]]
    assert score.onsets.tolist() == [[True, True, True, False]]


def test_options_must_match_the_voices() -> None:
    score = load_chorales("valid")[0]
    midi = score_to_midi(score, track_names=["S", "A", "T", "B"], velocities=[100, 60, 60, 70])
    assert [i.name for i in midi.instruments] == ["S", "A", "T", "B"]
    assert {n.velocity for n in midi.instruments[0].notes} == {100}
    with pytest.raises(ValueError, match="programs"):
        score_to_midi(score, programs=[0, 0])


def test_missing_or_broken_files_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such"):
        midi_to_score(tmp_path / "absent.mid")
    broken = tmp_path / "broken.mid"
    broken.write_bytes(b"not midi at all")
    with pytest.raises(InputError, match="not a readable"):
        midi_to_score(broken)
    with pytest.raises(InputError, match="no notes"):
        midi_to_score(pretty_midi.PrettyMIDI())
