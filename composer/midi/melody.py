"""A user's MIDI file becomes a one-voice melody Score (DESIGN §3), with an account of the changes.

Any MIDI a user brings is accepted: type 0 or 1, any PPQ, tempo and meter changes, several tracks,
drums and chords. Timing is quantized in beats (MIDI ticks divided by ticks per quarter note), never
in seconds, so tempo changes cannot shift notes off the grid. Everything that could surprise the
user (the track chosen, chords reduced, octaves moved, changes ignored) is reported in `warnings`.

Bad input raises `InputError` with one clear sentence; no parser exception escapes.
"""

from __future__ import annotations

import io
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import mido
import numpy as np
import pretty_midi

from composer.constants import REST, STEPS_PER_BEAT, VOICE_RANGES
from composer.errors import InputError
from composer.key_finding import key_fits
from composer.midi.census import midi_census
from composer.midi.live import LiveBeat, fit_live_beat, fits_file_grid
from composer.score import Score
from composer.theory import key_name, pitch_name, prefers_flats

# Limits on what users may upload. Real melodies sit far below each of them; above them a file is
# almost surely no melody (a whole orchestral score, a corrupt file) and would only waste time.
MAX_FILE_BYTES = 2 * 1024 * 1024  # checked before parsing
# Counted from the bytes before parsing (composer.midi.census): parsing costs about 10 µs and
# 700 bytes per event, so these bound a read to about half a second and 100 MB. A whole orchestral
# score has some 30,000 notes.
MAX_FILE_NOTES = 50_000
MAX_FILE_EVENTS = 200_000
MAX_SECONDS = 600.0  # 10 minutes of melody, at the file's own tempo map
MAX_MELODY_NOTES = 2000  # notes in the extracted melody
MAX_BEATS = 2400  # 10 minutes at 240 BPM: guards memory when a file's tempo is absurd
MIN_STEPS = STEPS_PER_BEAT  # a melody shorter than one beat cannot be harmonized
MAX_NOTE_BEATS = 8  # a note held longer than this (and two bars) is shortened

DRUM_CHANNEL = 9  # General MIDI channel 10, counted from zero
DEFAULT_TEMPO_US = 500_000  # MIDI's default: 120 BPM
MIN_BPM, MAX_BPM = 20.0, 300.0
KEY_MARGIN = 0.1  # the file's key signature wins when its fit is this close to the best key's
COMMON_METERS = {(2, 4), (3, 4), (4, 4), (2, 2), (3, 2), (6, 4), (3, 8), (6, 8), (9, 8), (12, 8)}
SOPRANO_LOW, SOPRANO_HIGH = VOICE_RANGES["soprano"]

# Track names hinting at the tune, or at something that accompanies it.
MELODY_WORDS = (
    "melod",
    "lead",
    "vocal",
    "voice",
    "voz",
    "sing",
    "soprano",
    "solo",
    "tune",
    "theme",
)
ACCOMPANIMENT_WORDS = ("bass", "accomp", "chord", "pad", "drum", "perc", "rhythm", "harmon", "left")


@dataclass
class ExtractedMelody:
    score: Score  # one voice
    warnings: list[str]  # human-readable, one sentence each
    source: str  # which track the melody came from, e.g. "track 2 'Flute'"
    bars: int  # bars of the score, a pickup counted as a bar
    notes: int


@dataclass
class _Part:
    """The notes one track plays on one channel: a candidate for the melody."""

    track: int
    channel: int
    name: str
    program: int = 0
    shares_track: bool = False  # other channels of the same track have notes too
    notes: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, pitch) in ticks

    def label(self) -> str:
        text = f"track {self.track + 1}"
        if self.shares_track:
            text += f" channel {self.channel + 1}"
        name = self.name or pretty_midi.program_to_instrument_name(self.program)
        return f"{text} '{name}'"


@dataclass
class _MidiContent:
    ppq: int
    parts: list[_Part]
    drum_parts: int
    tempos: list[tuple[int, int]]  # (tick, microseconds per quarter note)
    meters: list[tuple[int, int, int]]  # (tick, numerator, denominator), valid ones only
    keys: list[tuple[int, str]]  # (tick, mido key name such as "F#m")
    had_meter: bool  # the file states a meter, valid or not


