"""The musical form of a composed track: how a melody becomes a piece of about a minute.

A piece is the tune played `repeats` times (the statement, harmonized, then embellished
variations) and a closing cadence: a predominant, the dominant and a held tonic chord, slowing
down (ritardando) into the last chord. A tune too long to be played twice is stated whole, and
its variation takes up its second half or last phrases (a reprise) rather than the statement
being cut short. The length is met by choosing, together,
- the tempo: near the tempo the tune and the style suggest, inside the style's range
  (baroque 72–100 BPM, space 56–76 BPM);
- how many times the tune is played: short tunes are developed by more variations;
- where a long tune's reprise begins, or where it is cut: at a phrase end (a bar line after a
  long note, a rest or a fermata);
- a cadence of two or three bars.
The search takes the combination whose exact tempo for the asked length is closest to the
preferred tempo, so the length is met to the rounding of the tempo, not just within 5 %.

Each repetition of the tune is padded to whole bars, so a pickup stays a pickup and every
repetition starts at the same place in the bar. Everything here is a pure function over Scores.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from composer.constants import REST, STEPS_PER_BEAT, VOICE_RANGES, VOICES
from composer.metrics.audit import perfect_class
from composer.score import Score

STYLE_TEMPI: dict[str, tuple[float, float]] = {"baroque": (72.0, 100.0), "space": (56.0, 76.0)}
STYLES = tuple(STYLE_TEMPI)
RIT_END = 0.78  # the final chord is played at this share of the tempo
MAX_REPEATS = 32  # a one-bar tune at the slowest tempo needs about twenty
LONG_NOTE_BEATS = 2  # a note this long (or longer than twice the tune's median) ends a phrase


@dataclass(frozen=True)
class Section:
    kind: str  # "statement", "variation" or "cadence"
    start: int  # first step
    end: int  # step after the last
    risk: float = 0.0  # the embellishing temperature of a variation


@dataclass(frozen=True)
class FormPlan:
    style: str
    tempo_bpm: float  # before the closing ritardando
    tune: Score  # one repetition's melody: one voice, whole bars after the pickup
    repeats: int  # the statement and the variations
    cadence_bars: int
    trimmed_at: int | None  # the step of the user's melody where it was cut, None when whole
    risks: tuple[float, ...]  # per variation
    reprise: Score | None = None  # the variations' melody when they take up only the tune's end
    reprise_from: int | None = None  # the step of the user's melody where the reprise begins

    @property
    def section_steps(self) -> int:
        """The statement's steps."""
        return self.tune.n_steps

    @property
    def variation_tune(self) -> Score:
        return self.reprise if self.reprise is not None else self.tune

    @property
    def section_starts(self) -> list[int]:
        """The first step of the statement and of each variation."""
        varied = self.variation_tune.n_steps
        return [0] + [self.tune.n_steps + i * varied for i in range(self.repeats - 1)]

    @property
    def body_steps(self) -> int:
        """The steps of all the repetitions together."""
        return self.tune.n_steps + (self.repeats - 1) * self.variation_tune.n_steps

    @property
    def cadence_start(self) -> int:
        """The bar line after the last repetition (its final chord is held up to it)."""
        return self.body_steps + self.tune.pickup_steps % self.tune.steps_per_bar

    @property
    def n_steps(self) -> int:
        return self.cadence_start + self.cadence_bars * self.tune.steps_per_bar

    def sections(self) -> list[Section]:
        out = [Section("statement", 0, self.section_steps)]
        starts, varied = self.section_starts, self.variation_tune.n_steps
        for i, risk in enumerate(self.risks, start=1):
            end = self.cadence_start if i == self.repeats - 1 else starts[i] + varied
            out.append(Section("variation", starts[i], end, risk))
        if self.repeats == 1:
            out[0] = Section("statement", 0, self.cadence_start)
        out.append(Section("cadence", self.cadence_start, self.n_steps))
        return out

    def melody(self) -> Score:
        """The statement and the variations' melody: the melody the harmonizer is given."""
        tunes = [self.tune] + [self.variation_tune] * (self.repeats - 1)
        pitches = np.concatenate([t.pitches for t in tunes], axis=1)
        onsets = np.concatenate([t.onsets for t in tunes], axis=1)
        return self.tune.with_pitches(pitches, onsets)

    def tempo_curve(self) -> np.ndarray:
        """BPM at every step: steady, then easing from the cadence's start to its last chord."""
        return tempo_curve(self.n_steps, self.tempo_bpm, self.cadence_start, self.final_chord_start)

    @property
    def final_chord_start(self) -> int:
        return self.n_steps - self.tune.steps_per_bar

    def seconds(self) -> float:
        return curve_seconds(self.tempo_curve())


