"""Counting a MIDI file's notes and events from its bytes agrees with mido's full parse, and a file
packed with notes or events is refused by that count, before the costly parse."""

from __future__ import annotations

import io
import struct

import mido
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer.errors import InputError
from composer.midi.census import MidiCensus, midi_census
from composer.midi.melody import MAX_FILE_BYTES, MAX_FILE_EVENTS, MAX_FILE_NOTES, extract_melody
from tests.fuzz.limits import peak_memory

CHANNEL_MESSAGES = st.one_of(
    st.builds(
        lambda c, n, v: mido.Message("note_on", channel=c, note=n, velocity=v),
        st.integers(0, 15),
        st.integers(0, 127),
        st.integers(0, 127),
    ),
    st.builds(
        lambda c, n: mido.Message("note_off", channel=c, note=n, velocity=64),
        st.integers(0, 15),
        st.integers(0, 127),
    ),
    st.builds(
        lambda c, p: mido.Message("program_change", channel=c, program=p),
        st.integers(0, 15),
        st.integers(0, 127),
    ),
    st.builds(
        lambda c, v: mido.Message("aftertouch", channel=c, value=v),
        st.integers(0, 15),
        st.integers(0, 127),
    ),
    st.builds(
        lambda c, v: mido.Message("control_change", channel=c, control=64, value=v),
        st.integers(0, 15),
        st.integers(0, 127),
    ),
    st.builds(
        lambda c, p: mido.Message("pitchwheel", channel=c, pitch=p),
        st.integers(0, 15),
        st.integers(-8192, 8191),
    ),
    st.builds(lambda d: mido.Message("sysex", data=d), st.lists(st.integers(0, 127), max_size=200)),
    st.builds(lambda t: mido.MetaMessage("text", text=t), st.text("abc xyz", max_size=300)),
    st.builds(lambda t: mido.MetaMessage("set_tempo", tempo=t), st.integers(1, 2**24 - 1)),
)
TRACKS = st.lists(
    st.lists(st.tuples(st.integers(0, 70_000), CHANNEL_MESSAGES), max_size=40),
    min_size=1,
    max_size=4,
)


def _file(tracks: list[list[tuple[int, mido.Message | mido.MetaMessage]]]) -> bytes:
    """Written by mido, which uses running status and variable-length delta times."""
    midi = mido.MidiFile(type=1, ticks_per_beat=480)
    for events in tracks:
        midi.tracks.append(mido.MidiTrack(msg.copy(time=delta) for delta, msg in events))
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def _mido_census(data: bytes) -> MidiCensus:
    midi = mido.MidiFile(file=io.BytesIO(data))
    messages = [msg for track in midi.tracks for msg in track]
    notes = sum(1 for msg in messages if msg.type == "note_on" and msg.velocity > 0)
    return MidiCensus(notes=notes, events=len(messages))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracks=TRACKS)
def test_the_census_matches_a_full_parse(tracks) -> None:  # type: ignore[no-untyped-def]
    data = _file(tracks)
    assert midi_census(data) == _mido_census(data)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=600))
def test_damaged_bytes_never_raise(data: bytes) -> None:
    census = midi_census(b"MThd" + data)
    assert 0 <= census.notes <= census.events <= len(data)


def _packed(count: int, event: bytes) -> bytes:
    """One track of `count` times the same event in running status, a tick apart."""
    status, data = event[:1], event[1:]
    body = b"\x00" + status + data + (b"\x01" + data) * (count - 1)
    body += b"\x00\xff\x2f\x00"
    header = b"MThd" + struct.pack(">IHHH", 6, 0, 1, 480)
    return header + b"MTrk" + struct.pack(">I", len(body)) + body


def test_a_file_packed_with_notes_is_refused_before_it_is_parsed() -> None:
    data = _packed(MAX_FILE_BYTES // 3 - 20, b"\x90\x3c\x40")  # 699,000 note-ons in 2 MB
    assert len(data) <= MAX_FILE_BYTES
    notes = midi_census(data).notes
    with peak_memory() as peak, pytest.raises(InputError) as refused:
        extract_melody(data)
    assert str(refused.value).startswith(
        f"the file has {notes:,} notes; the limit is {MAX_FILE_NOTES:,}"
    )
    # Parsing it took 3.5 s and 270 MB; the count needs next to none (times: bench/memory.py).
    assert peak[0] < 8 * 2**20, f"{peak[0] / 2**20:.0f} MB"


def test_a_file_packed_with_other_events_is_refused_too() -> None:
    data = _packed(MAX_FILE_BYTES // 3 - 20, b"\xb0\x40\x7f")  # the sustain pedal, pressed
    events = midi_census(data).events
    assert events > MAX_FILE_EVENTS
    message = f"has {events:,} MIDI events; the limit is {MAX_FILE_EVENTS:,}"
    with pytest.raises(InputError, match=message):
        extract_melody(data)


def test_a_file_at_the_note_limit_is_read() -> None:
    """Exactly MAX_FILE_NOTES notes a tick apart: parsed, and read as a short melody of grace
    notes."""
    data = _packed(MAX_FILE_NOTES, b"\x90\x3c\x40")
    assert midi_census(data) == MidiCensus(notes=MAX_FILE_NOTES, events=MAX_FILE_NOTES + 1)
    assert extract_melody(data).notes > 0