@dataclass
class _Grid:
    """Where step 0 of the melody lies in ticks, and the meter its bar lines follow."""

    origin: float  # tick of the bar line the first note's bar starts at
    offset: int  # steps from that bar line to the first note
    meter: tuple[int, int]
    ppq: int
    live: LiveBeat | None = None  # the grid fitted to a freely played melody's onsets

    @property
    def steps_per_bar(self) -> int:
        return self.meter[0] * 4 * STEPS_PER_BEAT // self.meter[1]

    @property
    def pickup_steps(self) -> int:
        return (self.steps_per_bar - self.offset) % self.steps_per_bar

    def step(self, tick: float) -> int:
        """The grid step nearest to a tick, counted from the first note (halves round up)."""
        if self.live is not None:
            return math.floor(self.live.step(tick) + 0.5)
        return math.floor((tick - self.origin) * STEPS_PER_BEAT / self.ppq + 0.5) - self.offset


def extract_melody(source: bytes | str | Path, *, name: str = "") -> ExtractedMelody:
    """Take the melody out of a MIDI file (its bytes or its path) as a one-voice Score."""
    data, stem = _read_source(source)
    _check_census(data)
    content = _collect(_parse(data))
    warnings: list[str] = []
    part = _choose_part(content, warnings)
    grid = _make_grid(content, part, warnings)
    notes = _monophonic(part, grid, warnings)
    notes = _articulate(notes, grid, warnings)
    _check_length(notes, content, part, grid)
    tempo = grid.live.bpm if grid.live else _tempo(content, part, warnings)
    notes = _place_octave(notes, warnings)
    tonic, mode = _key(notes, content, warnings)
    score = _to_score(notes, grid, tonic, mode, tempo, name or stem or part.name or "melody")
    return ExtractedMelody(
        score=score,
        warnings=warnings,
        source=part.label(),
        bars=len(score.bar_starts()),
        notes=len(notes),
    )


def describe_melody_file(path: str | Path) -> str:
    """A few lines on the melody composer would take from a MIDI file (`composer inspect`)."""
    result = extract_melody(Path(path))
    score = result.score
    minutes, seconds = divmod(round(score.seconds()), 60)
    pitches = [p for _, _, p in score.notes(0)]
    pickup = score.pickup_steps
    pickup_text = f", pickup of {_beats_text(pickup)}" if pickup else ", no pickup"
    flats = prefers_flats(score.tonic, score.mode)
    lines = [
        f"file: {Path(path).name}",
        f"melody: {result.source}",
        f"length: {result.bars} bars, {result.notes} notes, {minutes}:{seconds:02d}",
        f"key: {key_name(score.tonic, score.mode)}",
        f"meter: {score.meter[0]}/{score.meter[1]}{pickup_text}",
        f"tempo: {score.tempo_bpm:g} BPM",
        f"range: {pitch_name(min(pitches), flats)}–{pitch_name(max(pitches), flats)}",
    ]
    if result.warnings:
        lines.append("changes:")
        lines += [f"  - {w}" for w in result.warnings]
    else:
        lines.append("changes: none")
    return "\n".join(lines)


def _beats_text(steps: int) -> str:
    beats = steps / STEPS_PER_BEAT
    return f"{beats:g} beat" + ("" if beats == 1 else "s")


# --- reading and parsing -------------------------------------------------------------------------


def _read_source(source: bytes | str | Path) -> tuple[bytes, str]:
    """The file's bytes and, for a path, its stem; size is checked before anything is read."""
    if isinstance(source, bytes | bytearray | memoryview):
        data, stem = bytes(source), ""
        _check_size(len(data))
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{path} does not exist or is not a file")
        _check_size(path.stat().st_size)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
        stem = path.stem
    if not data.startswith(b"MThd"):
        raise InputError("this is not a MIDI file (a MIDI file starts with 'MThd')")
    return data, stem


