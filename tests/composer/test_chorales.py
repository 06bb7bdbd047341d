"""The chorale dataset: what `composer prepare` puts on the grid and what the loader gives back."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from composer.constants import HIGHEST_PITCH, LOWEST_PITCH, REST
from composer.data.chorales import chorale_names, load_chorales
from composer.errors import InputError

music21 = pytest.importorskip("music21")
prepare = pytest.importorskip("composer.data.prepare")

SPLIT = json.loads(Path(prepare.SPLIT_PATH).read_text(encoding="utf-8"))


# --- the shipped dataset and its loader -------------------------------------------------------


def test_loader_reads_only_names_of_their_split() -> None:
    train, valid = chorale_names("train"), chorale_names("valid")
    assert len(train) > 250 and len(valid) > 40
    assert set(train) <= set(SPLIT["train"])
    assert set(valid) <= set(SPLIT["valid"])
    assert chorale_names() == train + valid
    assert [s.name for s in load_chorales("valid")] == valid


def test_every_chorale_is_four_voices_in_range_with_onsets() -> None:
    for score in load_chorales():
        assert score.pitches.shape[0] == 4 and score.n_steps > 0
        sounding = score.pitches != REST
        assert ((score.pitches[sounding] >= LOWEST_PITCH) & (score.pitches[sounding] <= 81)).all()
        assert not (score.onsets & ~sounding).any()
        assert score.fermatas is not None and score.fermatas.shape == (score.n_steps,)
        assert score.fermatas.any(), score.name
        assert score.mode in ("major", "minor") and 0 <= score.tonic < 12


def test_meters_include_three_four_and_pickups() -> None:
    scores = load_chorales()
    meters = Counter(s.meter for s in scores)
    assert meters[(4, 4)] > 200 and meters[(3, 4)] >= 20
    assert sum(1 for s in scores if s.pickup_steps == 4) > 150


def test_named_chorales_come_back_in_the_order_asked() -> None:
    names = [SPLIT["valid"][2], SPLIT["train"][0]]
    assert [s.name for s in load_chorales(names=names)] == names


def test_unknown_or_other_split_names_are_input_errors() -> None:
    with pytest.raises(InputError, match="bwv9999"):
        load_chorales(names=["bach/bwv9999.9"])
    with pytest.raises(InputError, match="valid split"):
        load_chorales("valid", names=[SPLIT["train"][0]])
    with pytest.raises(InputError, match="unknown split"):
        chorale_names("test")


def test_grid_matches_music21_bar_lines_of_a_pickup_chorale() -> None:
    score = next(s for s in load_chorales("train") if s.pickup_steps == 4)
    parsed = music21.corpus.parse(score.name)
    measures = list(parsed.parts[0].getElementsByClass("Measure"))
    full = [
        m for m in measures if m.duration.quarterLength == measures[1].barDuration.quarterLength
    ]
    bar_starts = set(score.bar_starts())
    assert all(int(m.offset * 4) in bar_starts for m in full)
    assert score.bar_starts()[:3] == [0, 4, 4 + score.steps_per_bar]


def test_grid_matches_music21_notes_of_a_chorale() -> None:
    score = load_chorales(names=[SPLIT["train"][0]])[0]
    parsed = music21.corpus.parse(score.name)
    for voice, part in enumerate(parsed.parts):
        notes = [n for n in part.flatten().stripTies().notes if not n.duration.isGrace]
        expected = [
            (int(n.offset * 4), int((n.offset + n.quarterLength) * 4), n.pitch.midi) for n in notes
        ]
        assert score.notes(voice) == expected


# --- prepare on a tiny split ------------------------------------------------------------------


def test_prepare_parses_only_the_split_names(tmp_path: Path, monkeypatch) -> None:
    tiny = {"train": [SPLIT["train"][0], "bach/bwv190.7"], "valid": [SPLIT["valid"][0]]}
    split_file = tmp_path / "split.json"
    split_file.write_text(json.dumps(tiny), encoding="utf-8")
    parsed: list[str] = []
    real_parse = music21.corpus.parse

    def recording_parse(name, *args, **kwargs):
        parsed.append(name)
        return real_parse(name, *args, **kwargs)

    monkeypatch.setattr(music21.corpus, "parse", recording_parse)
    out = tmp_path / "tiny.npz"
    report = prepare.prepare_dataset(out=str(out), split_path=split_file)

    assert parsed == tiny["train"] + tiny["valid"]
    assert report.pieces == {"train": 1, "valid": 1}
    assert "bach/bwv190.7" in report.left_out and "15 parts" in report.left_out["bach/bwv190.7"]
    assert chorale_names("train", path=out) == [SPLIT["train"][0]]
    assert [s.name for s in load_chorales(path=out)] == [SPLIT["train"][0], SPLIT["valid"][0]]
    summary = report.summary()
    assert "train: 1 pieces" in summary and "left out: 1" in summary and "bwv190.7" in summary


# --- prepare's grid rules on small hand-made scores -------------------------------------------


def _part(name: str, bars: list[list[str]], meter: str = "4/4") -> music21.stream.Part:
    """Bars of tokens "PITCH:QUARTERS" with "~" (tie to the next) or "!" (fermata); "r" rests."""
    part = music21.stream.Part(id=name)
    part.partName = name
    for number, tokens in enumerate(bars):
        measure = music21.stream.Measure(number=number)
        if number == 0:
            measure.append(music21.meter.TimeSignature(meter))
        for token in tokens:
            pitch, length = token.rstrip("~!").split(":")
            el = music21.note.Rest() if pitch == "r" else music21.note.Note(pitch)
            el.quarterLength = float(length)
            if token.endswith("~"):
                el.tie = music21.tie.Tie("start")
            if token.endswith("!"):
                el.expressions.append(music21.expressions.Fermata())
            measure.append(el)
        part.append(measure)
    return part


def _score(parts: list[music21.stream.Part]) -> music21.stream.Score:
    score = music21.stream.Score()
    for part in parts:
        score.insert(0, part)
    return score


def _chorale(
    soprano: list[list[str]], meter: str = "4/4", bass: str = "C3"
) -> music21.stream.Score:
    """Soprano as given; alto, tenor, bass hold one pitch per beat in the same bar shapes."""
    lengths = [sum(float(t.rstrip("~!").split(":")[1]) for t in bar) for bar in soprano]

    def filler(pitch: str) -> list[list[str]]:
        return [[f"{pitch}:1"] * int(q) for q in lengths]

    names = ["Alto", "Tenor", "Bass"]
    parts = [_part("Soprano", soprano, meter)]
    parts += [_part(n, filler(p), meter) for n, p in zip(names, ["G4", "E4", bass], strict=True)]
    return _score(parts)


def test_tied_note_is_held_and_repeated_note_is_new_onset() -> None:
    soprano = [["C5:2", "C5:2~"], ["C5:1", "D5:1", "D5:1", "r:1"]]
    piece = prepare.score_to_piece("t", _chorale(soprano), Counter())
    row, ons = piece.pitches[0], piece.onsets[0]
    assert list(row[:20]) == [72] * 20  # C5 half, then a C5 half tied over the bar line
    assert list(np.flatnonzero(ons[:20])) == [0, 8]  # the repeat is an onset, the tie is not
    assert list(row[20:28]) == [74] * 8
    assert list(np.flatnonzero(ons[20:28])) == [0, 4]  # D5 D5 repeated: two onsets
    assert list(row[28:32]) == [REST] * 4


def test_pickup_and_three_four_bar_lines() -> None:
    soprano = [["G4:1"], ["C5:3"], ["D5:2", "E5:1!"], ["F5:3"]]
    piece = prepare.score_to_piece("p", _chorale(soprano, meter="3/4"), Counter())
    assert piece.meter == (3, 4) and piece.pickup_steps == 4
    assert piece.pitches.shape == (4, 4 + 3 * 12)
    assert list(np.flatnonzero(piece.fermatas)) == [4 + 12 + 11]  # last step of the E5


def test_notes_shorter_than_a_sixteenth_are_dropped_and_counted() -> None:
    soprano = [["C5:0.75", "D5:0.125", "E5:0.125", "F5:3"]]
    counts: Counter = Counter()
    piece = prepare.score_to_piece("s", _chorale(soprano), counts)
    assert list(piece.pitches[0, :5]) == [72, 72, 72, 74, 77]  # D5 sounds at step 3, E5 at none
    assert counts["short_notes_dropped"] == 1


def test_out_of_range_piece_is_transposed_whole() -> None:
    soprano = [["C6:4"], ["B5:4"]]  # 84 and 83: above 81
    piece = prepare.score_to_piece("h", _chorale(soprano, bass="C3"), Counter())
    assert piece.shift == -3
    assert piece.pitches.max() == HIGHEST_PITCH and piece.pitches[3, 0] == 48 - 3


def test_pieces_that_cannot_be_kept_say_why() -> None:
    three = _score([_part(n, [["C4:4"]]) for n in ("Soprano", "Alto", "Tenor")])
    with pytest.raises(prepare.Skip, match="3 parts"):
        prepare.score_to_piece("x", three, Counter())
    changing = _chorale([["C5:4"], ["C5:4"]])
    for part in changing.parts:
        part.getElementsByClass("Measure")[1].insert(0, music21.meter.TimeSignature("3/4"))
    with pytest.raises(prepare.Skip, match="meter changes"):
        prepare.score_to_piece("y", changing, Counter())