def tempo_curve(n_steps: int, tempo: float, rit_from: int, rit_to: int) -> np.ndarray:
    """Steady `tempo` before `rit_from`, slowing linearly to RIT_END × tempo at `rit_to`, then
    held there (the final chord); constant within each beat."""
    factor = np.ones(n_steps)
    span = max(1, rit_to - rit_from)
    ramp = np.clip((np.arange(n_steps) - rit_from) / span, 0.0, 1.0)
    factor -= (1.0 - RIT_END) * ramp
    # One tempo per beat, as a MIDI file's tempo events give it.
    factor = np.repeat(factor[::STEPS_PER_BEAT], STEPS_PER_BEAT)[:n_steps]
    return tempo * factor


def curve_seconds(curve: np.ndarray) -> float:
    return float(np.sum(60.0 / (curve * STEPS_PER_BEAT)))


def step_times(curve: np.ndarray) -> np.ndarray:
    """Seconds at which each step starts, and the end time, from a per-step BPM curve."""
    return np.concatenate([[0.0], np.cumsum(60.0 / (curve * STEPS_PER_BEAT))])


# --- tempo ---------------------------------------------------------------------------------


def preferred_tempo(melody: Score, style: str) -> float:
    """The tempo the tune suggests in this style: its own tempo brought into the style's range,
    slower the more of its notes are shorter than a beat (busy tunes need room to breathe)."""
    low, high = _tempo_range(style)
    notes = melody.notes(0)
    busy = np.mean([end - start < STEPS_PER_BEAT for start, end, _ in notes]) if notes else 0.0
    base = float(np.clip(melody.tempo_bpm, low, high))
    return float(np.clip(base - 0.5 * (high - low) * busy, low, high))


def _tempo_range(style: str) -> tuple[float, float]:
    if style not in STYLE_TEMPI:
        raise ValueError(f"unknown style {style!r}; styles: {', '.join(STYLES)}")
    return STYLE_TEMPI[style]


# --- phrases and trimming ------------------------------------------------------------------


def phrase_ends(melody: Score) -> list[int]:
    """Steps inside the melody where a phrase ends: after a rest, after a fermata, or after a
    long note (two beats or more, or more than twice the tune's median note) that ends there.

    Candidates are the bar lines and, in a tune with a pickup, the steps a whole number of bars
    from the start: there the next repetition's pickup can begin (tunes with a pickup end their
    phrases that much before the bar line)."""
    notes = melody.notes(0)
    if not notes:
        return []
    median = float(np.median([end - start for start, end, _ in notes]))
    long_steps = min(LONG_NOTE_BEATS * STEPS_PER_BEAT, max(2 * median + 1, STEPS_PER_BEAT))
    ending = {end: end - start for start, end, _ in notes}
    out = []
    bar_steps = melody.steps_per_bar
    lines = set(melody.bar_starts()[1:]) | set(range(bar_steps, melody.n_steps, bar_steps))
    for bar in sorted(lines):
        fermata = melody.fermatas is not None and bool(melody.fermatas[:bar][-1:].any())
        rest = melody.pitches[0, bar - 1] == REST
        long_note = ending.get(bar, 0) >= long_steps
        if fermata or rest or long_note:
            out.append(bar)
    return out


def fit_tune(melody: Score, cut: int | None = None) -> Score:
    """One repetition of the melody: cut at step `cut` (a bar line), then its last note held so
    the repetition fills whole bars after the pickup (and the next repetition's pickup follows).
    The last note keeps at least two beats, or all of itself when shorter."""
    melody = melody.with_pitches(melody.pitches[:1], melody.onsets[:1])
    notes = melody.notes(0)
    if cut is not None:
        notes = [(s, min(e, cut), p) for s, e, p in notes if s < cut]
    if not notes:
        raise ValueError("the melody has no notes")
    bar = melody.steps_per_bar
    last_start, last_end, _ = notes[-1]
    needed = last_start + min(last_end - last_start, LONG_NOTE_BEATS * STEPS_PER_BEAT)
    steps = max(bar, math.ceil(needed / bar) * bar)
    pitches = np.full((1, steps), REST, dtype=np.int16)
    onsets = np.zeros((1, steps), dtype=bool)
    for i, (start, end, pitch) in enumerate(notes):
        end = steps if i == len(notes) - 1 else min(end, steps)
        pitches[0, start:end] = pitch
        onsets[0, start] = True
    fermatas = None
    if melody.fermatas is not None:
        fermatas = np.zeros(steps, dtype=bool)
        kept = melody.fermatas[: min(steps, melody.n_steps)]
        fermatas[: kept.size] = kept
    tune = melody.with_pitches(pitches, onsets)
    tune.fermatas = fermatas
    return tune