def _check_size(size: int) -> None:
    if size == 0:
        raise InputError("the file is empty")
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"the file is {size / 2**20:.1f} MB; a melody file may be at most "
            f"{MAX_FILE_BYTES // 2**20} MB"
        )


def _check_census(data: bytes) -> None:
    census = midi_census(data)
    if census.notes > MAX_FILE_NOTES:
        raise InputError(
            f"the file has {census.notes:,} notes; the limit is {MAX_FILE_NOTES:,} "
            "(a melody has a few hundred)"
        )
    if census.events > MAX_FILE_EVENTS:
        raise InputError(
            f"the file has {census.events:,} MIDI events; the limit is {MAX_FILE_EVENTS:,}"
        )


def _parse(data: bytes) -> mido.MidiFile:
    try:
        midi = mido.MidiFile(file=io.BytesIO(data), clip=True)
    except EOFError as exc:
        raise InputError("the MIDI file is truncated: it ends in the middle of its data") from exc
    except Exception as exc:  # mido raises many types on damaged data; the user needs one answer
        detail = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise InputError(f"the MIDI file is damaged and cannot be read ({detail})") from exc
    if midi.type == 2:
        raise InputError("MIDI type 2 files are not supported; save it as type 0 or 1")
    if midi.type not in (0, 1):
        raise InputError(f"the MIDI file is damaged: its header gives type {midi.type}")
    if midi.ticks_per_beat <= 0:
        raise InputError("the MIDI file counts time in video frames (SMPTE), not in beats")
    return midi


def _collect(midi: mido.MidiFile) -> _MidiContent:
    """Notes per (track, channel) with tick times, plus the tempo, meter and key events."""
    parts: dict[tuple[int, int], _Part] = {}
    tempos: list[tuple[int, int]] = []
    meters: list[tuple[int, int, int]] = []
    keys: list[tuple[int, str]] = []
    had_meter = False
    for index, track in enumerate(midi.tracks):
        track_name, programs = "", defaultdict(int)
        open_notes: dict[tuple[int, int], list[int]] = defaultdict(list)
        tick = 0
        for msg in track:
            tick += msg.time
            kind = msg.type
            if kind == "track_name" and not track_name:
                track_name = _clean_name(str(msg.name))
            elif kind == "set_tempo" and msg.tempo > 0:
                tempos.append((tick, msg.tempo))
            elif kind == "time_signature":
                had_meter = True
                if _valid_meter(msg.numerator, msg.denominator):
                    meters.append((tick, msg.numerator, msg.denominator))
            elif kind == "key_signature":
                keys.append((tick, msg.key))
            elif kind == "program_change":
                programs[msg.channel] = msg.program
            elif kind == "note_on" and msg.velocity > 0:
                open_notes[(msg.channel, msg.note)].append(tick)
            elif kind in ("note_off", "note_on"):
                starts = open_notes.get((msg.channel, msg.note))
                if starts:  # the earliest held note of this pitch ends first
                    _part(parts, index, msg.channel).notes.append((starts.pop(0), tick, msg.note))
        for (channel, pitch), starts in open_notes.items():
            for start in starts:  # never released: it lasts to the end of its track
                _part(parts, index, channel).notes.append((start, tick, pitch))
        for (track_index, channel), part in parts.items():
            if track_index == index:
                part.name, part.program = track_name, programs[channel]
    for part in parts.values():
        part.notes.sort()
        part.shares_track = sum(1 for t, _ in parts if t == part.track) > 1
    melodic = [p for p in parts.values() if p.channel != DRUM_CHANNEL]
    return _MidiContent(
        ppq=midi.ticks_per_beat,
        parts=sorted(melodic, key=lambda p: (p.track, p.channel)),
        drum_parts=len(parts) - len(melodic),
        tempos=sorted(tempos, key=lambda e: e[0]),
        meters=sorted(meters, key=lambda e: e[0]),
        keys=sorted(keys, key=lambda e: e[0]),
        had_meter=had_meter,
    )


def _clean_name(name: str) -> str:
    """A track name fit for one line of a message: printable, single-spaced, not too long."""
    text = " ".join("".join(c if c.isprintable() else " " for c in name).split())
    return text if len(text) <= 40 else text[:39] + "…"


