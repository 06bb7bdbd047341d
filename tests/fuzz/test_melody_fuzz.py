"""Fuzzing the melody reader: every damaged or hostile MIDI file ends in InputError or a melody
within the limits, quickly and in bounded memory; never another exception, a hang or a blow-up.

`python -m bench fuzz` runs the same mutators for many more inputs.
"""

from __future__ import annotations

import random
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer.errors import InputError
from composer.midi.melody import MAX_FILE_BYTES, MAX_MELODY_NOTES, extract_melody
from tests.fuzz.limits import peak_memory, time_limit
from tests.fuzz.midi_mutations import MUTATORS, mutate, seed_corpus

SECONDS_PER_CALL = 10.0  # generous for a 2-core machine that is training a model beside us
FUZZ = settings(
    max_examples=60,
    deadline=None,  # the time limit below bounds each call instead
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same inputs in every run, so CI is reproducible
)


def check_input(data: bytes) -> str:
    """'ok' or 'refused'; anything else escapes and fails the test."""
    with time_limit(SECONDS_PER_CALL):
        try:
            melody = extract_melody(data)
        except InputError as exc:
            assert str(exc), "an InputError must say why"
            return "refused"
    assert 0 < melody.notes <= MAX_MELODY_NOTES
    assert melody.score.n_voices == 1 and melody.score.n_steps > 0
    return "ok"


def test_every_seed_is_a_usable_melody() -> None:
    for name, data in seed_corpus():
        assert check_input(data) == "ok", name


@settings(FUZZ, max_examples=25)  # the structural mutators cost up to half a second each
@given(
    seed=st.sampled_from(range(len(seed_corpus()))),
    mutators=st.lists(st.sampled_from(sorted(MUTATORS)), min_size=1, max_size=2),
    salt=st.integers(0, 2**32 - 1),
)
def test_mutated_midi_is_refused_or_read(seed: int, mutators: list[str], salt: int) -> None:
    data = mutate(seed_corpus()[seed][1], mutators, random.Random(salt))
    check_input(data)


@FUZZ
@given(tail=st.binary(max_size=2048))
def test_random_bytes_after_a_midi_header(tail: bytes) -> None:
    check_input(b"MThd" + tail)


@FUZZ
@given(
    fmt=st.integers(0, 0xFFFF),
    tracks=st.integers(0, 0xFFFF),
    division=st.integers(0, 0xFFFF),
    body=st.binary(max_size=512),
)
def test_any_header_fields_and_track_bytes(
    fmt: int, tracks: int, division: int, body: bytes
) -> None:
    header = b"MThd" + struct.pack(">IHHH", 6, fmt, tracks, division)
    check_input(header + b"MTrk" + struct.pack(">I", len(body)) + body)


@pytest.mark.parametrize("name", sorted(MUTATORS))
def test_each_mutation_stays_in_bounded_memory(name: str) -> None:
    """Peak Python memory of reading a mutated file stays far below the worker's share."""
    rng = random.Random(7)
    for seed in (seed_corpus()[0][1], seed_corpus()[-1][1]):
        data = mutate(seed, [name], rng)
        with peak_memory() as peak:
            check_input(data)
        assert peak[0] < 64 * 2**20, f"{name}: {peak[0] / 2**20:.0f} MB"


def _dense_notes(size: int) -> bytes:
    """As many notes as fit in `size` bytes, in running status: the costliest file per byte."""
    body = bytearray(b"\x00\x90\x3c\x40")
    while len(body) < size - 64:
        body += b"\x01\x3c\x00\x00\x3e\x40"
    body += b"\x00\xff\x2f\x00"
    return (
        b"MThd" + struct.pack(">IHHH", 6, 0, 1, 480) + b"MTrk" + struct.pack(">I", len(body)) + body
    )


def test_dense_file_read_in_bounded_time_and_memory() -> None:
    """21,000 notes a tick apart: read (most are grace notes) in bounded time and memory."""
    with peak_memory() as peak:
        check_input(_dense_notes(128 * 1024))
    assert peak[0] < 64 * 2**20


def test_over_the_size_limit_refused_before_parsing() -> None:
    with time_limit(1.0), pytest.raises(InputError, match="at most 2 MB"):
        extract_melody(b"MThd" + bytes(MAX_FILE_BYTES))
