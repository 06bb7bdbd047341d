"""Build the chorale dataset (`composer prepare`): the split's music21 chorales on the 16th grid.

Only the corpus names listed in `data/chorale_split.json` are ever parsed. Each kept piece is
written to one compressed `.npz` (see `composer.data.chorales` for the layout and the loader).

Choices, all counted in the report:
- Only 4-part pieces are kept; a listed chorale with other parts (trumpets, oboes, continuo) is
  left out. Voices are taken by part name (Soprano, Alto, Tenor, Bass), else by mean pitch.
- A piece whose bars do not all fit one meter and one pickup (a meter change, or an incomplete
  bar mid-piece that is not made whole by the next one) is left out, so every kept piece's bar
  lines come out right from `meter` and `pickup_steps`.
- The grid is point-sampled: step t holds the note sounding at quarter-length t/4. A note that
  starts off the grid begins at the next step; a note shorter than a 16th that covers no step
  start (a 32nd ornament, a grace note) is dropped. Tied notes are one held note; a repeated
  pitch is a new onset. Chords (none in the chorales) are reduced to their top note.
- A piece with a voice outside MIDI 36–81 is transposed as a whole by the fewest semitones that
  bring every voice inside (the harmony stays intact; the key moves with it), and left out if no
  shift fits.
- Key: music21's analysis (Krumhansl–Schmuckler), preferring among its top interpretations the
  first whose tonic is the final bass note, since a chorale closes on its tonic.
- Fermatas: True at the last step of every note (or rest) that carries one, in any voice.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

import music21
import numpy as np

from composer.constants import HIGHEST_PITCH, LOWEST_PITCH, N_VOICES, REST, STEPS_PER_BEAT

DATA_DIR = Path(__file__).resolve().parent
SPLIT_PATH = DATA_DIR / "chorale_split.json"
DATASET_PATH = DATA_DIR / "chorales.npz"
SPLITS = ("train", "valid")
VOICE_NAMES = ("soprano", "alto", "tenor", "bass")
KEY_CANDIDATES = 4  # how many of the analysis' interpretations may be matched to the final bass


class Skip(Exception):
    """A listed chorale that cannot be kept; the message is the reason shown in the report."""


@dataclass
class Piece:
    name: str
    pitches: np.ndarray  # int16 (4, steps)
    onsets: np.ndarray  # bool (4, steps)
    fermatas: np.ndarray  # bool (steps,)
    meter: tuple[int, int]
    pickup_steps: int
    tonic: int
    mode: str
    shift: int  # semitones the whole piece was transposed to fit 36–81


@dataclass
class PrepareReport:
    out: Path
    pieces: dict[str, int] = field(default_factory=dict)
    steps: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)  # corpus name -> reason
    transposed: dict[str, int] = field(default_factory=dict)  # corpus name -> semitones
    counts: Counter = field(default_factory=Counter)  # grid events: short notes, off-grid, ...
    meters: Counter = field(default_factory=Counter)
    music21_version: str = music21.__version__
    size_bytes: int = 0

    def summary(self) -> str:
        lines = [
            f"wrote {self.out} ({self.size_bytes / 1024:.0f} KB, music21 {self.music21_version})"
        ]
        for split in SPLITS:
            lines.append(
                f"  {split}: {self.pieces.get(split, 0)} pieces, {self.steps.get(split, 0)} steps"
            )
        lines.append("  meters: " + ", ".join(f"{m} x{n}" for m, n in sorted(self.meters.items())))
        lines.append(f"  left out: {len(self.left_out)}")
        for name, reason in sorted(self.left_out.items()):
            lines.append(f"    {name}: {reason}")
        lines.append(f"  transposed whole to fit MIDI 36-81: {len(self.transposed)}")
        for name, shift in sorted(self.transposed.items()):
            lines.append(f"    {name}: {shift:+d} semitones")
        labels = {
            "short_notes_dropped": "notes shorter than a 16th dropped (no step start)",
            "grace_notes_dropped": "grace notes dropped",
            "offgrid_starts_moved": "off-grid note starts moved to the next step",
            "chords_reduced": "chords reduced to the top note",
            "voices_by_pitch": "pieces with unnamed parts, voices ordered by mean pitch",
        }
        for key, label in labels.items():
            lines.append(f"  {label}: {self.counts.get(key, 0)}")
        return "\n".join(lines)


def read_split(path: Path = SPLIT_PATH) -> dict[str, list[str]]:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return {split: list(data[split]) for split in SPLITS}


def _ordered_parts(score: music21.stream.Score, counts: Counter) -> list[music21.stream.Part]:
    parts = list(score.parts)
    if len(parts) != N_VOICES:
        raise Skip(f"{len(parts)} parts, not 4")
    by_name: dict[str, music21.stream.Part] = {}
    for part in parts:
        label = (part.partName or part.id or "").strip().lower()
        for voice in VOICE_NAMES:
            if label.startswith(voice):
                by_name[voice] = part
    if len(by_name) == N_VOICES:
        return [by_name[v] for v in VOICE_NAMES]
    # Unnamed parts (humdrum spines): highest sounding part first.
    counts["voices_by_pitch"] += 1
    return sorted(parts, key=lambda part: -float(np.mean([p.midi for p in part.pitches] or [0])))


def _meter_and_pickup(part: music21.stream.Part) -> tuple[tuple[int, int], int]:
    signatures = {ts.ratioString for ts in part.recurse().getElementsByClass("TimeSignature")}
    if len(signatures) != 1:
        raise Skip(f"meter changes ({', '.join(sorted(signatures)) or 'none'})")
    ts = part.recurse().getElementsByClass("TimeSignature").first()
    measures = list(part.getElementsByClass("Measure"))
    bar = Fraction(ts.barDuration.quarterLength)
    first = Fraction(measures[0].duration.quarterLength)
    pickup = first if first < bar else Fraction(0)
    for m in measures[1:]:
        full = Fraction(m.duration.quarterLength) == bar
        if full and (Fraction(m.offset) - pickup) % bar != 0:
            raise Skip(f"irregular bars (bar {m.number} off the {ts.ratioString} grid)")
    return (ts.numerator, ts.denominator), _to_steps(pickup)


def _to_steps(quarters: Fraction) -> int:
    steps = quarters * STEPS_PER_BEAT
    if steps.denominator != 1:
        raise Skip(f"pickup of {quarters} quarters is off the 16th grid")
    return int(steps)


def _first_step(quarters: Fraction) -> int:
    """The first step whose start lies at or after `quarters` (point sampling)."""
    return math.ceil(quarters * STEPS_PER_BEAT)


def _voice_grid(
    part: music21.stream.Part, n_steps: int, counts: Counter
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Fraction]]:
    """Pitch, onset and note-index rows of one voice, plus the offsets of its fermatas."""
    pitches = np.full(n_steps, REST, dtype=np.int16)
    onsets = np.zeros(n_steps, dtype=bool)
    note_ids = np.full(n_steps, -1, dtype=np.int32)
    flat = part.flatten()
    fermatas = [
        Fraction(el.offset)
        for el in flat.notesAndRests
        if any(isinstance(e, music21.expressions.Fermata) for e in el.expressions)
    ]
    for index, el in enumerate(flat.stripTies().notes):
        if el.duration.isGrace:
            counts["grace_notes_dropped"] += 1
            continue
        start, end = Fraction(el.offset), Fraction(el.offset) + Fraction(el.quarterLength)
        first, stop = _first_step(start), min(_first_step(end), n_steps)
        if first >= stop:
            counts["short_notes_dropped"] += 1
            continue
        if first != start * STEPS_PER_BEAT:
            counts["offgrid_starts_moved"] += 1
        if el.isChord:
            counts["chords_reduced"] += 1
            pitch = max(p.midi for p in el.pitches)
        else:
            pitch = el.pitch.midi
        pitches[first:stop] = pitch
        onsets[first] = True
        note_ids[first:stop] = index
    return pitches, onsets, note_ids, fermatas


def _fermata_steps(note_ids: np.ndarray, offsets: list[Fraction], n_steps: int) -> list[int]:
    """The last step of the note (or rest) sounding at each fermata's offset."""
    steps = []
    for offset in offsets:
        t = min(int(offset * STEPS_PER_BEAT), n_steps - 1)
        while t + 1 < n_steps and note_ids[t + 1] == note_ids[t]:
            t += 1
        steps.append(t)
    return steps


