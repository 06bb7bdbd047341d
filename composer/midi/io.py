"""Scores to and from multi-track MIDI with pretty_midi: one named track per voice.

What a file carries besides the notes:
- tempo, key signature (tonic and mode) and time signature at time 0;
- a pickup of p steps is written as a first bar in its own meter (p/16, p/8 or p/4) followed by
  the piece's meter where the pickup ends, as notation programs export an anacrusis;
- fermatas as text events "fermata" at their steps, and an "end" text event when the piece ends
  in silence, so the length survives.
Reading works in ticks (not seconds), so any tempo map and resolution lands on the same grid.
"""

from __future__ import annotations

from math import gcd
from pathlib import Path

import numpy as np
import pretty_midi

from composer.constants import REST, STEPS_PER_BEAT
from composer.errors import InputError
from composer.score import Score

RESOLUTION = 480  # ticks per quarter: a 16th is 120 ticks, exact
FOUR_VOICE_NAMES = ("Soprano", "Alto", "Tenor", "Bass")
DEFAULT_PROGRAM = 52  # General MIDI "Choir Aahs", fitting voices named Soprano..Bass
FOUR_VOICE_VELOCITIES = (90, 76, 76, 82)  # the melody a little in front, the bass beneath it
DEFAULT_VELOCITY = 80
FERMATA_TEXT = "fermata"
END_TEXT = "end"


def _default_names(n_voices: int) -> list[str]:
    if n_voices == len(FOUR_VOICE_NAMES):
        return list(FOUR_VOICE_NAMES)
    if n_voices == 1:
        return ["Melody"]
    return [f"Voice {i + 1}" for i in range(n_voices)]


def _per_voice(values, default: list, n_voices: int, what: str) -> list:
    chosen = list(values) if values is not None else default
    if len(chosen) != n_voices:
        raise ValueError(f"{what}: {len(chosen)} given for {n_voices} voices")
    return chosen


def _pickup_meter(steps: int) -> tuple[int, int]:
    """The simplest n/d (d = 4, 8 or 16) that lasts `steps` 16ths."""
    div = gcd(steps, STEPS_PER_BEAT)
    return steps // div, 16 // div


def score_to_midi(
    score: Score,
    *,
    programs: list[int] | tuple[int, ...] | None = None,
    track_names: list[str] | tuple[str, ...] | None = None,
    velocities: list[int] | tuple[int, ...] | None = None,
) -> pretty_midi.PrettyMIDI:
    """A PrettyMIDI with one instrument per voice, plus tempo, meter, pickup, key and fermatas."""
    n = score.n_voices
    names = _per_voice(track_names, _default_names(n), n, "track_names")
    progs = _per_voice(programs, [DEFAULT_PROGRAM] * n, n, "programs")
    default_vel = list(FOUR_VOICE_VELOCITIES) if n == 4 else [DEFAULT_VELOCITY] * n
    vels = _per_voice(velocities, default_vel, n, "velocities")
    midi = pretty_midi.PrettyMIDI(resolution=RESOLUTION, initial_tempo=float(score.tempo_bpm))
    step = 60.0 / score.tempo_bpm / STEPS_PER_BEAT
    for v in range(n):
        inst = pretty_midi.Instrument(program=int(progs[v]), name=str(names[v]))
        for start, end, pitch in score.notes(v):
            inst.notes.append(pretty_midi.Note(int(vels[v]), pitch, start * step, end * step))
        midi.instruments.append(inst)
    _write_meter(midi, score, step)
    mode_offset = 12 if score.mode == "minor" else 0
    midi.key_signature_changes.append(pretty_midi.KeySignature(score.tonic % 12 + mode_offset, 0.0))
    if score.fermatas is not None:
        for t in np.flatnonzero(score.fermatas):
            midi.text_events.append(pretty_midi.Text(FERMATA_TEXT, float(t) * step))
    if score.n_steps and not (score.pitches[:, -1] != REST).any():
        midi.text_events.append(pretty_midi.Text(END_TEXT, score.n_steps * step))
    return midi


def _write_meter(midi: pretty_midi.PrettyMIDI, score: Score, step: float) -> None:
    num, den = score.meter
    pickup = score.pickup_steps % score.steps_per_bar
    if pickup:
        p_num, p_den = _pickup_meter(pickup)
        midi.time_signature_changes.append(pretty_midi.TimeSignature(p_num, p_den, 0.0))
    midi.time_signature_changes.append(pretty_midi.TimeSignature(num, den, pickup * step))


