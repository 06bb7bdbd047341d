"""Melody extraction from users' MIDI files: real bytes written with mido and pretty_midi."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import mido
import numpy as np
import pretty_midi
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from composer.constants import REST
from composer.data.samples import SAMPLES_DIR
from composer.errors import InputError
from composer.midi.melody import (
    MAX_FILE_BYTES,
    MAX_MELODY_NOTES,
    describe_melody_file,
    extract_melody,
)

REPO = Path(__file__).resolve().parents[2]
TWINKLE = SAMPLES_DIR / "twinkle-twinkle.mid"

# (pitch, start beat, length in beats): the opening of Twinkle Twinkle, C4 upwards.
PHRASE = [(60, 0, 1), (60, 1, 1), (67, 2, 1), (67, 3, 1), (69, 4, 1), (69, 5, 1), (67, 6, 2)]


def midi_bytes(
    tracks: list[list[tuple[int, mido.Message | mido.MetaMessage]]],
    *,
    ppq: int = 480,
    kind: int = 1,
) -> bytes:
    """A MIDI file from tracks of (absolute tick, message)."""
    midi = mido.MidiFile(type=kind, ticks_per_beat=ppq)
    for events in tracks:
        track = mido.MidiTrack()
        now = 0
        for tick, msg in sorted(events, key=lambda e: (e[0], e[1].type == "note_on")):
            track.append(msg.copy(time=tick - now))
            now = tick
        midi.tracks.append(track)
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def notes_events(
    notes: list[tuple[int, float, float]], *, ppq: int = 480, channel: int = 0, name: str = ""
) -> list[tuple[int, mido.Message | mido.MetaMessage]]:
    """Note on/off events for (pitch, start beat, length in beats)."""
    events: list[tuple[int, mido.Message | mido.MetaMessage]] = []
    if name:
        events.append((0, mido.MetaMessage("track_name", name=name)))
    for pitch, start, length in notes:
        on, off = round(start * ppq), round((start + length) * ppq)
        events.append((on, mido.Message("note_on", note=pitch, velocity=80, channel=channel)))
        events.append((off, mido.Message("note_off", note=pitch, velocity=0, channel=channel)))
    return events


def conductor(
    *, bpm: float = 100, meter: tuple[int, int] = (4, 4), key: str | None = None
) -> list[tuple[int, mido.MetaMessage]]:
    events = [
        (0, mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(bpm))),
        (0, mido.MetaMessage("time_signature", numerator=meter[0], denominator=meter[1])),
    ]
    if key:
        events.append((0, mido.MetaMessage("key_signature", key=key)))
    return events


def simple_file(notes: list[tuple[int, float, float]], **kwargs: object) -> bytes:
    return midi_bytes([conductor(), notes_events(notes)], **kwargs)  # type: ignore[arg-type]


def melody_of(result) -> list[tuple[int, int, int]]:
    return result.score.notes(0)


# --- bad input -----------------------------------------------------------------------------------


def test_not_midi() -> None:
    with pytest.raises(InputError, match="not a MIDI file"):
        extract_melody(b"Hello, this is a text file and no melody at all.\n")


def test_empty_bytes_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        extract_melody(b"")
    empty = tmp_path / "empty.mid"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        extract_melody(empty)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        extract_melody(tmp_path / "nowhere.mid")


def test_truncated_file() -> None:
    data = TWINKLE.read_bytes()
    with pytest.raises(InputError, match="truncated"):
        extract_melody(data[: len(data) - 40])


def test_damaged_file() -> None:
    data = bytearray(TWINKLE.read_bytes())
    data[14:18] = b"XXXX"  # the first track's chunk name
    with pytest.raises(InputError, match=r"damaged|truncated"):
        extract_melody(bytes(data))


def test_drums_only() -> None:
    drums = notes_events([(36, b, 0.5) for b in range(8)], channel=9, name="Drums")
    with pytest.raises(InputError, match="only drums"):
        extract_melody(midi_bytes([conductor(), drums]))


def test_no_notes() -> None:
    with pytest.raises(InputError, match="no notes"):
        extract_melody(midi_bytes([conductor()]))


def test_too_big_checked_before_parsing(tmp_path: Path) -> None:
    data = b"MThd" + b"\0" * MAX_FILE_BYTES
    with pytest.raises(InputError, match="at most 2 MB"):
        extract_melody(data)
    big = tmp_path / "big.mid"
    with big.open("wb") as f:  # sparse: the size alone must refuse it
        f.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(InputError, match="at most 2 MB"):
        extract_melody(big)


def test_too_long_in_minutes() -> None:
    notes = [(60 + b % 8, b, 1) for b in range(700)]  # 700 beats at 60 BPM: 11:40
    data = midi_bytes([conductor(bpm=60), notes_events(notes)])
    with pytest.raises(InputError, match="lasts 11:40; composer takes at most 10 minutes"):
        extract_melody(data)


def test_too_many_notes() -> None:
    notes = [(60 + i % 8, i / 4, 0.25) for i in range(MAX_MELODY_NOTES + 1)]
    with pytest.raises(InputError, match=f"{MAX_MELODY_NOTES + 1} notes; .* at most 2000"):
        extract_melody(simple_file(notes))


def test_shorter_than_a_beat() -> None:
    with pytest.raises(InputError, match="shorter than one beat"):
        extract_melody(simple_file([(60, 0, 0.25), (62, 0.25, 0.25)]))


def test_smpte_timing_refused() -> None:
    data = bytearray(simple_file(PHRASE))
    data[12:14] = (-(25 << 8) | 40).to_bytes(2, "big", signed=True)  # 25 fps, 40 ticks a frame
    with pytest.raises(InputError, match="SMPTE"):
        extract_melody(bytes(data))


def test_type_2_refused() -> None:
    with pytest.raises(InputError, match="type 2"):
        extract_melody(midi_bytes([conductor(), notes_events(PHRASE)], kind=2))


# --- what any user file may hold -----------------------------------------------------------------


def test_phrase_on_the_grid() -> None:
    result = extract_melody(simple_file(PHRASE))
    assert melody_of(result) == [(0, 4, 60), (4, 8, 60), (8, 12, 67), (12, 16, 67),
                                 (16, 20, 69), (20, 24, 69), (24, 32, 67)]  # fmt: skip
    assert result.score.n_voices == 1
    assert (result.score.meter, result.score.pickup_steps) == ((4, 4), 0)
    assert (result.score.tonic, result.score.mode) == (0, "major")
    assert result.score.tempo_bpm == 100
    assert result.notes == 7 and result.bars == 2
    assert result.warnings == []


def test_type_0_and_type_1_agree() -> None:
    type1 = extract_melody(midi_bytes([conductor(), notes_events(PHRASE)], kind=1))
    type0 = extract_melody(midi_bytes([conductor() + notes_events(PHRASE)], kind=0))
    assert melody_of(type0) == melody_of(type1)
    assert type0.score.meter == type1.score.meter
    assert type0.source == "track 1 'Acoustic Grand Piano'"


@pytest.mark.parametrize("ppq", [24, 96, 480, 960, 1001])
def test_any_ppq(ppq: int) -> None:
    result = extract_melody(midi_bytes([conductor(), notes_events(PHRASE, ppq=ppq)], ppq=ppq))
    assert melody_of(result) == melody_of(extract_melody(simple_file(PHRASE)))


def test_tempo_change_keeps_notes_on_the_beat() -> None:
    tempo_map = [*conductor(bpm=96), (4 * 480, mido.MetaMessage("set_tempo", tempo=500_000))]
    result = extract_melody(midi_bytes([tempo_map, notes_events(PHRASE)]))
    assert melody_of(result) == melody_of(extract_melody(simple_file(PHRASE)))
    assert result.score.tempo_bpm == 96
    assert "tempo changes ignored; kept the first, 96 BPM" in result.warnings


def test_file_written_in_seconds_by_pretty_midi() -> None:
    """pretty_midi's default 220 ticks a beat, notes placed in seconds at 75 BPM."""
    midi = pretty_midi.PrettyMIDI(initial_tempo=75)
    midi.time_signature_changes.append(pretty_midi.TimeSignature(3, 4, 0))
    tune = pretty_midi.Instrument(0, name="Tune")
    beat = 60 / 75
    for pitch, start, length in PHRASE:
        tune.notes.append(pretty_midi.Note(80, pitch, start * beat, (start + length) * beat))
    midi.instruments.append(tune)
    out = io.BytesIO()
    midi.write(out)
    result = extract_melody(out.getvalue())
    assert melody_of(result) == melody_of(extract_melody(simple_file(PHRASE)))
    assert (result.score.meter, result.score.tempo_bpm) == ((3, 4), 75)