def _fit_range(pitches: np.ndarray) -> int:
    """Semitones that bring every voice inside 36–81 (0 when already inside)."""
    sounding = pitches[pitches != REST]
    lo, hi = int(sounding.min()), int(sounding.max())
    if lo >= LOWEST_PITCH and hi <= HIGHEST_PITCH:
        return 0
    if hi - lo > HIGHEST_PITCH - LOWEST_PITCH:
        raise Skip(f"span {lo}-{hi} wider than MIDI 36-81")
    return LOWEST_PITCH - lo if lo < LOWEST_PITCH else HIGHEST_PITCH - hi


def _key(score: music21.stream.Score, bass: music21.stream.Part) -> tuple[int, str]:
    analysed = score.analyze("key")
    candidates = [analysed, *analysed.alternateInterpretations[: KEY_CANDIDATES - 1]]
    final = bass.flatten().notes.last()
    if final is not None:
        final_pc = min(p.midi for p in final.pitches) % 12  # lowest, were it a chord
        for key in candidates:
            if key.tonic.pitchClass == final_pc and key.mode in ("major", "minor"):
                return key.tonic.pitchClass, key.mode
    mode = analysed.mode if analysed.mode in ("major", "minor") else "major"
    return analysed.tonic.pitchClass, mode


def score_to_piece(name: str, score: music21.stream.Score, counts: Counter) -> Piece:
    """One parsed chorale on the grid; raises Skip with the reason when it cannot be kept."""
    parts = _ordered_parts(score, counts)
    meter, pickup = _meter_and_pickup(parts[0])
    n_steps = _first_step(max(Fraction(p.highestTime) for p in parts))
    rows = [_voice_grid(p, n_steps, counts) for p in parts]
    pitches = np.stack([r[0] for r in rows])
    onsets = np.stack([r[1] for r in rows])
    if not (pitches != REST).any():
        raise Skip("no notes")
    fermatas = np.zeros(n_steps, dtype=bool)
    for _, _, note_ids, marks in rows:
        fermatas[_fermata_steps(note_ids, marks, n_steps)] = True
    shift = _fit_range(pitches)
    pitches = np.where(pitches == REST, REST, pitches + shift).astype(np.int16)
    tonic, mode = _key(score, parts[-1])
    return Piece(name, pitches, onsets, fermatas, meter, pickup, (tonic + shift) % 12, mode, shift)


