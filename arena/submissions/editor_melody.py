"""A melody entered in the studio's editor: notes on a 16th-note grid, checked and written as MIDI.

The editor sends plain JSON (pitch as a MIDI number, start and duration in 16th steps). Whatever
sent it, the notes are checked here with one sentence per problem, then written as a real MIDI
file, so an entered melody goes through exactly the reading and warnings of an uploaded one.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

import pretty_midi
from django.core.exceptions import ValidationError

from composer.constants import STEPS_PER_BEAT
from composer.theory import pitch_name

EDITOR_METERS: dict[str, tuple[int, int]] = {
    "4/4": (4, 4),
    "3/4": (3, 4),
    "2/4": (2, 4),
    "6/8": (6, 8),
}
LOWEST_PITCH, HIGHEST_PITCH = 53, 84  # F3 to C6: the 32 keys of the on-screen keyboard
TEMPO_RANGE = (40, 240)  # quarter notes per minute
DEFAULT_TEMPO = 100
DEFAULT_BARS = 8
MAX_BARS = 32
MAX_NOTES = 512  # a 16th in every step of 32 bars of 4/4
NOTE_FIELDS = ("pitch", "start", "duration")
MIDI_RESOLUTION = 480  # ticks per quarter note: every 16th step is a whole number of ticks
VELOCITY = 90


@dataclass(frozen=True)
class EditorNote:
    pitch: int  # MIDI number
    start: int  # 16th steps from the first bar line
    duration: int  # 16th steps

    @property
    def end(self) -> int:
        return self.start + self.duration


@dataclass(frozen=True)
class EditorMelody:
    notes: tuple[EditorNote, ...]  # in time order, one at a time
    meter: tuple[int, int]
    tempo_bpm: float

    @property
    def steps_per_bar(self) -> int:
        return steps_per_bar(self.meter)


def editor_settings() -> dict[str, int]:
    """What the studio page tells the editor: the keyboard's range and the length of the roll."""
    return {
        "lowest": LOWEST_PITCH,
        "highest": HIGHEST_PITCH,
        "bars": DEFAULT_BARS,
        "max_bars": MAX_BARS,
    }


def steps_per_bar(meter: tuple[int, int]) -> int:
    return meter[0] * 4 * STEPS_PER_BEAT // meter[1]


def _where(step: int, meter: tuple[int, int]) -> str:
    """'bar 2, beat 3' for a step; a beat is the meter's counting unit (an eighth in 6/8)."""
    per_beat = 4 * STEPS_PER_BEAT // meter[1]
    bar, within = divmod(step, steps_per_bar(meter))
    return f"bar {bar + 1}, beat {within // per_beat + 1}"


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _meter(meter: object) -> tuple[int, int]:
    if not isinstance(meter, str) or meter not in EDITOR_METERS:
        raise _invalid("meter", f"Choose a meter: {', '.join(EDITOR_METERS)}.")
    return EDITOR_METERS[meter]


def _tempo(tempo: object) -> float:
    low, high = TEMPO_RANGE
    if not isinstance(tempo, int | float) or isinstance(tempo, bool) or not low <= tempo <= high:
        raise _invalid("tempo", f"The tempo is a number of beats per minute, {low}-{high}.")
    return round(float(tempo), 1)


def _note(index: int, raw: object) -> EditorNote:
    """One note as sent, numbered from 1 in the messages."""
    if not isinstance(raw, Mapping) or not all(_whole_number(raw.get(f)) for f in NOTE_FIELDS):
        raise _invalid(
            "notes",
            f"Note {index} is not a note: it needs a whole-number pitch, start and duration.",
        )
    note = EditorNote(pitch=raw["pitch"], start=raw["start"], duration=raw["duration"])
    if not LOWEST_PITCH <= note.pitch <= HIGHEST_PITCH:
        low, high = pitch_name(LOWEST_PITCH), pitch_name(HIGHEST_PITCH)
        raise _invalid(
            "notes",
            f"Note {index} (MIDI pitch {note.pitch}) is outside the keyboard, {low} to {high} "
            f"(MIDI {LOWEST_PITCH}-{HIGHEST_PITCH}).",
        )
    if note.start < 0:
        raise _invalid("notes", f"Note {index} starts before the first bar.")
    if note.duration < 1:
        raise _invalid("notes", f"Note {index} has no length: a note lasts a 16th or more.")
    return note


def editor_melody_parse(*, notes: object, meter: object, tempo: object) -> EditorMelody:
    """The melody the editor sent, or ValidationError saying what is wrong with it."""
    grid = _meter(meter)
    bpm = _tempo(tempo)
    if notes is None or notes == []:
        raise _invalid("notes", "The melody has no notes yet: place at least one.")
    if not isinstance(notes, list | tuple):
        raise _invalid("notes", "The notes must be a list of {pitch, start, duration}.")
    if len(notes) > MAX_NOTES:
        raise _invalid(
            "notes", f"The melody has {len(notes)} notes; it may have at most {MAX_NOTES}."
        )
    parsed = sorted((_note(i, raw) for i, raw in enumerate(notes, start=1)), key=lambda n: n.start)
    for before, after in pairwise(parsed):
        if after.start < before.end:
            raise _invalid(
                "notes",
                f"Two notes sound together at {_where(after.start, grid)}: a melody plays one "
                "note at a time.",
            )
    limit = MAX_BARS * steps_per_bar(grid)
    if parsed[-1].end > limit:
        raise _invalid(
            "notes",
            f"The melody runs past {MAX_BARS} bars of {grid[0]}/{grid[1]}; it may be at most "
            f"{MAX_BARS} bars long.",
        )
    return EditorMelody(notes=tuple(parsed), meter=grid, tempo_bpm=bpm)


def editor_melody_midi(melody: EditorMelody) -> bytes:
    """A one-track MIDI file of the melody with its tempo and meter."""
    midi = pretty_midi.PrettyMIDI(resolution=MIDI_RESOLUTION, initial_tempo=melody.tempo_bpm)
    midi.time_signature_changes.append(pretty_midi.TimeSignature(*melody.meter, time=0.0))
    step_seconds = 60.0 / melody.tempo_bpm / STEPS_PER_BEAT
    line = pretty_midi.Instrument(program=0, name="Melody")
    line.notes = [
        pretty_midi.Note(
            velocity=VELOCITY,
            pitch=note.pitch,
            start=note.start * step_seconds,
            end=note.end * step_seconds,
        )
        for note in melody.notes
    ]
    midi.instruments.append(line)
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()
