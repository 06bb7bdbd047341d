"""The sample melodies: committed MIDI files that extract to exactly the written tunes."""

from __future__ import annotations

from pathlib import Path

import pytest

from composer.data.samples import (
    SAMPLES_DIR,
    TUNES,
    Tune,
    parse_pitch,
    sample_melodies,
    tune_to_midi,
    write_sample_melodies,
)
from composer.midi.melody import extract_melody

# What a musician expects of each tune: meter, key, notes, pickup in 16ths.
EXPECTED = {
    "twinkle-twinkle": ((4, 4), (0, "major"), 42, 0),
    "ode-to-joy": ((4, 4), (2, "major"), 62, 0),
    "new-world-largo": ((4, 4), (1, "major"), 22, 0),
    "deck-the-halls": ((4, 4), (5, "major"), 68, 0),
    "we-wish-you-a-merry-christmas": ((3, 4), (7, "major"), 30, 4),
    "amazing-grace": ((3, 4), (7, "major"), 32, 4),
    "korobeiniki": ((4, 4), (9, "minor"), 37, 0),
}


def test_every_tune_is_expected() -> None:
    assert [t.slug for t in TUNES] == list(EXPECTED)
    assert {t.meter for t in TUNES} >= {(4, 4), (3, 4)}
    assert any(t.key.endswith("minor") for t in TUNES)


@pytest.mark.parametrize("tune", TUNES, ids=lambda t: t.slug)
def test_sample_extracts_as_written(tune: Tune) -> None:
    meter, key, n_notes, pickup = EXPECTED[tune.slug]
    tune.check()
    assert (tune.meter, tune.n_notes, tune.pickup_steps) == (meter, n_notes, pickup)
    result = extract_melody(SAMPLES_DIR / f"{tune.slug}.mid")
    score = result.score
    assert score.meter == meter
    assert (score.tonic, score.mode) == key
    assert result.notes == n_notes
    assert score.pickup_steps == pickup
    assert score.tempo_bpm == tune.tempo_bpm
    assert result.warnings == []
    assert result.source == f"track 2 '{tune.title}'"
    # Note for note and rest for rest, as written.
    written, step = [], 0
    for pitch, steps in tune.notes:
        if pitch is not None:
            written.append((step, step + steps, pitch))
        step += steps
    assert score.notes(0) == written


@pytest.mark.parametrize("tune", TUNES, ids=lambda t: t.slug)
def test_key_found_without_the_key_signature(tune: Tune, tmp_path: Path) -> None:
    """The notes alone give the key: a user's copy of the tune may lack a key signature."""
    midi = tune_to_midi(tune)
    midi.key_signature_changes.clear()
    path = tmp_path / "no-key.mid"
    midi.write(str(path))
    score = extract_melody(path).score
    assert (score.tonic, score.mode) == EXPECTED[tune.slug][1]


def test_sample_melodies_lists_the_committed_files() -> None:
    samples = sample_melodies()
    assert [s.slug for s in samples] == [t.slug for t in TUNES]
    for sample in samples:
        assert sample.path.is_file(), sample.path
        assert sample.title


def test_committed_files_are_up_to_date(tmp_path: Path) -> None:
    for written in write_sample_melodies(tmp_path):
        committed = next(s.path for s in sample_melodies() if s.slug == written.stem)
        assert written.read_bytes() == committed.read_bytes(), written.name


def test_parse_pitch() -> None:
    assert [parse_pitch(n) for n in ("C4", "F#5", "Bb3", "A5", "Db4")] == [60, 78, 58, 81, 61]


def test_bar_check_catches_a_short_bar() -> None:
    broken = Tune("x", "X", "C major", (4, 4), 90, "C4/4 D4/4 E4/4 F4/4 | G4/8 | C4/16")
    with pytest.raises(ValueError, match="bar 2 holds 8 steps"):
        broken.check()


def test_ties_merge_into_one_note() -> None:
    tied = Tune("x", "X", "C major", (3, 4), 90, "C4/12- | C4/8 D4/4")
    assert tied.notes == [(60, 20), (62, 4)]
