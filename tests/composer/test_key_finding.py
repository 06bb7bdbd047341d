"""Key finding: the 24 keys ranked by the Krumhansl-Schmuckler correlation, best first."""

from __future__ import annotations

from composer.constants import STEPS_PER_BEAT
from composer.key_finding import key_fits


def _line(pitches: list[int], steps: int = 4) -> list[tuple[int, int, int]]:
    return [(i * steps, (i + 1) * steps, p) for i, p in enumerate(pitches)]


def test_a_major_scale_is_in_its_key() -> None:
    fits = key_fits(_line([60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60]))
    assert next(iter(fits)) == (0, "major")
    assert len(fits) == 24 and list(fits.values()) == sorted(fits.values(), reverse=True)


def test_a_raised_leading_tone_says_minor() -> None:
    fits = key_fits(_line([57, 59, 60, 62, 64, 65, 68, 69, 64, 68, 69]))
    assert next(iter(fits)) == (9, "minor")
    assert fits[(9, "minor")] > fits[(0, "major")]


def test_long_notes_weigh_more() -> None:
    # The same pitches; held on G and D instead of C and E, the tune leans to G major.
    even = key_fits([(0, 4, 60), (4, 8, 64), (8, 12, 67), (12, 16, 62), (16, 20, 66)])
    held = key_fits([(0, 1, 60), (1, 2, 64), (2, 18, 67), (18, 34, 62), (34, 50, 66)])
    assert held[(7, "major")] - held[(0, "major")] > even[(7, "major")] - even[(0, "major")]


def test_no_notes_fit_no_key() -> None:
    assert key_fits([]) == {}


def test_the_fits_are_music21s_for_the_whole_tune() -> None:
    """The finder reads one note per pitch class; music21 reading every note agrees on every key."""
    from music21 import note, stream
    from music21.analysis.discrete import KrumhanslSchmuckler

    from composer.data.samples import sample_melodies
    from composer.midi.melody import extract_melody

    sample = sample_melodies()[0]
    score = extract_melody(sample.path, name=sample.slug).score
    notes = score.notes(0)
    tune = stream.Stream()
    for start, end, pitch in notes:
        tune.append(note.Note(pitch, quarterLength=(end - start) / STEPS_PER_BEAT))
    finder = KrumhanslSchmuckler()
    best, _ = finder.process(tune, storeAlternatives=True)
    whole = {}
    for tonic, mode, coefficient in [best, *finder.alternativeSolutions]:
        whole.setdefault((tonic.pitchClass, mode), coefficient)
    fits = key_fits(notes)
    assert list(fits) == list(whole)
    assert all(abs(fits[k] - whole[k]) < 1e-9 for k in whole)
