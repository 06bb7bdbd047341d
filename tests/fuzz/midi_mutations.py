"""Seed corpus and mutators for fuzzing the MIDI reader with damaged and hostile files.

Seeds are real MIDI files: the sample melodies and a few Bach chorales written by
composer.midi.io. Each mutator takes a seed's bytes and a `random.Random` and returns new bytes,
so the hypothesis suite and the longer `python -m bench fuzz` campaign share them.
"""

from __future__ import annotations

import io
import random
import struct
from collections.abc import Callable
from functools import cache
from pathlib import Path

import mido

ROOT = Path(__file__).resolve().parents[2]
MELODIES = ROOT / "fixtures" / "melodies"
CHORALES = 3  # chorales in the corpus: enough for multi-track files with meters and keys

Mutator = Callable[[bytes, random.Random], bytes]


@cache
def seed_corpus() -> tuple[tuple[str, bytes], ...]:
    """(name, bytes) of every seed file."""
    from composer.data.chorales import chorale_names, load_chorales
    from composer.midi.io import score_to_midi

    seeds = [(p.name, p.read_bytes()) for p in sorted(MELODIES.glob("*.mid"))]
    names = chorale_names("valid")[:CHORALES]
    for name, score in zip(names, load_chorales("valid", names=names), strict=True):
        buffer = io.BytesIO()
        score_to_midi(score).write(buffer)
        seeds.append((f"chorale-{name}", buffer.getvalue()))
    return tuple(seeds)


def _vlq(value: int) -> bytes:
    """A MIDI variable-length quantity (at most 0x0FFFFFFF)."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def _track_chunks(data: bytes) -> list[int]:
    """Offsets of the 'MTrk' chunk headers."""
    found, start = [], data.find(b"MTrk")
    while start >= 0:
        found.append(start)
        start = data.find(b"MTrk", start + 4)
    return found


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))]


def chunk_length_lie(data: bytes, rng: random.Random) -> bytes:
    """A header or track chunk whose length field says something else than its content."""
    out = bytearray(data)
    offsets = [0, *_track_chunks(data)]
    where = rng.choice(offsets) + 4
    lie = rng.choice([0, 1, 5, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(2**32)])
    out[where : where + 4] = struct.pack(">I", lie)
    return bytes(out)


def header_lie(data: bytes, rng: random.Random) -> bytes:
    """Absurd format, track count or division (ticks per beat, SMPTE, zero)."""
    out = bytearray(data)
    field = rng.choice([8, 10, 12])
    out[field : field + 2] = struct.pack(">H", rng.choice([0, 1, 2, 3, 0x7FFF, 0xFFFF, 0xE250]))
    return bytes(out)


def _rewrite(data: bytes, edit: Callable[[mido.MidiFile], None]) -> bytes:
    midi = mido.MidiFile(file=io.BytesIO(data), clip=True)
    edit(midi)
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def huge_delta(data: bytes, rng: random.Random) -> bytes:
    """A note or event pushed hours (or the largest delta MIDI allows) into the future."""

    def edit(midi: mido.MidiFile) -> None:
        track = rng.choice(midi.tracks)
        if track:
            i = rng.randrange(len(track))
            track[i] = track[i].copy(time=rng.choice([0x0FFFFFFF, 10**6, rng.randrange(2**28)]))

    return _rewrite(data, edit)


def absurd_tempo(data: bytes, rng: random.Random) -> bytes:
    def edit(midi: mido.MidiFile) -> None:
        for _ in range(rng.randint(1, 50)):
            tempo = rng.choice([0, 1, 2, 0xFFFFFF, rng.randrange(0x1000000)])
            midi.tracks[0].insert(0, mido.MetaMessage("set_tempo", tempo=tempo, time=0))

    return _rewrite(data, edit)


def absurd_meter(data: bytes, rng: random.Random) -> bytes:
    """A time signature with any numerator and denominator exponent, written as raw bytes."""
    num, exp = rng.randrange(256), rng.randrange(256)
    event = b"\x00\xff\x58\x04" + bytes([num, exp, 24, 8])
    chunks = _track_chunks(data)
    if not chunks:
        return data
    at = rng.choice(chunks)
    (length,) = struct.unpack(">I", data[at + 4 : at + 8])
    body = event + data[at + 8 : at + 8 + length]
    return data[:at] + b"MTrk" + struct.pack(">I", len(body)) + body + data[at + 8 + length :]


def many_notes(data: bytes, rng: random.Random) -> bytes:
    """Thousands of notes, as a run or as one huge chord, in a new track."""
    count = rng.choice([2_001, 5_000, 20_000, rng.randint(1, 30_000)])
    chord = rng.random() < 0.3

    def edit(midi: mido.MidiFile) -> None:
        track = mido.MidiTrack()
        step = 0 if chord else rng.choice([1, 30, midi.ticks_per_beat])
        for i in range(count):
            pitch = rng.randrange(128)
            track.append(mido.Message("note_on", note=pitch, velocity=80, time=step if i else 0))
            track.append(mido.Message("note_off", note=pitch, velocity=0, time=step))
        midi.tracks.append(track)

    return _rewrite(data, edit)


def many_tracks(data: bytes, rng: random.Random) -> bytes:
    """The same track copied hundreds of times (a file many times the usual size)."""

    def edit(midi: mido.MidiFile) -> None:
        midi.tracks.extend([midi.tracks[-1]] * rng.choice([100, 500, 1000]))

    return _rewrite(data, edit)


def junk_tail(data: bytes, rng: random.Random) -> bytes:
    return data + rng.randbytes(rng.randint(1, 4096))


MUTATORS: dict[str, Mutator] = {
    "byte flips": flip_bytes,
    "truncation": truncate,
    "chunk length lie": chunk_length_lie,
    "header lie": header_lie,
    "huge delta time": huge_delta,
    "absurd tempo": absurd_tempo,
    "absurd meter": absurd_meter,
    "thousands of notes": many_notes,
    "hundreds of tracks": many_tracks,
    "junk tail": junk_tail,
}


def mutate(data: bytes, names: list[str], rng: random.Random) -> bytes:
    """Apply the named mutators in turn; a structural one that cannot parse its input is a no-op."""
    for name in names:
        try:
            data = MUTATORS[name](data, rng) or data
        except Exception:  # mido cannot re-read an already damaged file
            pass  # keep it as it is: the reader under test gets it anyway
    return data