def test_meter_change_ignored_with_a_warning() -> None:
    meters = [*conductor(meter=(3, 4)), (12 * 480, mido.MetaMessage("time_signature", numerator=4))]
    notes = [(60 + b % 5, b, 1) for b in range(20)]
    result = extract_melody(midi_bytes([meters, notes_events(notes)]))
    assert result.score.meter == (3, 4)
    assert "meter changes ignored (4/4); kept 3/4" in result.warnings


def test_no_meter_assumes_four_four() -> None:
    tempo_only = [(0, mido.MetaMessage("set_tempo", tempo=600_000))]
    result = extract_melody(midi_bytes([tempo_only, notes_events(PHRASE)]))
    assert result.score.meter == (4, 4)
    assert result.score.tempo_bpm == 100
    assert "the file states no meter; assumed 4/4" in result.warnings


def test_unusual_meter_kept_and_reported() -> None:
    result = extract_melody(midi_bytes([conductor(meter=(7, 8)), notes_events(PHRASE)]))
    assert result.score.meter == (7, 8)
    assert result.score.steps_per_bar == 14
    assert any("7/8 is unusual" in w for w in result.warnings)


def test_pickup_after_rests_in_the_first_bar() -> None:
    notes = [(62, 2, 1), (67, 3, 2), (71, 5, 1)]  # a 3/4 bar of silence but its last beat
    result = extract_melody(midi_bytes([conductor(meter=(3, 4)), notes_events(notes)]))
    assert result.score.pickup_steps == 4
    assert melody_of(result)[0] == (0, 4, 62)
    assert result.warnings == []


