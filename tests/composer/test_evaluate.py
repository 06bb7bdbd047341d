"""`composer evaluate`: the chorales file, the model registry, the command on Bach's chorales."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from composer.cli.main import main
from composer.data.chorales import chorale_names, load_chorales
from composer.errors import InputError
from composer.evaluation import evaluate as ev
from composer.models import registry
from composer.score import Score

ROOT = Path(__file__).resolve().parents[2]


def chorale(name: str) -> Score:
    """One bar of 4/4 in G major: G4 / D4 / B3 / G2 for a half note, then A4 / E4 / C4 / A2."""
    pitches = np.array(
        [[67] * 8 + [69] * 8, [62] * 8 + [64] * 8, [59] * 8 + [60] * 8, [43] * 8 + [45] * 8]
    )
    return Score(pitches=pitches, onsets=np.zeros_like(pitches, dtype=bool), tonic=7, name=name)


# --- the chorales file --------------------------------------------------------------------------


def test_chorales_file_skips_blanks_and_comments_and_completes_bare_names(tmp_path: Path) -> None:
    path = tmp_path / "chorales.txt"
    path.write_text(
        "# my picks\n\nbach/bwv26.6\n  bwv10.7   # the same tune as ...\nbach/bwv26.6\n"
    )
    assert ev.read_chorales_file(str(path)) == ["bach/bwv26.6", "bach/bwv10.7"]


def test_chorales_file_that_names_nothing_or_is_missing_is_an_input_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n")
    with pytest.raises(InputError, match="names no chorale"):
        ev.read_chorales_file(str(empty))
    with pytest.raises(InputError, match="cannot read"):
        ev.read_chorales_file(str(tmp_path / "absent.txt"))


# --- the registry -------------------------------------------------------------------------------


def test_unknown_model_is_an_input_error_listing_the_available_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A registry of its own: other tests (and the shipped weights) register more models.
    monkeypatch.setattr(registry, "harmonizers", {"echo": lambda s: s})
    monkeypatch.setattr(registry, "SHIPPED", {})
    with pytest.raises(InputError, match=r"'mozart' is not available; available: bach, echo$"):
        registry.get_harmonizer("mozart")


def test_a_registered_harmonizer_gets_the_soprano_alone_and_is_measured_against_bach(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[Score] = []

    def bass_an_octave_down(soprano: Score) -> Score:
        # The bass is wrong at every step (an octave below Bach's); alto and tenor are Bach's.
        seen.append(soprano)
        bach = chorale(soprano.name).pitches
        pitches = np.stack([soprano.pitches[0], bach[1], bach[2], bach[3] - 12])
        return soprano.with_pitches(pitches, np.zeros_like(pitches, dtype=bool))

    monkeypatch.setitem(registry.harmonizers, "octaver", bass_an_octave_down)
    result = ev.evaluate_chorales("octaver", [chorale("a"), chorale("b")])
    report = result.as_dict()

    assert [s.n_voices for s in seen] == [1, 1] and seen[0].tonic == 7
    assert report["chorales"] == ["a", "b"]
    assert report["bach"]["frame_accuracy"] == 1.0
    # Alto and tenor match at all 16 steps, the bass at none: 32 of 48 cells.
    assert report["generated"]["frame_accuracy"] == pytest.approx(2 / 3)
    assert report["generated"]["frame_accuracy_bass"] == 0.0
    # An octave lower keeps the pitch classes, so the tonal centroids are Bach's.
    assert report["generated"]["tonal_distance"] == pytest.approx(0.0)
    assert report["seconds_per_chorale"] >= 0.0


# --- the command on the prepared chorales ------------------------------------------------------


def test_evaluate_bach_prints_a_table_of_the_valid_split(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["evaluate", "--model", "bach"]) == 0
    headline, blank, *lines = capsys.readouterr().out.splitlines()
    # Bach against himself: identical windows, so no classifier can tell.
    assert headline.startswith("Bach or not: ") and " in 50.0% of held-out windows" in headline
    assert blank == ""
    assert f"{len(chorale_names('valid'))} chorales (the valid split)" in lines[0]
    assert lines[1].split() == ["metric", "Bach", "generated"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:]}
    assert rows["frame_accuracy"] == ["1.0000", "1.0000"]
    assert rows["tonal_distance"] == ["0.0000", "0.0000"]
    assert 3.5 < float(rows["polyphony"][0]) <= 4.0  # Bach's four voices rarely rest
    assert float(rows["empty_bar_rate"][0]) < 0.05


def test_evaluate_bach_json_of_a_chorales_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = chorale_names("valid")[:2]
    path = tmp_path / "picks.txt"
    path.write_text("# two of them\n" + "\n".join(names) + "\n")
    assert main(["evaluate", "--model", "bach", "--chorales", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {
        "model",
        "chorales",
        "bach",
        "generated",
        "seconds_per_chorale",
        "bach_or_not",
    }
    assert report["bach_or_not"] is None  # two chorales are too few to cross-validate
    assert report["model"] == "bach" and report["chorales"] == names
    assert report["bach"] == report["generated"]
    assert report["seconds_per_chorale"] == 0.0
    assert report["bach"]["in_scale_rate"] > 0.8  # Bach stays mostly in the key
    assert report["bach"]["parallel_5ths_8ves_per_bar"] < 0.2  # and avoids parallels


def test_a_chorale_not_in_the_dataset_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "picks.txt"
    path.write_text(f"{chorale_names('valid')[0]}\nbach/bwv9999.9\n")
    assert main(["evaluate", "--chorales", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("composer: error:") and "bach/bwv9999.9" in captured.err


def test_an_unavailable_model_exits_2_before_loading_anything(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["evaluate", "--model", "mozart"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "available: bach" in err


def test_python_dash_m_composer_evaluate_json(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(chorale_names("valid")[0] + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "composer", "evaluate", "--chorales", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["chorales"] == [chorale_names("valid")[0]]


# --- any chorale: corpus names outside the dataset, MusicXML and MIDI files ---------------------


def test_a_corpus_chorale_parsed_from_music21_is_the_datasets_conversion() -> None:
    from composer.data.external import corpus_chorale

    name = chorale_names("valid")[0]
    parsed, prepared = corpus_chorale(name), load_chorales(names=[name])[0]
    assert np.array_equal(parsed.pitches, prepared.pitches)
    assert np.array_equal(parsed.onsets, prepared.onsets)
    assert np.array_equal(parsed.fermatas, prepared.fermatas)
    assert (parsed.meter, parsed.pickup_steps, parsed.tonic, parsed.mode, parsed.name) == (
        prepared.meter,
        prepared.pickup_steps,
        prepared.tonic,
        prepared.mode,
        name,
    )


def _valid_musicxml(tmp_path: Path, parts: int = 4) -> tuple[str, Path]:
    import music21

    name = chorale_names("valid")[1]
    score = music21.corpus.parse(name)
    for part in list(score.parts)[parts:]:
        score.remove(part)
    path = tmp_path / f"{parts}-parts.musicxml"
    score.write("musicxml", fp=str(path))
    return name, path


def test_evaluate_reads_musicxml_and_midi_files_named_relative_to_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from composer.midi.io import write_midi

    name, xml = _valid_musicxml(tmp_path)
    midi = write_midi(load_chorales(names=[chorale_names("valid")[2]])[0], tmp_path / "c.mid")
    listing = tmp_path / "picks.txt"
    listing.write_text(f"{xml.name}\n{midi.name}\n")
    assert main(["evaluate", "--chorales", str(listing), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["chorales"] == [xml.name, midi.name]
    loaded = ev.load_evaluation_chorales(str(listing))
    expected = load_chorales(names=[name, chorale_names("valid")[2]])
    for got, want in zip(loaded, expected, strict=True):
        assert np.array_equal(got.pitches, want.pitches)
        assert (got.meter, got.pickup_steps, got.tonic, got.mode) == (
            want.meter,
            want.pickup_steps,
            want.tonic,
            want.mode,
        )


def _exit_2(listing: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["evaluate", "--chorales", str(listing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("composer: error:")
    return captured.err


def test_a_missing_file_a_three_part_file_and_an_unknown_name_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from composer.midi.io import write_midi

    listing = tmp_path / "picks.txt"
    listing.write_text("absent.musicxml\n")
    assert "no such file" in _exit_2(listing, capsys)
    _, three = _valid_musicxml(tmp_path, parts=3)
    listing.write_text(f"{three.name}\n")
    assert "3 parts, not 4" in _exit_2(listing, capsys)
    bach = load_chorales(names=[chorale_names("valid")[0]])[0]
    write_midi(bach.with_pitches(bach.pitches[:3], bach.onsets[:3]), tmp_path / "three.mid")
    listing.write_text("three.mid\n")
    assert "3 tracks with notes, not 4" in _exit_2(listing, capsys)
    listing.write_text("bach/no-such-chorale\n")
    assert "unknown corpus name 'bach/no-such-chorale'" in _exit_2(listing, capsys)


def test_the_model_card_headline_shows_bach_or_not_for_each_model() -> None:
    from composer.evaluation.model_card import _bach_or_not

    test = {
        "accuracy": 0.8683,
        "ci_low": 0.8367,
        "ci_high": 0.8972,
        "classifier": "boosting",
        "classifiers": {"cnn": {"accuracy": 0.821}, "boosting": {"accuracy": 0.8683}},
    }
    text = _bach_or_not({"gan": {"bach_or_not": test}, "few": {"bach_or_not": None}})
    assert text.startswith("## Bach or not (valid split)")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows == ["| `gan` | **0.868** | 0.837–0.897 | boosting | 0.821 | 0.868 | n/a |"]
