"""How many notes and events a Standard MIDI File holds, counted from its bytes in one light pass.

mido turns every event into a Message object (a 2 MB file packed with notes costs seconds and
hundreds of MB); this pass only walks the bytes, in constant memory and about 0.1 s per MB, so a
file far too big for a melody is refused before it is parsed. Damaged data ends the count early
and never raises: telling the user what is wrong with it is the parser's job.
"""

from __future__ import annotations

from dataclasses import dataclass

META, SYSEX, SYSEX_ESCAPE = 0xFF, 0xF0, 0xF7
NOTE_ON = 0x9
ONE_DATA_BYTE = (0xC, 0xD)  # program change, channel pressure; other channel messages have two


@dataclass(frozen=True)
class MidiCensus:
    notes: int  # note-on events with a velocity above zero
    events: int  # every event of every track, meta and system exclusive included


def midi_census(data: bytes) -> MidiCensus:
    """Count the notes and events of every MTrk chunk (other chunks are skipped, as mido does)."""
    notes = events = 0
    if len(data) < 8:
        return MidiCensus(0, 0)
    pos = 8 + int.from_bytes(data[4:8], "big")  # past the header chunk
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos + 4 : pos + 8], "big")
        start, end = pos + 8, min(len(data), pos + 8 + length)
        if data[pos : pos + 4] == b"MTrk":
            track_notes, track_events = _count_track(data, start, end)
            notes, events = notes + track_notes, events + track_events
        pos = start + length
    return MidiCensus(notes=notes, events=events)


def _count_track(data: bytes, i: int, end: int) -> tuple[int, int]:
    notes = events = 0
    status = 0  # running status: a channel event may omit its status byte after the first
    while i < end:
        while i < end and data[i] & 0x80:  # the delta time, a variable-length number
            i += 1
        i += 1
        if i >= end:
            break
        byte = data[i]
        if byte in (META, SYSEX, SYSEX_ESCAPE):
            i += 2 if byte == META else 1  # the status and, for a meta event, its type
            size, i = _variable_length(data, i, end)
            i += size
        else:
            if byte & 0x80:
                status, i = byte, i + 1
            elif not status:  # data with no status to run on: damaged, the parser will say so
                break
            kind = status >> 4
            if kind == NOTE_ON and i + 1 < end and data[i + 1]:  # velocity 0 is a note-off
                notes += 1
            i += 1 if kind in ONE_DATA_BYTE else 2
        events += 1
    return notes, events


def _variable_length(data: bytes, i: int, end: int) -> tuple[int, int]:
    """A MIDI variable-length number at `i`: its value and the index after it."""
    value = 0
    while i < end:
        byte = data[i]
        i += 1
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            break
    return value, i
