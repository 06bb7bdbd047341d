"""Melodies as people play them (composer.data.played) come back with a full harmony through the
CLI, with the shipped models: staccato, jittered, rubato, no tempo map, overlapped, grace notes,
swung, with rests, and entered in the studio's editor as short touches."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from composer.cli.main import main
from composer.compose.fullness import IncompleteHarmony, full_harmony, hold_lower_voices
from composer.data.played import CORPUS, Playing, performance, tune_bars, written_notes
from composer.data.samples import tune_by_slug
from composer.metrics.coverage import lower_voice_coverage
from composer.midi.io import midi_to_score
from composer.midi.melody import extract_melody
from composer.models.gan import SHIPPED_GAN
from composer.score import Score

MIN_COVERAGE = 0.9
TEST10 = Path(__file__).resolve().parents[2] / (
    ".venv/lib/python3.11/site-packages/music21/midi/testPrimitive/test10.mid"
)
needs_gan = pytest.mark.skipif(not SHIPPED_GAN.exists(), reason="the shipped GAN is missing")


def _written(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], model: str = "gan"
) -> tuple[Score, int]:
    """`composer harmonize` of a file: the four-voice score and the bar count it printed."""
    out = tmp_path / f"{path.stem}-harmony.mid"
    assert main(["harmonize", str(path), "-o", str(out), "--model", model]) == 0
    printed = capsys.readouterr().out
    bars = int(re.search(r": (\d+) bars", printed).group(1))  # type: ignore[union-attr]
    return midi_to_score(out), bars


def _inspected_bars(path: Path, capsys: pytest.CaptureFixture[str]) -> int:
    assert main(["inspect", str(path)]) == 0
    return int(re.search(r"length: (\d+) bars", capsys.readouterr().out).group(1))  # type: ignore[union-attr]


@needs_gan
@pytest.mark.parametrize("playing", CORPUS, ids=[p.name for p in CORPUS])
def test_every_played_melody_is_fully_harmonized(playing, tmp_path, capsys) -> None:
    path = tmp_path / f"{playing.name}.mid"
    performance(playing).write(str(path))
    bars = _inspected_bars(path, capsys)
    score, written_bars = _written(path, tmp_path, capsys)
    assert score.n_voices == 4
    assert lower_voice_coverage(score) >= MIN_COVERAGE
    assert written_bars == bars  # inspect and harmonize agree: no bar invented
    # A staccato touch cannot say how long a tune's held last note was: a bar may be lost there,
    # none is ever added.
    assert tune_bars(playing.slug) - 1 <= bars <= tune_bars(playing.slug)


@pytest.mark.parametrize("playing", CORPUS, ids=[p.name for p in CORPUS])
def test_played_onsets_land_where_they_are_written(playing, tmp_path) -> None:
    """The beat is found: every onset on its written 16th, swung eighths on their eighth."""
    path = tmp_path / f"{playing.name}.mid"
    performance(playing).write(str(path))
    got = [start for start, _, _ in extract_melody(path).score.notes(0)]
    written = written_notes(tune_by_slug(playing.slug))
    assert got == [start - written[0][0] for start, _, _ in written]


SWUNG = (
    # Korobeiniki's second phrase starts on a swung off-beat after a rest
    Playing("swung", "korobeiniki", swing=True, jitter_s=0.015, seed=11),
    Playing("swung-rests", "korobeiniki", swing=True, phrase_rests=True, jitter_s=0.01, seed=12),
    # a few swung eighths among quarters, recorded to a metronome: off the file's grid only there
    Playing("swung", "ode-to-joy", swing=True, jitter_s=0.01, seed=13),
    Playing("swung", "amazing-grace", swing=True, jitter_s=0.01, seed=14),
)


@pytest.mark.parametrize("playing", SWUNG, ids=[p.name for p in SWUNG])
def test_swung_eighths_are_read_as_straight(playing, tmp_path) -> None:
    path = tmp_path / "swung.mid"
    performance(playing).write(str(path))
    result = extract_melody(path)
    assert "swung eighths read as straight eighths" in result.warnings
    got = [start for start, _, _ in result.score.notes(0)]
    written = [start for start, _, _ in written_notes(tune_by_slug(playing.slug))]
    assert got == [s - written[0] for s in written]
    assert result.bars == tune_bars(playing.slug)


def test_staccato_is_read_as_legato_and_rests_are_kept(tmp_path) -> None:
    playing = next(p for p in CORPUS if p.name == "korobeiniki-staccato-rests")
    path = tmp_path / "k.mid"
    performance(playing).write(str(path))
    result = extract_melody(path)
    assert any("played short (staccato) read as legato" in w for w in result.warnings)
    notes = result.score.notes(0)
    joined = sum(end == nxt for (_, end, _), (nxt, _, _) in itertools.pairwise(notes))
    assert joined >= len(notes) - 3  # all but the real rests


def test_legato_sample_keeps_its_written_rest() -> None:
    from composer.data.samples import SAMPLES_DIR

    result = extract_melody(SAMPLES_DIR / "korobeiniki.mid")
    assert not any("staccato" in w for w in result.warnings)
    notes = result.score.notes(0)
    gaps = [nxt - end for (_, end, _), (nxt, _, _) in itertools.pairwise(notes)]
    assert gaps.count(6) == 1 and sum(gaps) == 6  # the one written rest, a quarter and an eighth


@needs_gan
def test_music21s_test10_agrees_on_its_bars_and_is_harmonized(tmp_path, capsys) -> None:
    bars = _inspected_bars(TEST10, capsys)
    score, written_bars = _written(TEST10, tmp_path, capsys)
    assert bars == written_bars == 4
    assert lower_voice_coverage(score) >= MIN_COVERAGE


def test_editor_touches_are_harmonized_in_full(tmp_path, capsys) -> None:
    """Short touches placed in the studio's editor: one 16th each, a quarter apart."""
    pytest.importorskip("django")
    from arena.submissions.editor_melody import editor_melody_midi, editor_melody_parse

    tune = tune_by_slug("twinkle-twinkle")
    notes = [{"pitch": p, "start": s, "duration": 1} for s, _, p in written_notes(tune)]
    melody = editor_melody_parse(notes=notes, meter="4/4", tempo=100)
    path = tmp_path / "editor.mid"
    path.write_bytes(editor_melody_midi(melody))
    if SHIPPED_GAN.exists():
        score, bars = _written(path, tmp_path, capsys)
        assert lower_voice_coverage(score) >= MIN_COVERAGE
        assert bars == tune_bars("twinkle-twinkle")
    extracted = extract_melody(path)
    assert extracted.bars == tune_bars("twinkle-twinkle")
    assert any("read as legato" in w for w in extracted.warnings)