def reprise_starts(melody: Score) -> list[int]:
    """Phrase ends in the tune's second half and a whole number of bars from the start, where a
    reprise of its end may begin at the same place in the bar as the tune itself (after its
    pickup, if any), leaving at least two bars to vary."""
    bar, steps = melody.steps_per_bar, melody.n_steps
    return [
        s for s in phrase_ends(melody) if s % bar == 0 and 2 * s >= steps and steps - s >= 2 * bar
    ]


def fit_reprise(melody: Score, start: int) -> Score:
    """The tune from step `start` to its end, as one repetition (see `fit_tune`)."""
    pitches = melody.pitches[:1, start:].copy()
    onsets = melody.onsets[:1, start:].copy()
    onsets[0, 0] = pitches[0, 0] != REST  # a note held over the phrase end starts afresh
    tail = melody.with_pitches(pitches, onsets)
    tail.fermatas = None if melody.fermatas is None else melody.fermatas[start:].copy()
    return fit_tune(tail)


# --- the plan ------------------------------------------------------------------------------


def _cadence_seconds_factor(bars: int, bar_steps: int) -> float:
    """The cadence's length in steady-tempo steps: its steps divided by the easing tempo."""
    steps = bars * bar_steps
    curve = tempo_curve(steps, 1.0, 0, steps - bar_steps)
    return float(np.sum(1.0 / curve))


def plan_form(
    melody: Score, *, seconds: float = 60.0, style: str = "baroque", risk: float = 1.0
) -> FormPlan:
    """The form of a piece of `seconds` (±0.1 %, when any combination fits the style's tempi)."""
    if seconds <= 0:
        raise ValueError("seconds must be positive")
    low, high = _tempo_range(style)
    wanted = preferred_tempo(melody, style)
    bar = melody.steps_per_bar
    pickup = melody.pickup_steps % bar
    whole = fit_tune(melody)
    # (cost, cut, tune, reprise start, reprise, repeats, cadence bars, tempo)
    candidates: list[
        tuple[float, int | None, Score, int | None, Score | None, int, int, float]
    ] = []

    def consider(
        cut: int | None,
        tune: Score,
        penalty: float,
        reprise_from: int | None = None,
        reprise: Score | None = None,
    ) -> None:
        varied = (reprise or tune).n_steps
        for cadence_bars in (2, 3):
            cadence = _cadence_seconds_factor(cadence_bars, bar)
            # Repetitions that could fit at any tempo of the style.
            most = math.floor(seconds * high / 15 / varied) + 1
            for repeats in range(1, min(MAX_REPEATS, most) + 1):
                beats_x4 = tune.n_steps + (repeats - 1) * varied + pickup + cadence
                tempo = 15.0 * beats_x4 / seconds  # steps / 4 beats × 60 s
                out_of_range = max(0.0, low - tempo, tempo - high)
                cost = (
                    abs(math.log(tempo / wanted))
                    + penalty
                    + 0.04 * (cadence_bars - 2)
                    + 0.04 * repeats
                    + (100.0 if repeats < 2 else 0.0)  # at least one variation
                    + 10.0 * out_of_range
                )
                candidates.append(
                    (cost, cut, tune, reprise_from, reprise, repeats, cadence_bars, tempo)
                )

    consider(None, whole, 0.0)
    for start in reprise_starts(melody):
        # The whole tune is heard; its variations take up less of it the later they begin.
        consider(None, whole, 0.2 + 0.3 * start / melody.n_steps, start, fit_reprise(melody, start))
    for cut in phrase_ends(melody):
        # Cutting loses part of the tune: a cost that grows with the part lost.
        consider(cut, fit_tune(melody, cut), 0.3 + 1.0 * (1 - cut / melody.n_steps))
    if min(c[0] for c in candidates) >= 10.0:  # no phrase end fits: any bar line will do
        for cut in melody.bar_starts()[1:]:
            consider(cut, fit_tune(melody, cut), 1.0 + 1.0 * (1 - cut / melody.n_steps))
    _, cut, tune, reprise_from, reprise, repeats, cadence_bars, tempo = min(
        candidates, key=lambda c: c[0]
    )
    tempo = float(np.clip(tempo, low, high))
    return FormPlan(
        style=style,
        tempo_bpm=tempo,
        tune=tune,
        repeats=repeats,
        cadence_bars=cadence_bars,
        trimmed_at=cut,
        risks=variation_risks(repeats - 1, risk),
        reprise=reprise,
        reprise_from=reprise_from,
    )