def test_pickup_as_a_short_first_bar() -> None:
    """Notation programs write a pickup as one short bar in its own meter."""
    meters = [*conductor(meter=(1, 4)), (480, mido.MetaMessage("time_signature", numerator=3))]
    notes = [(62, 0, 1), (67, 1, 2), (71, 3, 1), (67, 4, 3)]
    result = extract_melody(midi_bytes([meters, notes_events(notes)]))
    assert result.score.meter == (3, 4)
    assert result.score.pickup_steps == 4
    assert result.warnings == []


def test_leading_silence_trimmed_to_the_bar() -> None:
    late = [(p, b + 8.5, n) for p, b, n in PHRASE]  # two silent bars, then half a beat
    result = extract_melody(simple_file(late))
    assert melody_of(result)[0] == (0, 4, 60)
    assert result.score.pickup_steps == 14
    assert "skipped 8 beats before the melody's first bar" in result.warnings


def test_humanized_timing_is_quantized() -> None:
    jitter = [
        (p, b + (0.04 if i % 2 else -0.03 if b else 0), n - 0.05)
        for i, (p, b, n) in enumerate(PHRASE)
    ]
    assert melody_of(extract_melody(simple_file(jitter))) == melody_of(
        extract_melody(simple_file(PHRASE))
    )


def test_chords_reduced_to_their_top_notes() -> None:
    chords = [(48, 0, 2), (52, 0, 2), (55, 0, 2), (53, 2, 2), (57, 2, 2), (60, 2, 2), (64, 4, 4)]
    result = extract_melody(simple_file(chords))
    assert [p for _, _, p in melody_of(result)] == [67, 72, 76]  # moved up into the soprano range
    assert "2 chords reduced to their top notes" in result.warnings


def test_overlapping_notes_cut_at_the_next_onset() -> None:
    legato = [(60, 0, 1.5), (62, 1, 1.5), (64, 2, 2)]
    result = extract_melody(simple_file(legato))
    assert melody_of(result) == [(0, 4, 60), (4, 8, 62), (8, 16, 64)]
    assert "2 overlapping notes cut where the next note starts" in result.warnings


