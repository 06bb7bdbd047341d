"""The finished piece as a MIDI performance: instruments by style, dynamics and articulation.

Each style is a list of instruments (General MIDI programs), each playing some of the four voices
in some sections, so the orchestration changes with the form; each instrument's voice is a track
and channel of its own ("Bass - Cello"), so a player can solo one voice:
- baroque: strings carry the four voices throughout; a church organ sustains the harmony in the
  statement and the cadence; a harpsichord continuo (detached) joins in the variations.
- space: the same counterpoint with a celesta on the melody, a choir on the lower voices, a warm
  pad holding the harmony and a sub bass an octave below the bass.
What keeps it from sounding mechanical:
- phrase dynamics: each section swells to about two thirds of its length and relaxes, the
  variations a step louder than the statement (terraced, as in Baroque music), and sustained
  instruments follow the same arch with the expression controller (CC11) while notes are held;
- beat accents: the downbeat strongest, then the other strong beats, off-beats lightest;
- articulation per instrument: legato (notes run into the next) or detached (a share of the
  written length), a breath before repeated notes;
- small seeded humanisation of velocity and timing (a few milliseconds), never on the first note;
- the tempo eases into the final chord (composer.compose.form's ritardando), written as tempo
  changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pretty_midi

from composer.compose.form import Section, step_times
from composer.constants import STEPS_PER_BEAT
from composer.midi.io import FOUR_VOICE_NAMES
from composer.score import Score

RESOLUTION = 480
ALL = ("statement", "variation", "cadence")


@dataclass(frozen=True)
class Part:
    name: str
    program: int  # General MIDI, 0-based
    voices: tuple[int, ...]
    level: int  # base velocity
    legato: bool  # notes run into the next; otherwise detached
    length: float = 1.0  # share of the written length a detached note sounds
    sections: tuple[str, ...] = ALL
    octave: int = 0  # semitones added (the sub bass: -12)
    pan: int = 64
    sustained: bool = False  # follows the phrase arch with CC11 while notes are held
    timing_ms: float = 6.0  # humanisation of onsets, standard deviation


STYLE_PARTS: dict[str, tuple[Part, ...]] = {
    "baroque": (
        Part("Violin I", 40, (0,), 84, True, pan=44, sustained=True),
        Part("Violin II", 40, (1,), 72, True, pan=56, sustained=True),
        Part("Viola", 41, (2,), 70, True, pan=74, sustained=True),
        Part("Cello", 42, (3,), 78, True, pan=86, sustained=True),
        Part(
            "Church Organ",
            19,
            (1, 2, 3),
            46,
            True,
            sections=("statement", "cadence"),
            sustained=True,
            timing_ms=0.0,
        ),
        Part("Harpsichord", 6, (1, 2, 3), 70, False, 0.7, ("variation",), pan=70, timing_ms=3.0),
    ),
    "space": (
        Part("Celesta", 8, (0,), 92, False, 0.9, pan=60, timing_ms=4.0),
        Part("Choir", 52, (1, 2, 3), 70, True, pan=68, sustained=True),
        Part("Warm Pad", 89, (0, 1, 2), 52, True, pan=64, sustained=True, timing_ms=0.0),
        Part("Sub Bass", 38, (3,), 76, True, octave=-12, sustained=True, timing_ms=0.0),
    ),
}
REVERB = {"baroque": 70, "space": 110}  # CC91 send
CHORUS = {"baroque": 0, "space": 50}  # CC93 send
SECTION_LIFT = {"statement": 0, "variation": 8, "cadence": 6}


def parts_for(style: str) -> tuple[Part, ...]:
    if style not in STYLE_PARTS:
        raise ValueError(f"unknown style {style!r}; styles: {', '.join(STYLE_PARTS)}")
    return STYLE_PARTS[style]


def track_name(part: Part, voice: int) -> str:
    """A track's name: the voice, then the instrument ("Alto - Church Organ"; ASCII, as MIDI
    files keep their names), so a player can solo or mute one voice of an instrument."""
    return f"{FOUR_VOICE_NAMES[voice]} - {part.name}"


def _section_at(sections: list[Section], n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Per step: the section's kind index into ALL, and the position 0..1 within the section."""
    kind = np.zeros(n_steps, dtype=np.int64)
    position = np.zeros(n_steps)
    for section in sections:
        span = max(1, section.end - section.start)
        kind[section.start : section.end] = ALL.index(section.kind)
        position[section.start : section.end] = np.arange(span) / span
    return kind, position


def phrase_arch(position: np.ndarray) -> np.ndarray:
    """A swell peaking at two thirds of the phrase: 0 at the edges, 1 at the peak."""
    rising = np.clip(position / 0.66, 0.0, 1.0)
    falling = np.clip((1.0 - position) / 0.34, 0.0, 1.0)
    return np.sin(0.5 * np.pi * np.minimum(rising, falling))