def variation_risks(variations: int, risk: float) -> tuple[float, ...]:
    """The embellishing temperature of each variation: `risk` for one, rising from 0.85 × to
    1.15 × `risk` across several, so a developed tune grows bolder as it goes."""
    if variations <= 1:
        return (risk,) * variations
    return tuple(risk * (0.85 + 0.3 * i / (variations - 1)) for i in range(variations))


# --- the closing cadence -------------------------------------------------------------------

# Chords as (pitch classes above the tonic, bass pitch class, allowed soprano pitch classes).
Chord = tuple[frozenset[int], int, frozenset[int] | None]


def cadence_chords(mode: str, bars: int, bar_steps: int) -> list[tuple[Chord, int]]:
    """(chord, steps) for the closing cadence: ii6 (iv6 in minor) – V – I over two bars, or
    ii6 – I6/4 – V – I over three; the final tonic (major in minor: Bach's Picardy third) fills
    the last bar with the tonic in the bass and the soprano."""
    third = 3 if mode == "minor" else 4
    pre: Chord = (
        frozenset({5, 8, 0}) if mode == "minor" else frozenset({2, 5, 9}),
        5,
        None,
    )
    six_four: Chord = (frozenset({0, third, 7}), 7, frozenset({0, third}))
    dominant: Chord = (frozenset({7, 11, 2}), 7, frozenset({2, 11, 7}))
    tonic: Chord = (frozenset({0, 4, 7}), 0, frozenset({0}))
    first, second = _split_bar(bar_steps)
    if bars == 2:
        return [(pre, first), (dominant, second), (tonic, bar_steps)]
    out = [(pre, bar_steps)] * (bars - 2)
    return [*out, (six_four, first), (dominant, second), (tonic, bar_steps)]


def _split_bar(bar_steps: int) -> tuple[int, int]:
    """A bar split in two: halves, or in triple time one beat then two."""
    beats = bar_steps // STEPS_PER_BEAT
    if bar_steps % STEPS_PER_BEAT or beats % 2 == 0:
        half = bar_steps // 2
        return half, bar_steps - half
    return STEPS_PER_BEAT, bar_steps - STEPS_PER_BEAT


def _candidates(chord: Chord, tonic: int) -> np.ndarray:
    """All four-voice voicings (N, 4) of a chord in the voices' ranges: complete, in SATB order,
    no more than an octave between neighbouring upper voices."""
    pcs, bass_pc, soprano_pcs = chord
    pcs = frozenset((tonic + pc) % 12 for pc in pcs)
    per_voice = []
    for v, name in enumerate(VOICES):
        low, high = VOICE_RANGES[name]
        allowed = {(tonic + bass_pc) % 12} if v == 3 else pcs
        if v == 0 and soprano_pcs is not None:
            allowed = {(tonic + pc) % 12 for pc in soprano_pcs}
        per_voice.append([p for p in range(low, high + 1) if p % 12 in allowed])
    grid = np.array(list(itertools.product(*per_voice)), dtype=np.int64)
    s, a, t, b = grid.T
    ok = (s > a) & (a > t) & (t > b) & (s - a <= 12) & (a - t <= 12) & (t - b <= 19)
    grid = grid[ok]
    complete = np.ones(len(grid), dtype=bool)
    for pc in pcs:
        complete &= ((grid % 12) == pc).any(axis=1)
    return grid[complete]


