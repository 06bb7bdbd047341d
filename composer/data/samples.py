"""The sample melodies users can pick instead of uploading a MIDI file.

Each tune is written bar by bar as `pitch/duration` tokens (duration in 16ths, `r` for a rest, a
trailing `-` ties a note to the next one of the same pitch). A first bar shorter than the meter's is
the pickup. `write_sample_melodies()` turns them into the MIDI files in fixtures/melodies/, which
are committed; run `python -m composer.data.samples` after changing a tune.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pretty_midi

from composer.constants import STEPS_PER_BEAT

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "melodies"
RESOLUTION = 480  # MIDI ticks per quarter note in the written files

NOTE_OFFSETS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


@dataclass(frozen=True)
class Tune:
    slug: str
    title: str
    key: str  # as pretty_midi names keys: "G major", "A minor", "Db major"
    meter: tuple[int, int]
    tempo_bpm: float
    bars: str  # bar by bar, "|" between bars

    @property
    def steps_per_bar(self) -> int:
        return self.meter[0] * 4 * STEPS_PER_BEAT // self.meter[1]

    @cached_property
    def notes(self) -> list[tuple[int | None, int]]:
        """(MIDI pitch or None for a rest, duration in 16ths), ties merged."""
        notes: list[tuple[int | None, int]] = []
        tied = False
        for bar in self.bars.split("|"):
            for token in bar.split():
                tie = token.endswith("-")
                name, steps = token.rstrip("-").split("/")
                pitch = None if name == "r" else parse_pitch(name)
                if tied and notes and notes[-1][0] == pitch:
                    notes[-1] = (pitch, notes[-1][1] + int(steps))
                else:
                    notes.append((pitch, int(steps)))
                tied = tie
        return notes

    @property
    def pickup_steps(self) -> int:
        first = self._bar_lengths()[0]
        return first if first < self.steps_per_bar else 0

    @property
    def n_notes(self) -> int:
        return sum(1 for pitch, _ in self.notes if pitch is not None)

    def check(self) -> None:
        """Every bar but the pickup and the last must be full: catches typing slips in a tune."""
        lengths = self._bar_lengths()
        for number, length in enumerate(lengths[1:-1], start=2):
            if length != self.steps_per_bar:
                raise ValueError(f"{self.slug}: bar {number} holds {length} steps")
        if lengths[-1] > self.steps_per_bar or lengths[0] > self.steps_per_bar:
            raise ValueError(f"{self.slug}: the first or last bar is too long")

    def _bar_lengths(self) -> list[int]:
        return [
            sum(int(token.rstrip("-").split("/")[1]) for token in bar.split())
            for bar in self.bars.split("|")
        ]


@dataclass(frozen=True)
class SampleMelody:
    slug: str
    title: str
    path: Path


def parse_pitch(name: str) -> int:
    """MIDI pitch of a name such as "C4" (60), "F#5" or "Bb3"."""
    letter, rest = name[0], name[1:]
    accidental = {"#": 1, "b": -1}.get(rest[:1], 0)
    octave = int(rest[1:] if accidental else rest)
    return 12 * (octave + 1) + NOTE_OFFSETS[letter] + accidental


TUNES: tuple[Tune, ...] = (
    Tune(
        slug="twinkle-twinkle",
        title="Twinkle Twinkle Little Star",
        key="C major",
        meter=(4, 4),
        tempo_bpm=100,
        bars="""
        C4/4 C4/4 G4/4 G4/4 | A4/4 A4/4 G4/8 | F4/4 F4/4 E4/4 E4/4 | D4/4 D4/4 C4/8 |
        G4/4 G4/4 F4/4 F4/4 | E4/4 E4/4 D4/8 | G4/4 G4/4 F4/4 F4/4 | E4/4 E4/4 D4/8 |
        C4/4 C4/4 G4/4 G4/4 | A4/4 A4/4 G4/8 | F4/4 F4/4 E4/4 E4/4 | D4/4 D4/4 C4/8
        """,
    ),
    Tune(
        slug="ode-to-joy",
        title="Ode to Joy",
        key="D major",
        meter=(4, 4),
        tempo_bpm=108,
        bars="""
        F#5/4 F#5/4 G5/4 A5/4 | A5/4 G5/4 F#5/4 E5/4 | D5/4 D5/4 E5/4 F#5/4 | F#5/6 E5/2 E5/8 |
        F#5/4 F#5/4 G5/4 A5/4 | A5/4 G5/4 F#5/4 E5/4 | D5/4 D5/4 E5/4 F#5/4 | E5/6 D5/2 D5/8 |
        E5/4 E5/4 F#5/4 D5/4 | E5/4 F#5/2 G5/2 F#5/4 D5/4 | E5/4 F#5/2 G5/2 F#5/4 E5/4 |
        D5/4 E5/4 A4/8 |
        F#5/4 F#5/4 G5/4 A5/4 | A5/4 G5/4 F#5/4 E5/4 | D5/4 D5/4 E5/4 F#5/4 | E5/6 D5/2 D5/8
        """,
    ),
    Tune(
        slug="new-world-largo",
        title="New World Symphony (Largo)",
        key="Db major",
        meter=(4, 4),
        tempo_bpm=60,
        bars="""
        F4/6 Ab4/2 Ab4/8 | F4/6 Eb4/2 Db4/8 | Eb4/4 F4/4 Ab4/4 F4/4 | Eb4/16 |
        F4/6 Ab4/2 Ab4/8 | F4/6 Eb4/2 Db4/8 | Eb4/4 F4/4 Eb4/4 Db4/4 | Db4/16
        """,
    ),
    Tune(
        slug="deck-the-halls",
        title="Deck the Halls",
        key="F major",
        meter=(4, 4),
        tempo_bpm=112,
        bars="""
        C5/6 Bb4/2 A4/4 G4/4 | F4/4 G4/4 A4/4 F4/4 | G4/2 A4/2 Bb4/2 G4/2 A4/6 G4/2 |
        F4/4 E4/4 F4/8 |
        C5/6 Bb4/2 A4/4 G4/4 | F4/4 G4/4 A4/4 F4/4 | G4/2 A4/2 Bb4/2 G4/2 A4/6 G4/2 |
        F4/4 E4/4 F4/8 |
        G4/6 A4/2 Bb4/4 G4/4 | A4/6 Bb4/2 C5/4 G4/4 | A4/2 B4/2 C5/4 D5/2 E5/2 F5/4 |
        E5/4 D5/4 C5/8 |
        C5/6 Bb4/2 A4/4 G4/4 | F4/4 G4/4 A4/4 F4/4 | Bb4/2 Bb4/2 Bb4/2 Bb4/2 A4/6 G4/2 |
        F4/4 E4/4 F4/8
        """,
    ),
    Tune(
        slug="we-wish-you-a-merry-christmas",
        title="We Wish You a Merry Christmas",
        key="G major",
        meter=(3, 4),
        tempo_bpm=120,
        bars="""
        D4/4 | G4/4 G4/2 A4/2 G4/2 F#4/2 | E4/4 C4/4 E4/4 | A4/4 A4/2 B4/2 A4/2 G4/2 |
        F#4/4 D4/4 D4/4 | B4/4 B4/2 C5/2 B4/2 A4/2 | G4/4 E4/4 D4/2 D4/2 | E4/4 A4/4 F#4/4 |
        G4/8
        """,
    ),
    Tune(
        slug="amazing-grace",
        title="Amazing Grace",
        key="G major",
        meter=(3, 4),
        tempo_bpm=80,
        bars="""
        D4/4 | G4/8 B4/2 G4/2 | B4/8 A4/4 | G4/8 E4/4 | D4/8 D4/4 | G4/8 B4/2 G4/2 | B4/8 A4/4 |
        D5/12- | D5/8 B4/4 |
        D5/8 B4/2 G4/2 | B4/8 A4/4 | G4/8 E4/4 | D4/8 D4/4 | G4/8 B4/2 G4/2 | B4/8 A4/4 |
        G4/12- | G4/8
        """,
    ),
    Tune(
        slug="korobeiniki",
        title="Korobeiniki",
        key="A minor",
        meter=(4, 4),
        tempo_bpm=132,
        bars="""
        E5/4 B4/2 C5/2 D5/4 C5/2 B4/2 | A4/4 A4/2 C5/2 E5/4 D5/2 C5/2 | B4/6 C5/2 D5/4 E5/4 |
        C5/4 A4/4 A4/4 r/4 |
        r/2 D5/4 F5/2 A5/4 G5/2 F5/2 | E5/6 C5/2 E5/4 D5/2 C5/2 | B4/4 B4/2 C5/2 D5/4 E5/4 |
        C5/4 A4/4 A4/8
        """,
    ),
)


def tune_by_slug(slug: str) -> Tune:
    for candidate in TUNES:
        if candidate.slug == slug:
            return candidate
    raise KeyError(slug)


def sample_melodies() -> list[SampleMelody]:
    """The sample melodies the site offers, with their MIDI files."""
    return [SampleMelody(t.slug, t.title, SAMPLES_DIR / f"{t.slug}.mid") for t in TUNES]


def tune_to_midi(tune: Tune) -> pretty_midi.PrettyMIDI:
    """One named track; tempo, meter and key in the conductor track. A pickup is preceded by
    rests filling its bar, the way notation programs export one."""
    tune.check()
    midi = pretty_midi.PrettyMIDI(resolution=RESOLUTION, initial_tempo=tune.tempo_bpm)
    midi.time_signature_changes.append(pretty_midi.TimeSignature(*tune.meter, time=0.0))
    key = pretty_midi.key_name_to_key_number(tune.key)
    midi.key_signature_changes.append(pretty_midi.KeySignature(key, time=0.0))
    melody = pretty_midi.Instrument(program=0, name=tune.title)
    seconds_per_step = 60.0 / (tune.tempo_bpm * STEPS_PER_BEAT)
    step = (tune.steps_per_bar - tune.pickup_steps) % tune.steps_per_bar
    for pitch, steps in tune.notes:
        if pitch is not None:
            start, end = step * seconds_per_step, (step + steps) * seconds_per_step
            melody.notes.append(pretty_midi.Note(velocity=80, pitch=pitch, start=start, end=end))
        step += steps
    midi.instruments.append(melody)
    return midi


def write_sample_melodies(out_dir: Path = SAMPLES_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for item in TUNES:
        path = out_dir / f"{item.slug}.mid"
        tune_to_midi(item).write(str(path))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_sample_melodies():
        print(written)
