"""A Score as sheet music: MusicXML written with music21, which notation programs open.

Four parts (Soprano, Alto, Tenor in the octave-treble clef, Bass), the key and meter, the tempo,
a pickup measure when the tune has one, notes split at bar lines and tied across them, and
fermatas. music21 is imported only here, when a score is written.
"""

from __future__ import annotations

from pathlib import Path

from composer.constants import REST, STEPS_PER_BEAT
from composer.score import Score
from composer.theory import key_name

PART_NAMES = ("Soprano", "Alto", "Tenor", "Bass")


def _clef(voice: int):  # a music21 Clef (music21 is imported lazily)
    from music21 import clef

    return (clef.TrebleClef, clef.TrebleClef, clef.Treble8vbClef, clef.BassClef)[voice]()


def _segments(score: Score, voice: int, start: int, end: int) -> list[tuple[int, int, int, bool]]:
    """(start, end, pitch or REST, struck) runs inside [start, end); struck is False where a note
    continues from before the bar line (it gets a tie)."""
    row, onsets = score.pitches[voice], score.onsets[voice]
    out = []
    t = start
    while t < end:
        pitch = int(row[t])
        u = t + 1
        while u < end and row[u] == pitch and not (pitch != REST and onsets[u]):
            u += 1
        out.append((t, u, pitch, bool(pitch == REST or onsets[t])))
        t = u
    return out


def to_music21(score: Score, *, title: str = ""):  # a music21 stream.Score
    """The score as a music21 Score with one Part per voice."""
    from music21 import expressions, key, metadata, meter, note, stream, tempo, tie

    result = stream.Score()
    result.metadata = metadata.Metadata(title=title or score.name or "Composition")
    starts = score.bar_starts()
    ends = [*starts[1:], score.n_steps]
    pickup = score.pickup_steps % score.steps_per_bar
    mode = "minor" if score.mode == "minor" else "major"
    fermatas = score.fermatas
    for v in range(score.n_voices):
        part = stream.Part(id=PART_NAMES[v] if v < 4 else f"Voice{v + 1}")
        part.partName = PART_NAMES[v] if score.n_voices == 4 else f"Voice {v + 1}"
        open_tie: note.Note | None = None
        for number, (bar_start, bar_end) in enumerate(zip(starts, ends, strict=True)):
            measure = stream.Measure(number=number if pickup else number + 1)
            if number == 0:
                measure.insert(0, _clef(v))
                measure.insert(0, key.Key(_tonic_name(score.tonic, mode), mode))
                measure.insert(0, meter.TimeSignature(f"{score.meter[0]}/{score.meter[1]}"))
                if v == 0:
                    measure.insert(0, tempo.MetronomeMark(number=round(score.tempo_bpm)))
            if number == 0 and pickup:
                measure.paddingLeft = (score.steps_per_bar - pickup) / STEPS_PER_BEAT
            for start, end, pitch, struck in _segments(score, v, bar_start, bar_end):
                length = (end - start) / STEPS_PER_BEAT
                if pitch == REST:
                    element = note.Rest(quarterLength=length)
                    open_tie = None
                else:
                    element = note.Note(pitch, quarterLength=length)
                    if not struck and open_tie is not None:
                        held = open_tie.tie is not None and open_tie.tie.type == "stop"
                        open_tie.tie = tie.Tie("continue" if held else "start")
                        element.tie = tie.Tie("stop")
                    open_tie = element
                if fermatas is not None and fermatas[end - 1] and end - start >= 1:
                    element.expressions.append(expressions.Fermata())
                measure.append(element)
            part.append(measure)
        result.insert(0, part)
    return result


def _tonic_name(tonic: int, mode: str) -> str:
    return key_name(tonic, mode).split()[0]


def write_musicxml(score: Score, path: str | Path, *, title: str = "") -> Path:
    """Write `score` as MusicXML to `path`; returns the path."""
    out = Path(path)
    to_music21(score, title=title).write("musicxml", fp=str(out))
    return out
