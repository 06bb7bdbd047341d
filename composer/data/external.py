"""Chorales from outside the prepared dataset, for evaluation only (`composer evaluate --chorales`).

A chorale of music21's corpus that the split does not list, or a 4-part MusicXML (or Humdrum)
file, goes through exactly the conversion `composer prepare` applies to the dataset
(`prepare.score_to_piece`: voices by part name or pitch, one meter and pickup, the 16th grid,
the range fit, the key): so it is measured as the dataset's chorales are. Nothing here is ever
read by training, which loads only the prepared `train` split.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import music21
import numpy as np

from composer.constants import REST
from composer.data.prepare import Piece, Skip, _fit_range, score_to_piece
from composer.errors import InputError
from composer.score import Score

MUSIC21_SUFFIXES = (".xml", ".musicxml", ".mxl", ".krn")


def piece_score(piece: Piece) -> Score:
    """The Score of a converted piece, as `composer.data.chorales` loads it from the dataset."""
    return Score(
        pitches=piece.pitches.astype(np.int16),
        onsets=piece.onsets.copy(),
        meter=piece.meter,
        tonic=piece.tonic,
        mode=piece.mode,
        pickup_steps=piece.pickup_steps,
        name=piece.name,
        fermatas=piece.fermatas.copy(),
    )


def _convert(name: str, parsed: music21.stream.Score) -> Score:
    try:
        return piece_score(score_to_piece(name, parsed, Counter()))
    except Skip as why:
        raise InputError(f"{name}: cannot be evaluated: {why}") from why


def corpus_chorale(name: str) -> Score:
    """A chorale of music21's corpus by name (e.g. `bach/bwv26.6`), converted as the dataset's."""
    try:
        parsed = music21.corpus.parse(name)
    except music21.exceptions21.CorpusException as exc:
        raise InputError(
            f"unknown corpus name {name!r} (not in music21's corpus; names look like bach/bwv26.6)"
        ) from exc
    if not isinstance(parsed, music21.stream.Score):
        raise InputError(f"{name}: not a score with parts")
    return _convert(name, parsed)


def score_file_chorale(path: str | Path) -> Score:
    """A 4-part MusicXML (or Humdrum) file, converted as the dataset's chorales; its name is the
    path as given."""
    source = Path(path)
    if not source.is_file():
        raise InputError(f"no such file: {source}")
    try:
        parsed = music21.converter.parse(str(source))
    except Exception as exc:  # music21's parsers raise many types on a broken file
        raise InputError(f"not a readable score: {source} ({exc})") from exc
    if not isinstance(parsed, music21.stream.Score):
        raise InputError(f"{source}: not a score with parts")
    return _convert(str(path), parsed)


def fit_range(score: Score) -> Score:
    """The score transposed as a whole into MIDI 36–81 as the dataset's are (unchanged when it
    fits); InputError when its span is wider than that."""
    try:
        shift = _fit_range(score.pitches)
    except Skip as why:
        raise InputError(f"{score.name}: cannot be evaluated: {why}") from why
    if not shift:
        return score
    pitches = np.where(score.pitches == REST, REST, score.pitches + shift)
    moved = score.with_pitches(pitches, score.onsets)
    moved.tonic = (score.tonic + shift) % 12
    return moved