def _score(rows: list[list[int]]) -> Score:
    import numpy as np

    pitches = np.asarray(rows)
    return Score(pitches=pitches, onsets=np.zeros(pitches.shape, dtype=bool))


def test_silent_lower_voices_are_held_under_the_melody() -> None:
    melody = [72] * 8 + [74] * 8
    score = _score([melody, [67] * 4 + [-1] * 12, [64] * 16, [-1] * 2 + [48] * 14])
    assert lower_voice_coverage(score) == pytest.approx(2 / 16)
    repaired, filled = hold_lower_voices(score)
    assert lower_voice_coverage(repaired) == 1.0 and filled == 14
    assert repaired.pitches[1].tolist() == [67] * 16
    notes: list[str] = []
    assert lower_voice_coverage(full_harmony(score, notes)) == 1.0
    assert notes and "held" in notes[0]


def test_a_voice_that_never_sounds_is_a_clear_failure() -> None:
    score = _score([[72] * 16, [-1] * 16, [64] * 16, [48] * 16])
    with pytest.raises(IncompleteHarmony, match="alto silent under 100%"):
        full_harmony(score)


# A tune in C major whose second phrase moves to G major (its F sharps) and whose third comes
# home (its F naturals): four bars each, a quarter note a beat, a whole note at each phrase end.
MODULATING = (
    "C4 E4 G4 C5 | F4 A4 G4 F4 | E4 D4 F4 D4 | C4 - - -",
    "D5 B4 G4 B4 | A4 F#4 D4 F#4 | G4 A4 B4 F#4 | G4 - - -",
    "A4 F4 D4 F4 | E4 G4 C5 A4 | G4 F4 E4 D4 | C4 - - -",
)
C_MAJOR, G_MAJOR = (0, "major"), (7, "major")