def _part(parts: dict[tuple[int, int], _Part], track: int, channel: int) -> _Part:
    if (track, channel) not in parts:
        parts[(track, channel)] = _Part(track=track, channel=channel, name="")
    return parts[(track, channel)]


def _valid_meter(numerator: int, denominator: int) -> bool:
    """A meter whose bar is a whole number of 16th steps, at most eight 4/4 bars long."""
    if not 1 <= numerator <= 64 or denominator not in (1, 2, 4, 8, 16, 32):
        return False
    return (numerator * 16) % denominator == 0 and numerator * 16 // denominator <= 128


# --- choosing the melody track -------------------------------------------------------------------


def _choose_part(content: _MidiContent, warnings: list[str]) -> _Part:
    """The most melodic non-drum part.

    Each part (the notes of one track on one channel) is scored, highest wins:
      2.0 x monophony: the share of its onsets that are single notes (tunes rarely play chords);
      1.5 x height: where its mean pitch lies between the lowest and highest part's (tunes sit on
            top, accompaniments and bass lines below);
      1.0 x coverage: the share of the piece's span it sounds (a tune runs the whole piece, a
            short fill does not);
      +1 for a name such as "Melody", "Lead", "Vocal", "Solo"; -1 for "Bass", "Chords", "Pad";
      -1 for a bass instrument (General MIDI programs 33-40); -1 for fewer than four notes.
    Ties go to the earlier track.
    """
    parts = [p for p in content.parts if p.notes]
    if not parts:
        if content.drum_parts:
            raise InputError("the file has only drums (channel 10); there is no melody to use")
        raise InputError("the file has no notes")
    if content.drum_parts:
        plural = "s" if content.drum_parts > 1 else ""
        warnings.append(f"ignored {content.drum_parts} drum track{plural}")
    if len(parts) == 1:
        return parts[0]
    first = min(p.notes[0][0] for p in parts)
    last = max(max(end for _, end, _ in p.notes) for p in parts)
    span = max(last - first, 1)
    means = [float(np.mean([pitch for _, _, pitch in p.notes])) for p in parts]
    low, high = min(means), max(means)
    scores = [
        _melodic_score(p, span, (m - low) / (high - low) if high > low else 0.5, content.ppq)
        for p, m in zip(parts, means, strict=True)
    ]
    best = parts[int(np.argmax(scores))]
    warnings.append(f"used {best.label()}, the most melodic of {len(parts)} parts")
    return best


def _melodic_score(part: _Part, span: int, height: float, ppq: int) -> float:
    onsets: dict[int, int] = defaultdict(int)
    for start, _, _ in part.notes:
        onsets[round(start * STEPS_PER_BEAT / ppq)] += 1
    monophony = sum(1 for n in onsets.values() if n == 1) / len(onsets)
    coverage = min(_sounding_ticks(part.notes) / span, 1.0)
    name = part.name.lower()
    score = 2.0 * monophony + 1.5 * height + coverage
    score += 1.0 if any(w in name for w in MELODY_WORDS) else 0.0
    score -= 1.0 if any(w in name for w in ACCOMPANIMENT_WORDS) else 0.0
    score -= 1.0 if 32 <= part.program <= 39 else 0.0
    score -= 1.0 if len(part.notes) < 4 else 0.0
    return score


def _sounding_ticks(notes: list[tuple[int, int, int]]) -> int:
    """Ticks during which at least one note sounds (notes sorted by start)."""
    total, reach = 0, -1
    for start, end, _ in notes:
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


# --- grid, meter and pickup ----------------------------------------------------------------------