def test_tiny_notes_lengthened_and_grace_notes_dropped() -> None:
    tiny = [(60, 0, 1), (62, 1, 0.05), (64, 2, 0.05), (64, 3, 1), (65, 2.98, 0.03)]
    result = extract_melody(simple_file(tiny))
    # The touches leave a gap after most notes, so they are articulation: each note is written
    # to the next onset (composer.midi.melody._articulate).
    assert melody_of(result) == [(0, 4, 60), (4, 8, 62), (8, 12, 64), (12, 16, 64)]
    assert "2 notes shorter than a 16th lengthened to a 16th" in result.warnings
    assert "2 notes played short (staccato) read as legato" in result.warnings
    assert "1 grace note dropped" in result.warnings


def test_huge_notes_shortened() -> None:
    result = extract_melody(simple_file([(60, 0, 1), (64, 1, 40), (67, 41, 1)]))
    assert melody_of(result) == [(0, 4, 60), (4, 36, 64), (164, 168, 67)]
    assert "1 note longer than 8 beats shortened" in result.warnings


def test_note_never_released_lasts_to_its_track_end() -> None:
    events = notes_events(PHRASE[:-1])
    events.append((6 * 480, mido.Message("note_on", note=67, velocity=80)))
    events.append((8 * 480, mido.MetaMessage("end_of_track")))
    result = extract_melody(midi_bytes([conductor(), events]))
    assert melody_of(result)[-1] == (24, 32, 67)


def test_melody_track_chosen_among_accompaniment() -> None:
    chords = [(p, bar * 4, 4) for bar in range(4) for p in (48, 52, 55)]
    alberti = [(p, i / 2, 0.5) for i, p in enumerate([48, 55, 52, 55] * 8)]
    bass = [(36, b, 1) for b in range(16)]
    tune = [(72 + p - 60, b, n) for p, b, n in PHRASE] + [(77, 8, 4), (76, 12, 4)]
    drums = notes_events([(38, b, 0.25) for b in range(16)], channel=9, name="Drums")
    tracks = [
        conductor(),
        notes_events(chords, name="Piano chords"),
        notes_events(alberti, channel=1, name="Piano"),
        notes_events(bass, channel=2, name="Bass"),
        notes_events(tune, channel=3, name="Flute"),
        drums,
    ]
    result = extract_melody(midi_bytes(tracks))
    assert result.source == "track 5 'Flute'"
    assert [p for _, _, p in melody_of(result)] == [72, 72, 79, 79, 81, 81, 79, 77, 76]
    assert "used track 5 'Flute', the most melodic of 4 parts" in result.warnings
    assert "ignored 1 drum track" in result.warnings


def test_melody_found_among_channels_of_a_type_0_file() -> None:
    tune = [(72 + p - 60, b, n) for p, b, n in PHRASE]
    block = [(p, bar * 4, 4) for bar in range(2) for p in (48, 52, 55, 60)]
    events = conductor() + notes_events(block, channel=0) + notes_events(tune, channel=4)
    result = extract_melody(midi_bytes([events], kind=0))
    assert result.source.startswith("track 1 channel 5")
    assert [p for _, _, p in melody_of(result)] == [72, 72, 79, 79, 81, 81, 79]


def test_low_melody_moved_up_octaves() -> None:
    low = [(p - 24, b, n) for p, b, n in PHRASE]
    result = extract_melody(simple_file(low))
    assert [p for _, _, p in melody_of(result)] == [p for p, _, _ in PHRASE]
    assert "moved up 2 octaves into the soprano range (C4–A5)" in result.warnings


def test_high_melody_moved_down_one_octave() -> None:
    high = [(p + 24, b, n) for p, b, n in PHRASE]
    result = extract_melody(simple_file(high))
    assert [p for _, _, p in melody_of(result)] == [p + 12 for p, _, _ in PHRASE]
    assert "moved down one octave into the soprano range (C4–A5)" in result.warnings


def test_wide_melody_folded_into_range() -> None:
    wide = [(55, 0, 1), (60, 1, 1), (72, 2, 1), (84, 3, 1)]  # G3 to C6: no octave fits all
    result = extract_melody(simple_file(wide))
    pitches = [p for _, _, p in melody_of(result)]
    assert all(60 <= p <= 81 for p in pitches)
    assert pitches == [67, 60, 72, 72]
    assert "2 notes outside C4–A5 moved by an octave to fit" in result.warnings