def write_midi(score: Score, path: str | Path, **options) -> Path:
    """Write `score_to_midi(score, **options)` to `path`; returns the path."""
    out = Path(path)
    score_to_midi(score, **options).write(str(out))
    return out


def _load(midi: pretty_midi.PrettyMIDI | str | Path) -> tuple[pretty_midi.PrettyMIDI, str]:
    if isinstance(midi, pretty_midi.PrettyMIDI):
        return midi, ""
    path = Path(midi)
    try:
        return pretty_midi.PrettyMIDI(str(path)), path.stem
    except FileNotFoundError as exc:
        raise InputError(f"no such MIDI file: {path}") from exc
    except Exception as exc:  # mido raises many types on corrupt files
        raise InputError(f"not a readable MIDI file: {path} ({exc})") from exc


def _ticks_per_step(midi: pretty_midi.PrettyMIDI) -> float:
    return midi.resolution / STEPS_PER_BEAT


def _step(midi: pretty_midi.PrettyMIDI, seconds: float) -> int:
    return round(midi.time_to_tick(seconds) / _ticks_per_step(midi))


def _read_meter(midi: pretty_midi.PrettyMIDI) -> tuple[tuple[int, int], int]:
    """(meter, pickup steps): a first bar shorter than the next meter's bar is a pickup."""
    changes = sorted(midi.time_signature_changes, key=lambda ts: ts.time)
    if not changes:
        return (4, 4), 0
    first = changes[0]
    if len(changes) >= 2 and _step(midi, first.time) == 0:
        span = _step(midi, changes[1].time)
        first_bar = first.numerator * 16 // first.denominator
        next_bar = changes[1].numerator * 16 // changes[1].denominator
        if span == first_bar and span < next_bar:
            return (changes[1].numerator, changes[1].denominator), span
    return (first.numerator, first.denominator), 0


def _voice(midi: pretty_midi.PrettyMIDI, inst, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """One track on the grid; where notes overlap, the higher (or later equal) pitch sounds."""
    pitches = np.full(n_steps, REST, dtype=np.int16)
    onsets = np.zeros(n_steps, dtype=bool)
    for note in sorted(inst.notes, key=lambda n: (n.start, n.pitch)):
        start = _step(midi, note.start)
        end = max(_step(midi, note.end), start + 1)
        region = pitches[start:end]
        wins = (region == REST) | (note.pitch >= region)
        region[wins] = note.pitch
        onsets[start:end][wins] = False
        onsets[start] = bool(wins[0])
    return pitches, onsets


def midi_to_score(midi: pretty_midi.PrettyMIDI | str | Path) -> Score:
    """A Score from a multi-track MIDI (one non-drum track per voice, in file order)."""
    midi, name = _load(midi)
    tracks = [inst for inst in midi.instruments if not inst.is_drum and inst.notes]
    if not tracks:
        raise InputError("the MIDI file has no notes outside the drum track")
    texts = [(_step(midi, t.time), t.text.strip().lower()) for t in midi.text_events]
    last_note = max(_step(midi, n.end) for inst in tracks for n in inst.notes)
    n_steps = max([last_note] + [t for t, text in texts if text == END_TEXT])
    rows = [_voice(midi, inst, n_steps) for inst in tracks]
    meter, pickup = _read_meter(midi)
    tonic, mode = 0, "major"
    if midi.key_signature_changes:
        key = sorted(midi.key_signature_changes, key=lambda k: k.time)[0].key_number
        tonic, mode = key % 12, "minor" if key >= 12 else "major"
    fermatas = np.zeros(n_steps, dtype=bool)
    fermatas[[t for t, text in texts if text == FERMATA_TEXT and t < n_steps]] = True
    _, tempi = midi.get_tempo_changes()
    return Score(
        pitches=np.stack([r[0] for r in rows]),
        onsets=np.stack([r[1] for r in rows]),
        meter=meter,
        tonic=int(tonic),
        mode=mode,
        pickup_steps=pickup,
        tempo_bpm=round(float(tempi[0]), 3) if len(tempi) else 120.0,
        name=name,
        fermatas=fermatas,
    )