def _write(pieces: list[Piece], splits: list[str], out: Path) -> None:
    offsets = np.cumsum([0] + [p.pitches.shape[1] for p in pieces]).astype(np.int64)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:  # a file handle keeps numpy from appending ".npz" to the name
        _savez(fh, pieces, splits, offsets)


def _savez(fh: BinaryIO, pieces: list[Piece], splits: list[str], offsets: np.ndarray) -> None:
    np.savez_compressed(
        fh,
        names=np.array([p.name for p in pieces], dtype=str),
        splits=np.array(splits, dtype=str),
        offsets=offsets,
        # int8 holds 36–81 and REST, and compresses far better than int16.
        pitches=np.concatenate([p.pitches for p in pieces], axis=1).astype(np.int8),
        onsets=np.concatenate([p.onsets for p in pieces], axis=1),
        fermatas=np.concatenate([p.fermatas for p in pieces]),
        meters=np.array([p.meter for p in pieces], dtype=np.int16).reshape(-1, 2),
        pickups=np.array([p.pickup_steps for p in pieces], dtype=np.int16),
        tonics=np.array([p.tonic for p in pieces], dtype=np.int8),
        modes=np.array([p.mode for p in pieces], dtype=str),
        shifts=np.array([p.shift for p in pieces], dtype=np.int8),
        source=np.array(f"music21 {music21.__version__} corpus, {SPLIT_PATH.name}"),
    )


def prepare_dataset(
    out: str | Path | None = None, *, split_path: str | Path | None = None
) -> PrepareReport:
    """Parse the split's chorales, put them on the grid and write the .npz; returns the report."""
    out_path = Path(out) if out is not None else DATASET_PATH
    split = read_split(Path(split_path) if split_path is not None else SPLIT_PATH)
    report = PrepareReport(out=out_path)
    pieces: list[Piece] = []
    labels: list[str] = []
    for split_name, names in split.items():
        for name in names:
            try:
                piece = score_to_piece(name, music21.corpus.parse(name), report.counts)
            except Skip as why:
                report.left_out[name] = str(why)
                continue
            pieces.append(piece)
            labels.append(split_name)
            report.pieces[split_name] = report.pieces.get(split_name, 0) + 1
            report.steps[split_name] = report.steps.get(split_name, 0) + piece.pitches.shape[1]
            report.meters[f"{piece.meter[0]}/{piece.meter[1]}"] += 1
            if piece.shift:
                report.transposed[name] = piece.shift
    _write(pieces, labels, out_path)
    report.size_bytes = out_path.stat().st_size
    return report