def _make_grid(content: _MidiContent, part: _Part, warnings: list[str]) -> _Grid:
    """Bar lines from the file's meters; the melody starts at its first note, in its bar."""
    ppq, first = content.ppq, part.notes[0][0]
    meters = _meter_segments(content.meters)
    if not content.had_meter:
        warnings.append("the file states no meter; assumed 4/4")
    elif not content.meters:
        warnings.append("the file's meter cannot be used; assumed 4/4")
    index = max(i for i, (tick, _, _) in enumerate(meters) if tick <= first)
    tick, num, den = meters[index]
    bar = num * 4 * ppq / den
    nxt = meters[index + 1] if index + 1 < len(meters) else None
    if nxt and nxt[0] - tick <= bar and nxt[1] * 4 * ppq / nxt[2] > nxt[0] - tick:
        # A single short bar before the real meter is how notation programs write a pickup.
        tick, num, den = nxt
        bar = num * 4 * ppq / den
        origin = tick - bar
    else:
        origin = tick + math.floor((first - tick) / bar) * bar
    grid = _Grid(origin=origin, offset=0, meter=(num, den), ppq=ppq)
    offset = grid.step(first)
    if offset >= grid.steps_per_bar:  # the first note is a hair early for the next downbeat
        offset -= grid.steps_per_bar
        grid.origin += bar
    grid.offset = offset
    _meter_warnings(meters, grid, part, warnings)
    starts = [start for start, _, _ in part.notes]
    if not fits_file_grid(starts, [_seconds(content.tempos, ppq, 0, t) for t in starts], ppq):
        said: list[str] = []
        live = _live_grid(content, part, grid, said)
        # A fit that merges most of the file's distinct onsets (notes a tick apart, a cluster)
        # found no playing to follow: the file's own grid reads it better.
        fitted = len(live.live.steps) if live.live is not None else 0
        if 2 * fitted >= len({grid.step(start) for start in starts}):
            warnings.extend(said)
            return live
    if grid.origin >= ppq:
        warnings.append(f"skipped {grid.origin / ppq:g} beats before the melody's first bar")
    return grid