def beat_accent(score: Score) -> np.ndarray:
    """Velocity offsets per step: downbeat +6, other strong beats +3, off-beat 16ths −4."""
    steps = np.arange(score.n_steps)
    in_bar = (steps - score.pickup_steps) % score.steps_per_bar
    accent = np.where(steps % STEPS_PER_BEAT == 0, 0.0, -4.0)
    beats = score.steps_per_bar // STEPS_PER_BEAT
    strong = (STEPS_PER_BEAT * beats // 2) if beats % 2 == 0 else -1
    accent[in_bar == 0] = 6.0
    accent[in_bar == strong] = 3.0
    return accent


def perform(
    score: Score,
    sections: list[Section],
    *,
    style: str = "baroque",
    tempo_curve: np.ndarray | None = None,
    seed: int = 0,
) -> pretty_midi.PrettyMIDI:
    """The four-voice score played by the style's instruments: one named track (and channel)
    for each instrument and voice it plays, so each voice can be heard alone."""
    curve = tempo_curve if tempo_curve is not None else np.full(score.n_steps, score.tempo_bpm)
    times = step_times(curve)
    rng = np.random.default_rng(seed)
    kind, position = _section_at(sections, score.n_steps)
    arch = phrase_arch(position)
    lift = np.array([SECTION_LIFT[k] for k in ALL])[kind]
    accent = beat_accent(score)
    midi = pretty_midi.PrettyMIDI(resolution=RESOLUTION, initial_tempo=float(curve[0]))
    _write_tempo(midi, curve)
    num, den = score.meter
    pickup = score.pickup_steps % score.steps_per_bar
    midi.time_signature_changes.append(pretty_midi.TimeSignature(num, den, float(times[pickup])))
    if pickup:
        midi.time_signature_changes.insert(0, pretty_midi.TimeSignature(pickup, 16, 0.0))
    mode_offset = 12 if score.mode == "minor" else 0
    midi.key_signature_changes.append(pretty_midi.KeySignature(score.tonic % 12 + mode_offset, 0))
    for part in parts_for(style):
        playing = {ALL.index(k) for k in part.sections}
        notes: list[tuple[int, pretty_midi.Note]] = []  # (voice, note)
        for voice in part.voices:
            if voice >= score.n_voices:
                continue
            voice_notes = score.notes(voice)
            for i, (start, end, pitch) in enumerate(voice_notes):
                if kind[start] not in playing:
                    continue
                following = voice_notes[i + 1] if i + 1 < len(voice_notes) else None
                velocity = part.level + 14 * arch[start] + lift[start] + accent[start]
                velocity += 6 if voice == 0 else 0
                velocity += rng.normal(0, 3)
                onset = times[start] + (rng.normal(0, part.timing_ms / 1000) if start else 0.0)
                release = _release(part, times, start, end, pitch, following)
                note = pretty_midi.Note(
                    int(np.clip(round(velocity), 20, 127)),
                    pitch + part.octave,
                    max(0.0, float(onset)),
                    float(max(release, onset + 0.05)),
                )
                notes.append((voice, note))
        kept = _without_clashes(notes)
        for voice in part.voices:
            if voice >= score.n_voices:
                continue
            inst = pretty_midi.Instrument(program=part.program, name=track_name(part, voice))
            inst.notes = [note for v, note in kept if v == voice]
            _controls(inst, part, style, times, arch, kind, playing)
            midi.instruments.append(inst)
    return midi


def _release(
    part: Part,
    times: np.ndarray,
    start: int,
    end: int,
    pitch: int,
    following: tuple[int, int, int] | None,
) -> float:
    """When a note stops: legato runs 30 ms into a different next note and breathes 40 ms before
    the same pitch; detached sounds `length` of the written time."""
    written = times[end] - times[start]
    if not part.legato:
        return float(times[start] + max(0.06, part.length * written))
    joined = following is not None and following[0] == end
    if joined and following[2] != pitch:
        return float(times[end] + 0.03)
    return float(times[end] - (0.04 if joined else 0.01))


def _without_clashes(
    notes: list[tuple[int, pretty_midi.Note]],
) -> list[tuple[int, pretty_midi.Note]]:
    """One instrument sounds a pitch once, as one channel would: where two of its voices meet on
    a pitch, the earlier note ends as the later begins, and a second note struck at the same
    moment is dropped (the louder one's voice keeps it). Notes stay tagged with their voice."""
    notes.sort(key=lambda vn: (vn[1].pitch, vn[1].start, -vn[1].velocity))
    out: list[tuple[int, pretty_midi.Note]] = []
    for voice, note in notes:
        last = out[-1][1] if out else None
        if last is not None and last.pitch == note.pitch and note.start < last.end:
            if note.start - last.start < 0.03:
                last.end = max(last.end, note.end)
                continue
            last.end = note.start - 0.005
        out.append((voice, note))
    out.sort(key=lambda vn: (vn[1].start, vn[1].pitch))
    return out


def _controls(
    inst: pretty_midi.Instrument,
    part: Part,
    style: str,
    times: np.ndarray,
    arch: np.ndarray,
    kind: np.ndarray,
    playing: set[int],
) -> None:
    """Pan, reverb and chorus sends at the start; for sustained parts CC11 once a beat along the
    phrase arch, so a held chord swells and relaxes."""
    cc = pretty_midi.ControlChange
    inst.control_changes += [
        cc(10, part.pan, 0.0),
        cc(91, REVERB[style], 0.0),
        cc(93, CHORUS[style], 0.0),
        cc(11, 100, 0.0),
    ]
    if not part.sustained:
        return
    for step in range(0, len(arch), STEPS_PER_BEAT):
        if kind[step] in playing:
            value = round(84 + 40 * float(arch[step]))
            inst.control_changes.append(cc(11, min(127, value), float(times[step])))


def _write_tempo(midi: pretty_midi.PrettyMIDI, curve: np.ndarray) -> None:
    """Tempo changes wherever the per-step tempo changes (the closing ritardando), once a beat."""
    scales = []
    for step in range(0, len(curve), STEPS_PER_BEAT):
        bpm = float(curve[step])
        if not scales or abs(60.0 / (bpm * RESOLUTION) - scales[-1][1]) > 1e-9:
            scales.append((step * RESOLUTION // STEPS_PER_BEAT, 60.0 / (bpm * RESOLUTION)))
    # pretty_midi keeps its tempo map as (tick, seconds per tick); it writes one tempo event each.
    midi._tick_scales = scales
    midi._update_tick_to_time(len(curve) * RESOLUTION // STEPS_PER_BEAT + RESOLUTION)
