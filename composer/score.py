"""A four-voice score on the 16th-note grid: the representation every part of composer shares.

`pitches[v, t]` is the MIDI pitch voice v sounds at step t, or REST; `onsets[v, t]` is True where a
note starts at t, so a held note (one onset, several steps) differs from a repeated one. Voice 0 is
the soprano (or the melody), then alto, tenor, bass. A melody alone is a Score with one voice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from composer.constants import REST, STEPS_PER_BEAT


@dataclass
class Score:
    pitches: np.ndarray  # int16 (voices, steps), REST where silent
    onsets: np.ndarray  # bool (voices, steps), True where a note starts
    meter: tuple[int, int] = (4, 4)  # numerator, denominator
    tonic: int = 0  # pitch class of the key's tonic, 0 = C
    mode: str = "major"  # "major" or "minor"
    pickup_steps: int = 0  # steps before the first bar line (anacrusis)
    tempo_bpm: float = 90.0  # quarter notes per minute
    name: str = ""
    fermatas: np.ndarray | None = field(default=None)  # bool (steps,), True where a fermata ends

    def __post_init__(self) -> None:
        self.pitches = np.asarray(self.pitches, dtype=np.int16)
        self.onsets = np.asarray(self.onsets, dtype=bool)
        if self.pitches.ndim != 2 or self.pitches.shape != self.onsets.shape:
            raise ValueError("pitches and onsets must both be (voices, steps)")
        # A sounding step after a rest, or at the start, is always an onset.
        starts = self.pitches != REST
        starts[:, 1:] &= (self.pitches[:, 1:] != self.pitches[:, :-1]) | self.onsets[:, 1:]
        self.onsets = (self.onsets & (self.pitches != REST)) | starts

    @property
    def n_voices(self) -> int:
        return int(self.pitches.shape[0])

    @property
    def n_steps(self) -> int:
        return int(self.pitches.shape[1])

    @property
    def steps_per_bar(self) -> int:
        num, den = self.meter
        return num * STEPS_PER_BEAT * 4 // den

    def bar_starts(self) -> list[int]:
        """Steps at which a bar begins; a pickup is counted as a bar of its own."""
        first = self.pickup_steps % self.steps_per_bar
        starts = list(range(first, self.n_steps, self.steps_per_bar))
        if first > 0:
            starts.insert(0, 0)
        return starts

    def notes(self, voice: int) -> list[tuple[int, int, int]]:
        """The notes of one voice as (start step, end step exclusive, pitch)."""
        row, ons = self.pitches[voice], self.onsets[voice]
        sounding = row != REST
        starts = np.flatnonzero(ons & sounding)
        # A note ends at the next step that is a rest or strikes a note, or at the end.
        boundaries = np.append(np.flatnonzero(~sounding | ons), self.n_steps)
        ends = boundaries[np.searchsorted(boundaries, starts, side="right")]
        return list(zip(starts.tolist(), ends.tolist(), row[starts].tolist(), strict=True))

    def window(self, start: int, end: int) -> Score:
        """Steps start..end as a score of their own, its bars where they were in this one."""
        part = self.with_pitches(self.pitches[:, start:end], self.onsets[:, start:end])
        part.pickup_steps = (self.pickup_steps - start) % self.steps_per_bar
        return part

    def seconds(self) -> float:
        return self.n_steps / STEPS_PER_BEAT * 60.0 / self.tempo_bpm

    def with_pitches(self, pitches: np.ndarray, onsets: np.ndarray) -> Score:
        """A copy with other voices and the same key, meter, pickup and tempo."""
        return Score(
            pitches=pitches,
            onsets=onsets,
            meter=self.meter,
            tonic=self.tonic,
            mode=self.mode,
            pickup_steps=self.pickup_steps,
            tempo_bpm=self.tempo_bpm,
            name=self.name,
            fermatas=self.fermatas,
        )