def _motion_costs(previous: np.ndarray, grid: np.ndarray, tonic: int) -> np.ndarray:
    """(N, M) voice-leading costs of moving from each voicing of `previous` (N, 4) to each of
    `grid` (M, 4): motion, parallel fifths and octaves (by any motion), a doubled leading tone,
    an awkward leap below the melody, a leap in the soprano."""
    before_v, after_v = previous[:, None, :], grid[None, :, :]
    moves = np.abs(after_v - before_v)
    cost = moves[..., :3].sum(axis=-1) + 0.3 * moves[..., 3]
    for i, j in itertools.combinations(range(4), 2):
        before = np.abs(before_v[..., i] - before_v[..., j]) % 12
        after = np.abs(after_v[..., i] - after_v[..., j]) % 12
        moved = (moves[..., i] != 0) & (moves[..., j] != 0)
        parallel = moved & (after == before) & perfect_class(after)
        cost = cost + 20.0 * parallel
    leading = (tonic + 11) % 12
    cost = cost + 8.0 * (((grid % 12) == leading).sum(axis=1) > 1)[None, :]
    # Awkward leaps in alto, tenor and bass: a tritone, a seventh, more than an octave.
    lower = moves[..., 1:]
    awkward = (lower == 6) | (lower == 10) | (lower == 11) | (lower > 12)
    cost = cost + 6.0 * awkward.sum(axis=-1)
    return cost + 2.0 * (moves[..., 0] > 4)


def voice_cadence(last_chord: np.ndarray, tonic: int, mode: str, bars: int, bar_steps: int):
    """The closing cadence as (pitches (4, steps), onsets (4, steps)), voiced to follow
    `last_chord` (4,) smoothly (REST entries are ignored).

    The voicings are chosen together, for the least cost over the whole cadence (Viterbi), not
    chord by chord: a greedy choice could voice the dominant so that every tonic after it
    makes octaves with it (the soprano and bass both on the fifth, then both on the tonic)."""
    previous = np.array(
        [
            p if p != REST else (VOICE_RANGES[n][0] + VOICE_RANGES[n][1]) // 2
            for p, n in zip(last_chord, VOICES, strict=True)
        ],
        dtype=np.int64,
    )
    chords = cadence_chords(mode, bars, bar_steps)
    grids = [_candidates(chord, tonic) for chord, _ in chords]
    total = _motion_costs(previous[None], grids[0], tonic)[0]
    back = []
    for before, after in itertools.pairwise(grids):
        paths = total[:, None] + _motion_costs(before, after, tonic)
        back.append(paths.argmin(axis=0))
        total = paths.min(axis=0)
    chosen = [int(total.argmin())]
    for pointers in reversed(back):
        chosen.append(int(pointers[chosen[-1]]))
    columns, onset_cols = [], []
    for (_, steps), grid, index in zip(chords, grids, reversed(chosen), strict=True):
        columns.append(np.repeat(grid[index][:, None], steps, axis=1))
        onsets = np.zeros((4, steps), dtype=bool)
        onsets[:, 0] = True
        onset_cols.append(onsets)
    return np.concatenate(columns, axis=1), np.concatenate(onset_cols, axis=1)


def finish(body: Score, plan: FormPlan) -> Score:
    """The repetitions (four voices, `plan.body_steps`) with their last chord held to the bar
    line, then the closing cadence; tempo set, a fermata on the final chord."""
    if body.n_steps != plan.body_steps:
        raise ValueError(f"the body has {body.n_steps} steps, the plan {plan.body_steps}")
    hold = plan.cadence_start - plan.body_steps
    pitches = np.concatenate([body.pitches, np.repeat(body.pitches[:, -1:], hold, axis=1)], 1)
    onsets = np.concatenate([body.onsets, np.zeros((body.n_voices, hold), dtype=bool)], 1)
    last = _last_sounding(pitches)
    cad_p, cad_o = voice_cadence(
        last, plan.tune.tonic, plan.tune.mode, plan.cadence_bars, plan.tune.steps_per_bar
    )
    score = body.with_pitches(
        np.concatenate([pitches, cad_p], axis=1), np.concatenate([onsets, cad_o], axis=1)
    )
    score.tempo_bpm = round(plan.tempo_bpm, 3)
    fermatas = np.zeros(score.n_steps, dtype=bool)
    for i, start in enumerate(plan.section_starts):
        tune = plan.tune if i == 0 else plan.variation_tune
        if tune.fermatas is not None:
            fermatas[start : start + tune.n_steps] |= tune.fermatas
    fermatas[-1] = True
    score.fermatas = fermatas
    return score


def _last_sounding(pitches: np.ndarray) -> np.ndarray:
    """Each voice's last sounding pitch (REST when it never sounds)."""
    out = np.full(pitches.shape[0], REST, dtype=np.int64)
    for v, row in enumerate(pitches):
        sounding = np.flatnonzero(row != REST)
        if sounding.size:
            out[v] = row[sounding[-1]]
    return out
