"""A judge's anonymised MIDI keeps which voice each track plays, so the judge's page can solo and
mute the voices as a team's own page does, with no team's words left in the track names."""

from __future__ import annotations

import io

import mido
import pretty_midi

from arena.judging.anonymous_files import anonymous_midi


def _midi(tracks: list[tuple[str, int]]) -> bytes:
    midi = pretty_midi.PrettyMIDI()
    for at, (name, program) in enumerate(tracks):
        inst = pretty_midi.Instrument(program=program, name=name)
        inst.notes.append(pretty_midi.Note(velocity=80, pitch=60 + at, start=0, end=1))
        midi.instruments.append(inst)
    out = io.BytesIO()
    midi.write(out)
    return out.getvalue()


def test_a_voice_track_keeps_its_voice_and_is_named_after_its_general_midi_instrument() -> None:
    data = _midi(
        [
            ("Soprano - Violin I", 40),
            ("Bass - Night Owls", 42),  # a team's words after the voice
            ("Alto - Church Organ", 19),
            ("Tenor", 41),
            ("Night Owls - Viola", 41),  # no voice first: the instrument alone
        ]
    )
    midi = mido.MidiFile(file=io.BytesIO(anonymous_midi(data)))
    names = [m.name for t in midi.tracks for m in t if m.type == "track_name"]
    assert names == [
        "Soprano - Violin",
        "Bass - Cello",
        "Alto - Church Organ",
        "Tenor",
        "Viola",
    ]
    played = pretty_midi.PrettyMIDI(io.BytesIO(anonymous_midi(data)))
    assert [n.pitch for i in played.instruments for n in i.notes] == [60, 61, 62, 63, 64]
