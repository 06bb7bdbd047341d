"""The chorales a `composer evaluate --chorales FILE` names: corpus names and score files.

One entry per line; blank lines and `#` comments are ignored, repeats kept once:
- a path ending in .mid/.midi (read by composer's own MIDI reader, tracks as voices), or in
  .xml/.musicxml/.mxl/.krn (read by music21): a 4-part chorale. A relative path is taken from
  the folder of the chorales file;
- anything else is a name in music21's corpus; a bare `bwv26.6` means `bach/bwv26.6`. A name of
  the prepared dataset is loaded from it; any other is parsed from the corpus through the same
  conversion (composer.data.external).

These chorales are for evaluation only: training reads the prepared train split and nothing
else.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from composer.constants import N_VOICES, REST
from composer.data.external import MUSIC21_SUFFIXES, corpus_chorale, fit_range, score_file_chorale
from composer.errors import InputError
from composer.score import Score

MIDI_SUFFIXES = (".mid", ".midi")


def is_score_path(entry: str) -> bool:
    return entry.lower().endswith(MIDI_SUFFIXES + MUSIC21_SUFFIXES)


def read_chorales_file(path: str) -> list[str]:
    """The file's entries: corpus names (completed with `bach/`) and score paths, in order."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the chorales file {path}: {exc}") from exc
    entries = []
    for line in text.splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            bare = "/" not in entry and not is_score_path(entry)
            entries.append(f"bach/{entry}" if bare else entry)
    if not entries:
        raise InputError(
            f"the chorales file {path} names no chorale "
            "(one corpus name or MusicXML/MIDI path per line)"
        )
    return list(dict.fromkeys(entries))


def midi_chorale(path: str | Path, name: str) -> Score:
    """A 4-track MIDI file as a chorale: voices highest first (by mean pitch), moved into range.

    The key is the file's key signature (C major when it has none), as for a user's melody.
    """
    from composer.midi.io import midi_to_score

    source = Path(path)
    if not source.is_file():
        raise InputError(f"no such file: {source}")
    score = midi_to_score(source)
    if score.n_voices != N_VOICES:
        raise InputError(
            f"{name}: cannot be evaluated: {score.n_voices} tracks with notes, not 4 "
            "(one track per voice: soprano, alto, tenor, bass)"
        )
    means = [float(np.mean(row[row != REST])) for row in score.pitches]
    order = np.argsort(means, kind="stable")[::-1]
    ordered = score.with_pitches(score.pitches[order], score.onsets[order])
    ordered.name = name
    return fit_range(ordered)


def load_entry(entry: str, base: Path, known: set[str]) -> Score:
    """One entry of a chorales file as a Score (InputError with the reason if it cannot be)."""
    if is_score_path(entry):
        path = Path(entry) if Path(entry).is_absolute() else base / entry
        if entry.lower().endswith(MIDI_SUFFIXES):
            return midi_chorale(path, entry)
        score = score_file_chorale(path)
        score.name = entry
        return score
    if entry in known:
        from composer.data.chorales import load_chorales

        return load_chorales(names=[entry])[0]
    return corpus_chorale(entry)


def load_chorales_file(path: str) -> list[Score]:
    """Every chorale the file names, in order."""
    from composer.data.chorales import chorale_names

    entries = read_chorales_file(path)
    known = set(chorale_names(None))
    base = Path(path).resolve().parent
    return [load_entry(entry, base, known) for entry in entries]