def test_key_found_from_the_notes() -> None:
    # G major scale up and down, ending on G: no key signature in the file.
    scale = [67, 69, 71, 72, 74, 76, 78, 79, 78, 76, 74, 72, 71, 69, 67]
    notes = [(p, i, 1) for i, p in enumerate(scale)]
    result = extract_melody(simple_file(notes))
    assert (result.score.tonic, result.score.mode) == (7, "major")


def test_stated_key_breaks_a_near_tie() -> None:
    # A minor without G#: by its notes it could as well be C major.
    notes = [(p, i, 1) for i, p in enumerate([69, 72, 71, 69, 76, 74, 72, 71, 69])]
    stated = extract_melody(midi_bytes([conductor(key="Am"), notes_events(notes)]))
    assert (stated.score.tonic, stated.score.mode) == (9, "minor")


def test_wrong_stated_key_overruled_and_reported() -> None:
    notes = [(p, i, 1) for i, p in enumerate([66, 67, 69, 71, 74, 66, 67, 62, 67])]
    result = extract_melody(midi_bytes([conductor(key="Eb"), notes_events(notes)]))
    assert (result.score.tonic, result.score.mode) == (7, "major")
    assert any(w.startswith("the file says Eb major") for w in result.warnings)


def test_rests_inside_the_melody_are_kept() -> None:
    result = extract_melody(simple_file([(60, 0, 1), (64, 2, 1), (67, 3, 1)]))
    assert result.score.pitches[0, 4:8].tolist() == [REST] * 4
    assert result.notes == 3


def test_name_defaults_to_the_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "my tune.mid"
    path.write_bytes(simple_file(PHRASE))
    assert extract_melody(path).score.name == "my tune"
    assert extract_melody(str(path), name="Mine").score.name == "Mine"


def test_describe_melody_file() -> None:
    text = describe_melody_file(SAMPLES_DIR / "amazing-grace.mid")
    assert text.splitlines() == [
        "file: amazing-grace.mid",
        "melody: track 2 'Amazing Grace'",
        "length: 17 bars, 32 notes, 0:36",
        "key: G major",
        "meter: 3/4, pickup of 1 beat",
        "tempo: 80 BPM",
        "range: D4–D5",
        "changes: none",
    ]


def test_describe_lists_the_changes(tmp_path: Path) -> None:
    path = tmp_path / "low.mid"
    path.write_bytes(simple_file([(p - 24, b, n) for p, b, n in PHRASE]))
    text = describe_melody_file(path)
    assert "changes:\n  - moved up 2 octaves into the soprano range (C4–A5)" in text


# --- the command line ----------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "composer", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


def test_cli_inspect_bad_file_prints_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "notes.mid"
    bad.write_text("not a melody")
    result = run_cli("inspect", str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "composer: error: this is not a MIDI file (a MIDI file starts with 'MThd')"
    ]


def test_cli_inspect_good_file() -> None:
    result = run_cli("inspect", str(TWINKLE))
    assert result.returncode == 0, result.stderr
    assert "melody: track 2 'Twinkle Twinkle Little Star'" in result.stdout
    assert "key: C major" in result.stdout
    assert "length: 12 bars, 42 notes" in result.stdout


# --- anything at all -----------------------------------------------------------------------------


def check_never_crashes(data: bytes) -> None:
    try:
        result = extract_melody(data)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    score = result.score
    assert score.n_voices == 1 and score.n_steps >= 4
    assert all(w and "\n" not in w for w in result.warnings)
    assert "\n" not in result.source
    sounding = score.pitches[0][score.pitches[0] != REST]
    assert np.all((sounding >= 60) & (sounding <= 81))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes) -> None:
    check_never_crashes(data)
    check_never_crashes(b"MThd\x00\x00\x00\x06" + data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_midi_never_crashes(data: st.DataObject) -> None:
    original = bytearray(TWINKLE.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        where = data.draw(st.integers(0, len(original) - 1))
        original[where] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(8, len(original)))
    check_never_crashes(bytes(original[:cut]))