def _meter_segments(meters: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Meter changes, one per tick, repeats dropped, starting at tick 0 (4/4 unless stated)."""
    by_tick: dict[int, tuple[int, int, int]] = {}
    for tick, num, den in meters:
        by_tick[tick] = (tick, num, den)
    segments: list[tuple[int, int, int]] = []
    if 0 not in by_tick:
        segments.append((0, 4, 4))
    for tick in sorted(by_tick):
        if not segments or segments[-1][1:] != by_tick[tick][1:]:
            segments.append(by_tick[tick])
    return segments


def _meter_warnings(
    meters: list[tuple[int, int, int]], grid: _Grid, part: _Part, warnings: list[str]
) -> None:
    num, den = grid.meter
    last = max(end for _, end, _ in part.notes)
    first_bar_line = grid.origin + grid.steps_per_bar * grid.ppq / STEPS_PER_BEAT
    others = {(n, d) for t, n, d in meters if first_bar_line <= t < last and (n, d) != grid.meter}
    if others:
        changes = ", ".join(f"{n}/{d}" for n, d in sorted(others))
        warnings.append(f"meter changes ignored ({changes}); kept {num}/{den}")
    if (num, den) not in COMMON_METERS:
        warnings.append(f"meter {num}/{den} is unusual for a chorale; its bar lines are kept")


def _live_grid(content: _MidiContent, part: _Part, file_grid: _Grid, warnings: list[str]) -> _Grid:
    """The grid of a melody played freely: fitted to its onsets (composer.midi.live), in the
    file's meter; the bar line where the file puts it when its tempo was right, else where the
    long notes fall on downbeats."""
    ppq = content.ppq
    starts = [start for start, _, _ in part.notes]
    seconds = [_seconds(content.tempos, ppq, 0, tick) for tick in starts]
    stated = next((tempo for tick, tempo in content.tempos if tick <= starts[0]), None)
    stated_bpm = _bpm(stated) if stated else None
    live = fit_live_beat(starts, seconds, ppq, stated_bpm)
    grid = _Grid(origin=file_grid.origin, offset=0, meter=file_grid.meter, ppq=ppq, live=live)
    if stated_bpm and abs(math.log2(live.bpm / stated_bpm)) < 0.15:
        grid.offset = 2 * round(file_grid.offset / 2) % grid.steps_per_bar
    else:
        _, last_end, _ = max(part.notes, key=lambda n: (n[0], n[1]))
        end = max(live.step(last_end), live.steps[-1] + 1)
        grid.offset = _downbeat_offset(live.steps, end, grid.steps_per_bar, grid.meter)
    low, high = live.bpm_range
    sway = f", between {low:g} and {high:g} BPM" if high - low >= 0.08 * live.bpm else ""
    warnings.append(
        f"played freely (off the file's beat grid): fitted a beat of {live.bpm:g} BPM{sway} "
        "to the notes"
    )
    if stated_bpm is None:
        warnings.append("the file states no tempo of its own; the tempo is the playing's")
    elif abs(math.log2(live.bpm / stated_bpm)) >= 0.15:
        warnings.append(f"the file's tempo ({stated_bpm:g} BPM) does not fit the playing")
    if live.swung:
        warnings.append("swung eighths read as straight eighths")
    return grid


def _downbeat_offset(steps: list[int], end: float, bar: int, meter: tuple[int, int]) -> int:
    """Steps from a bar line to the first note: the beat that ends the melody (`end`, its last
    note's end) on a bar line and puts the longest notes on downbeats; no pickup on a tie."""
    beat = STEPS_PER_BEAT * 4 // meter[1] * (3 if meter[1] == 8 and meter[0] % 3 == 0 else 1)
    lengths = [b - a for a, b in pairwise(steps)] + [0]
    final = beat * math.ceil(end / beat - 0.25)  # a last note held nearly to a beat reaches it
    best, best_weight = 0, -1
    for offset in range(0, bar, beat):
        weight = sum(n for s, n in zip(steps, lengths, strict=True) if (s + offset) % bar == 0)
        weight += 2 * bar if (final + offset) % bar == 0 else 0
        if weight > best_weight:
            best, best_weight = offset, weight
    return best


# --- the monophonic line -------------------------------------------------------------------------


def _monophonic(part: _Part, grid: _Grid, warnings: list[str]) -> list[tuple[int, int, int]]:
    """One note at a time on the grid: (start step, end step, pitch), the first at step 0."""
    by_start: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for start, end, pitch in part.notes:
        by_start[grid.step(start)].append((grid.step(end), pitch))
    chords = graces = lengthened = cut = shortened = 0
    line: list[tuple[int, int, int]] = []
    for start in sorted(by_start):
        group = by_start[start]
        sounding = [(end, pitch) for end, pitch in group if end > start]
        if sounding:
            graces += len(group) - len(sounding)  # a blip on top of a real note: a grace note
            group = sounding
        chords += len({pitch for _, pitch in group}) > 1
        end, pitch = max(group, key=lambda n: (n[1], n[0]))
        if end <= start:
            end, lengthened = start + 1, lengthened + 1
        line.append((start, end, pitch))
    longest = max(2 * grid.steps_per_bar, MAX_NOTE_BEATS * STEPS_PER_BEAT)
    for i, (start, end, pitch) in enumerate(line):
        if i + 1 < len(line) and end > line[i + 1][0]:
            end, cut = line[i + 1][0], cut + 1
        if end - start > longest:
            end, shortened = start + longest, shortened + 1
        line[i] = (start, end, pitch)
    _count_warning(warnings, chords, "chord", "reduced to {its} top note{s}")
    _count_warning(warnings, graces, "grace note", "dropped")
    _count_warning(warnings, lengthened, "note", "shorter than a 16th lengthened to a 16th")
    _count_warning(warnings, cut, "overlapping note", "cut where the next note starts")
    _count_warning(warnings, shortened, "note", f"longer than {longest // 4} beats shortened")
    return line


def _articulate(
    line: list[tuple[int, int, int]], grid: _Grid, warnings: list[str]
) -> list[tuple[int, int, int]]:
    """Written lengths from played ones: a note runs to the next onset unless the silence after it
    is a real rest. A melody whose notes mostly join (notation, a legato player) keeps every
    rest as written; one played detached (staccato: a gap after most notes) keeps only silences
    far longer than its usual gap. The last note of a detached melody runs to where the melody
    completes its bar, and one held a little past a bar line (legato) ends on it."""
    gaps = [nxt[0] - end for (_, end, _), nxt in pairwise(line)]
    typical = statistics.median_low(gaps) if gaps else 0
    real_rest = max(3 * typical, typical + 2 * STEPS_PER_BEAT)
    out: list[tuple[int, int, int]] = []
    joined = rests = 0
    for (start, end, pitch), gap in zip(line, gaps, strict=False):
        if gap > 0 and typical > 0 and gap < real_rest:
            end, joined = end + gap, joined + 1
        elif gap > 0:
            rests += 1
        out.append((start, end, pitch))
    start, end, pitch = line[-1]
    out.append((start, _last_end(start, end, grid, detached=typical > 0), pitch))
    if joined:
        kept = f"; {rests} rest{'s' * (rests != 1)} kept" if rests else ""
        plural = "s" if joined != 1 else ""
        warnings.append(f"{joined} note{plural} played short (staccato) read as legato{kept}")
    return out


def _last_end(start: int, end: int, grid: _Grid, *, detached: bool) -> int:
    """Where the last note ends: at a bar line, or where the bars complete a pickup."""
    bar, pickup = grid.steps_per_bar, grid.pickup_steps
    first = start // bar * bar
    ends = sorted({e for k in range(3) for e in (first + k * bar, first + k * bar + pickup)})
    ends = [e for e in ends if e > start]
    if detached:
        written = next(e for e in ends if e >= start + STEPS_PER_BEAT)
        return max(end, written) if end - written > STEPS_PER_BEAT else written
    # Held a little past a bar line proper (not a pickup-balancing end inside a bar): ends on it.
    lines = [e for e in ends if (e - pickup) % bar == 0]
    over = [e for e in lines if e < end <= e + STEPS_PER_BEAT]
    return over[0] if over else end


def _count_warning(warnings: list[str], count: int, noun: str, what: str) -> None:
    if count:
        plural = count > 1
        text = what.format(its="their" if plural else "its", s="s" if plural else "")
        warnings.append(f"{count} {noun}{'s' if plural else ''} {text}")


def _check_length(
    notes: list[tuple[int, int, int]], content: _MidiContent, part: _Part, grid: _Grid
) -> None:
    steps = notes[-1][1]
    if len(notes) > MAX_MELODY_NOTES:
        raise InputError(
            f"the melody has {len(notes)} notes; composer takes at most {MAX_MELODY_NOTES}"
        )
    if steps > MAX_BEATS * STEPS_PER_BEAT:
        raise InputError(f"the melody lasts {steps // 4} beats; composer takes at most {MAX_BEATS}")
    first = part.notes[0][0]
    last = first + steps * content.ppq / STEPS_PER_BEAT
    seconds = _seconds(content.tempos, content.ppq, first, last)
    if seconds > MAX_SECONDS:
        minutes, rest = divmod(round(seconds), 60)
        raise InputError(
            f"the melody lasts {minutes}:{rest:02d}; composer takes at most "
            f"{MAX_SECONDS / 60:g} minutes"
        )
    if steps < MIN_STEPS:
        raise InputError("the melody is shorter than one beat; composer needs at least one beat")


def _seconds(tempos: list[tuple[int, int]], ppq: int, start: float, end: float) -> float:
    """Seconds between two ticks under the file's tempo map."""
    changes = [(0, DEFAULT_TEMPO_US), *tempos]
    total = 0.0
    for i, (tick, tempo) in enumerate(changes):
        until = changes[i + 1][0] if i + 1 < len(changes) else math.inf
        low, high = max(start, tick), min(end, until)
        if high > low:
            total += (high - low) / ppq * tempo / 1e6
    return total


def _tempo(content: _MidiContent, part: _Part, warnings: list[str]) -> float:
    """The tempo in force where the melody starts; later changes are reported and ignored."""
    first = part.notes[0][0]
    last = max(end for _, end, _ in part.notes)
    current = DEFAULT_TEMPO_US
    later: set[float] = set()
    for tick, tempo in content.tempos:
        if tick <= first:
            current = tempo
        elif tick < last:
            later.add(_bpm(tempo))
    bpm = _bpm(current)
    if later - {bpm}:
        warnings.append(f"tempo changes ignored; kept the first, {bpm:g} BPM")
    if not MIN_BPM <= bpm <= MAX_BPM:
        clamped = min(max(bpm, MIN_BPM), MAX_BPM)
        warnings.append(f"tempo {bpm:g} BPM is out of range; using {clamped:g} BPM")
        bpm = clamped
    return bpm


def _bpm(tempo_us: int) -> float:
    return round(60e6 / tempo_us, 1)


# --- octave and key ------------------------------------------------------------------------------


def _place_octave(
    notes: list[tuple[int, int, int]], warnings: list[str]
) -> list[tuple[int, int, int]]:
    """Shift by whole octaves into the soprano range, then fold any note still outside it."""
    pitches = np.array([p for _, _, p in notes])

    def outside(shift: int) -> int:
        moved = pitches + 12 * shift
        return int(np.sum((moved < SOPRANO_LOW) | (moved > SOPRANO_HIGH)))

    shift = min(range(-10, 11), key=lambda s: (outside(s), abs(s)))
    span = f"{pitch_name(SOPRANO_LOW)}–{pitch_name(SOPRANO_HIGH)}"
    if shift:
        octaves = "one octave" if abs(shift) == 1 else f"{abs(shift)} octaves"
        direction = "up" if shift > 0 else "down"
        warnings.append(f"moved {direction} {octaves} into the soprano range ({span})")
    folded = 0
    placed = []
    for start, end, pitch in notes:
        pitch += 12 * shift
        if pitch < SOPRANO_LOW:
            pitch, folded = pitch + 12 * math.ceil((SOPRANO_LOW - pitch) / 12), folded + 1
        elif pitch > SOPRANO_HIGH:
            pitch, folded = pitch - 12 * math.ceil((pitch - SOPRANO_HIGH) / 12), folded + 1
        placed.append((start, end, pitch))
    if folded:
        plural = "s" if folded > 1 else ""
        warnings.append(f"{folded} note{plural} outside {span} moved by an octave to fit")
    return placed


def _key(
    notes: list[tuple[int, int, int]], content: _MidiContent, warnings: list[str]
) -> tuple[int, str]:
    """Tonic pitch class and mode by the Krumhansl-Schmuckler key finder (music21) over the notes
    weighted by length; the file's own key signature breaks near-ties such as a major key and its
    relative minor, and is overruled, with a warning, when the notes clearly say otherwise."""
    fits = key_fits(notes)
    found, best = next(iter(fits.items()))
    stated = _stated_key(content.keys)
    if stated is None or stated == found:
        return found
    if fits.get(stated, -1.0) >= best - KEY_MARGIN:
        return stated
    warnings.append(
        f"the file says {key_name(*stated)} but the notes are in {key_name(*found)}; "
        f"using {key_name(*found)}"
    )
    return found


def _stated_key(keys: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The first key signature as (tonic pitch class, mode), if the file has one."""
    if not keys:
        return None
    text = keys[0][1]
    mode = "minor" if text.endswith("m") else "major"
    letter = text.removesuffix("m")
    base = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}.get(letter[:1])
    if base is None:
        return None
    accidental = {"#": 1, "b": -1}.get(letter[1:2], 0)
    return (base + accidental) % 12, mode


def _to_score(
    notes: list[tuple[int, int, int]],
    grid: _Grid,
    tonic: int,
    mode: str,
    tempo: float,
    name: str,
) -> Score:
    steps = notes[-1][1]
    pitches = np.full((1, steps), REST, dtype=np.int16)
    onsets = np.zeros((1, steps), dtype=bool)
    for start, end, pitch in notes:
        pitches[0, start:end] = pitch
        onsets[0, start] = True
    return Score(
        pitches=pitches,
        onsets=onsets,
        meter=grid.meter,
        tonic=tonic,
        mode=mode,
        pickup_steps=grid.pickup_steps,
        tempo_bpm=tempo,
        name=name,
    )
