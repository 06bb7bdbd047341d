"""The sample melodies as people play them: MIDI files of live, imperfect performances.

A melody recorded on a keyboard is not its notation: notes are touched short (staccato) or held
into the next one (legato overlaps), onsets wobble around the beat, the tempo drifts (rubato),
the file may carry no tempo map or the recorder's default 120 BPM, a grace note leans into a beat,
eighths are swung, and a phrase may end in a real rest. Each `Playing` renders a sample tune
(composer.data.samples) that way, deterministically, so tests can check that every such melody
comes back fully harmonized. `python -m composer.data.played OUT_DIR` writes the corpus.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pretty_midi

from composer.constants import STEPS_PER_BEAT
from composer.data.samples import Tune, tune_by_slug

RESOLUTION = 480
GRACE_SECONDS = 0.06  # a grace note leans this far ahead of its main note
SWING_AT = 2 / 3  # a swung off-beat eighth falls at two thirds of the beat, not half way
PHRASE_NOTE_STEPS = 8  # a note of a half note or more ends a phrase (as in composer.compose.form)


@dataclass(frozen=True)
class Playing:
    """How a tune is played and recorded."""

    case: str  # a name for the corpus, e.g. "staccato"
    slug: str  # the sample tune
    staccato_s: float | None = None  # every note sounds this many seconds
    articulation: float = 0.92  # otherwise: the share of the time to the next note it sounds
    jitter_s: float = 0.0  # onsets wobble by up to this, either way
    rubato: float = 0.0  # the tempo swings by up to this share, once per four bars
    tempo_scale: float = 1.0  # played this much faster (>1) or slower than the written tempo
    tempo_map: bool = True  # False: no tempo or meter stated (a recorder's default 120 BPM)
    grace_every: int = 0  # a grace note (a tone above) before every n-th note
    swing: bool = False  # off-beat eighths fall at two thirds of the beat
    phrase_rests: bool = False  # each phrase's long last note is halved, then a rest
    seed: int = 0

    @property
    def name(self) -> str:
        return f"{self.slug}-{self.case}"


CORPUS: tuple[Playing, ...] = (
    Playing("staccato", "twinkle-twinkle", staccato_s=0.125),
    Playing("staccato", "ode-to-joy", staccato_s=0.125),
    Playing("staccato", "amazing-grace", staccato_s=0.15),
    Playing("jittered", "deck-the-halls", jitter_s=0.03, seed=1),
    Playing("rubato", "ode-to-joy", rubato=0.1, jitter_s=0.015, seed=2),
    Playing("no-tempo-map", "twinkle-twinkle", tempo_map=False, tempo_scale=0.85, seed=3),
    Playing("overlapped", "new-world-largo", articulation=1.15, jitter_s=0.02, seed=4),
    Playing("grace-notes", "we-wish-you-a-merry-christmas", grace_every=4, seed=5),
    Playing("swung", "korobeiniki", swing=True, jitter_s=0.01, seed=6),
    Playing("rests", "twinkle-twinkle", phrase_rests=True, seed=7),
    Playing("staccato-rests", "korobeiniki", staccato_s=0.1, phrase_rests=True, seed=8),
)


def written_notes(tune: Tune) -> list[tuple[int, int, int]]:
    """(start step, length in steps, pitch) from the first bar line, a pickup placed in its bar."""
    step = (tune.steps_per_bar - tune.pickup_steps) % tune.steps_per_bar
    notes: list[tuple[int, int, int]] = []
    for pitch, steps in tune.notes:
        if pitch is not None:
            notes.append((step, steps, pitch))
        step += steps
    return notes


def _with_phrase_rests(notes: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Each long note before the last becomes half as long, the other half a rest."""
    out = []
    for i, (start, steps, pitch) in enumerate(notes):
        if steps >= PHRASE_NOTE_STEPS and i + 1 < len(notes):
            steps //= 2
        out.append((start, steps, pitch))
    return out


def _step_seconds(playing: Playing, tune: Tune, n_steps: int) -> np.ndarray:
    """The time (seconds) at which each written step begins, rubato included: (n_steps + 1,)."""
    base = 60.0 / (tune.tempo_bpm * playing.tempo_scale * STEPS_PER_BEAT)
    steps = np.arange(n_steps)
    period = 4 * tune.steps_per_bar
    phase = np.random.default_rng(playing.seed).uniform(0, 2 * np.pi)
    tempo = 1.0 + playing.rubato * np.sin(2 * np.pi * steps / period + phase)
    return np.concatenate([[0.0], np.cumsum(base / tempo)])


def _position(step: float, times: np.ndarray) -> float:
    return float(np.interp(step, np.arange(len(times)), times))


def _swung(start: int, notes_at: set[int]) -> float:
    """An off-beat eighth (no 16th beside it in its beat) is delayed to two thirds of the beat."""
    beat, within = divmod(start, STEPS_PER_BEAT)
    sixteenths = {beat * STEPS_PER_BEAT + 1, beat * STEPS_PER_BEAT + 3} & notes_at
    if within == STEPS_PER_BEAT // 2 and not sixteenths:
        return beat * STEPS_PER_BEAT + SWING_AT * STEPS_PER_BEAT
    return float(start)


def performance(playing: Playing) -> pretty_midi.PrettyMIDI:
    """The tune as `playing` plays it, recorded as a one-track MIDI file."""
    tune = tune_by_slug(playing.slug)
    notes = written_notes(tune)
    if playing.phrase_rests:
        notes = _with_phrase_rests(notes)
    rng = np.random.default_rng(playing.seed)
    end = max(start + steps for start, steps, _ in notes)
    times = _step_seconds(playing, tune, end + STEPS_PER_BEAT)
    starts = {start for start, _, _ in notes}
    onsets = [
        _position(_swung(s, starts) if playing.swing else s, times)
        + rng.uniform(-playing.jitter_s, playing.jitter_s)
        for s, _, _ in notes
    ]
    onsets = [max(t, 0.0) for t in onsets]
    line = pretty_midi.Instrument(program=0, name="Piano")
    for i, (start, steps, pitch) in enumerate(notes):
        on = onsets[i]
        written_end = _position(start + steps, times)
        if playing.staccato_s is not None:
            off = on + playing.staccato_s
        else:
            off = on + playing.articulation * max(written_end - on, 0.02)
        if playing.grace_every and i and i % playing.grace_every == 0:
            grace = max(on - GRACE_SECONDS, onsets[i - 1] + 0.02)
            line.notes.append(pretty_midi.Note(70, min(pitch + 2, 127), grace, on))
        line.notes.append(pretty_midi.Note(int(rng.integers(64, 100)), pitch, on, off))
    tempo = tune.tempo_bpm if playing.tempo_map else 120.0
    midi = pretty_midi.PrettyMIDI(resolution=RESOLUTION, initial_tempo=tempo)
    if playing.tempo_map:
        midi.time_signature_changes.append(pretty_midi.TimeSignature(*tune.meter, time=0.0))
    midi.instruments.append(line)
    return midi


def tune_bars(slug: str) -> int:
    """Bars of the written tune, a pickup counted as a bar (as composer counts them)."""
    return len(tune_by_slug(slug).bars.split("|"))


def write_corpus(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for playing in CORPUS:
        path = out_dir / f"{playing.name}.mid"
        performance(playing).write(str(path))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "played")):
        print(written)