def _modulating_midi(path: Path, bpm: float = 90.0) -> None:
    import pretty_midi

    midi = pretty_midi.PrettyMIDI(initial_tempo=bpm)
    line = pretty_midi.Instrument(program=0, name="Melody")
    beat = 60.0 / bpm
    for i, name in enumerate(" ".join(MODULATING).replace("|", " ").split()):
        if name == "-":
            line.notes[-1].end += beat
        else:
            pitch = pretty_midi.note_name_to_number(name)
            line.notes.append(pretty_midi.Note(90, pitch, i * beat, (i + 1) * beat))
    midi.instruments.append(line)
    midi.write(str(path))


def test_a_modulating_tune_is_cut_into_its_local_keys(tmp_path) -> None:
    from composer.compose.keys import key_spans

    path = tmp_path / "modulating.mid"
    _modulating_midi(path)
    melody = extract_melody(path).score
    assert (melody.tonic, melody.mode) == C_MAJOR
    spans = [(s.start, s.end, s.key) for s in key_spans(melody)]
    assert spans == [(0, 64, C_MAJOR), (64, 128, G_MAJOR), (128, 192, C_MAJOR)]


def test_only_a_tune_that_really_modulates_is_cut() -> None:
    """Of the sample tunes only Deck the Halls changes key: its third phrase (B natural, a
    cadence on C) is in C major; every other tune is one span in its own key."""
    from composer.compose.keys import key_spans
    from composer.data.samples import sample_melodies

    for sample in sample_melodies():
        melody = extract_melody(sample.path).score
        keys = [(s.start, s.end, s.key) for s in key_spans(melody)]
        home = (melody.tonic, melody.mode)
        if sample.slug == "deck-the-halls":
            assert keys == [(0, 128, home), (128, 192, C_MAJOR), (192, 256, home)]
        else:
            assert keys == [(0, melody.n_steps, home)], sample.slug


@needs_gan
def test_a_modulating_tune_is_harmonized_in_its_local_keys(tmp_path, capsys) -> None:
    """composer harmonize with the shipped models (GAN draft, AR-CNN refinement): under each
    phrase alto, tenor and bass keep to the phrase's own key (F sharp under the G major phrase,
    F natural around it). Harmonized all in C major, the G major phrase was 89.6 % in its scale."""
    import numpy as np

    from composer.theory import scale_pitch_classes

    path = tmp_path / "modulating.mid"
    _modulating_midi(path)
    score, bars = _written(path, tmp_path, capsys, model="hybrid")
    assert bars == 12 and lower_voice_coverage(score) >= MIN_COVERAGE
    for phrase, local in enumerate([C_MAJOR, G_MAJOR, C_MAJOR]):
        other = G_MAJOR if local == C_MAJOR else C_MAJOR
        lower = score.pitches[1:, 64 * phrase : 64 * (phrase + 1)]
        classes = lower[lower >= 0] % 12

        def in_scale(key: tuple[int, str], classes: np.ndarray = classes) -> float:
            return float(np.isin(classes, list(scale_pitch_classes(*key))).mean())

        assert in_scale(local) >= 0.9, (phrase, in_scale(local))
        assert in_scale(local) > in_scale(other), phrase
        sharp, natural = int((classes == 6).sum()), int((classes == 5).sum())
        assert (sharp > natural) if local == G_MAJOR else (natural > sharp), (phrase, sharp)
