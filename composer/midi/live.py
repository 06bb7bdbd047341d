"""The beat of a melody played live: a 16th-note grid fitted to its onsets.

A file exported from notation (or recorded to a metronome) has its notes on the grid of its own
tempo map, give or take a little jitter; `fits_file_grid` says so and nothing here is used. A
melody played freely (rubato, no tempo map or the recorder's default 120 BPM) is placed by its
onsets instead:
- onsets closer than a grace note's lean are one event (a grace note or a spread chord);
- the beat is the one whose eighths best explain the inter-onset intervals, near the file's
  tempo when it states one and near 100 BPM otherwise;
- then each onset is placed on the nearest eighth (a 16th only when it is clearly one), with the
  beat re-estimated from the last few onsets, so a tempo that drifts is followed;
- the bar line falls where the longest notes land on downbeats (or where the file puts it, when
  its tempo was right).
Swung eighths (off-beats a third or a sixth of a beat late) are tried as such: the swing that
explains the onsets best is taken off each off-beat, and an off-beat that a later onset is measured
from counts as played late, so a phrase that starts on a swung off-beat (after a rest) stays on
the beat; a file recorded to a metronome whose only off-grid onsets are late off-beats is read as
swung too. Triplets have no place on a 16th grid: they land on the nearest eighth or 16th.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from composer.constants import STEPS_PER_BEAT

ON_GRID = 0.3  # an onset this close (in 16ths) to the file's grid is on it
ON_GRID_SHARE = 0.9  # and a file with this share of its onsets on the grid is quantized
CLUSTER_SECONDS = 0.08  # onsets this close are one event: a grace note, a spread chord
PLACE_ERROR = 0.15  # the spread (in 16ths) of an onset measured right after a beat
TEMPO_ERROR = 0.08  # and how much it grows per 16th since: a tempo drifting by up to 8 %
WINDOW_STEPS = 16  # the beat is re-estimated over the last bar or so
REFINE_PASSES = 2  # passes that place the notes again with the beat measured around each one
PRIOR_BPM = 100.0  # the tempo a melody without a usable tempo map is assumed to be near
PRIOR_WEIGHT = 0.15  # how strongly the tempo is pulled to 100 BPM when the file states none
STATED_WEIGHT = 1.0  # and to the file's own tempo when it states one: a swung tune's eighths
# fit a beat and a half better than its beat, and only the stated tempo tells them apart
MIN_BPM, MAX_BPM = 40.0, 200.0
SWINGS = (0.0, 0.5, 2 / 3)  # how late (16ths) off-beat eighths may come: straight, swung 3:2, 2:1


@dataclass
class LiveBeat:
    """Where each event (cluster of onsets) falls on the fitted grid."""

    ticks: list[list[int]]  # each event's onset ticks, the main (last) onset last
    steps: list[int]  # each event's step, counted from the first
    ticks_per_step: tuple[float, float]  # at the start and at the end (for extrapolation)
    bpm: float  # the performed tempo, on average
    bpm_range: tuple[float, float]  # its slowest and fastest bar
    swung: bool

    def step(self, tick: float) -> float:
        """The (fractional) step of a tick: linear between events, extrapolated outside."""
        knots_t = [group[-1] for group in self.ticks]
        if tick <= knots_t[0]:
            return self.steps[0] - (knots_t[0] - tick) / self.ticks_per_step[0]
        if tick >= knots_t[-1]:
            return self.steps[-1] + (tick - knots_t[-1]) / self.ticks_per_step[1]
        for group, step in zip(self.ticks, self.steps, strict=True):
            if group[0] <= tick <= group[-1]:  # a grace note belongs to its main note's step
                return float(step)
        return float(np.interp(tick, knots_t, self.steps))


def fits_file_grid(onset_ticks: list[int], seconds: list[float], ppq: int) -> bool:
    """Whether the onsets lie on the 16th grid of the file's own beats (notation, a metronome);
    a grace note's lean does not count against it."""
    groups, _ = _events(onset_ticks, seconds)
    x = np.asarray([g[-1] for g in groups], dtype=float) * STEPS_PER_BEAT / ppq
    off = np.abs(x - np.round(x)) > ON_GRID
    if float(np.mean(~off)) < ON_GRID_SHARE:
        return False
    # swung eighths recorded to a metronome: the few onsets off the grid all come late after
    # the half beat (a triplet's other notes would sit elsewhere); the live fit reads them
    late = x[off] % STEPS_PER_BEAT - STEPS_PER_BEAT // 2
    return not (np.count_nonzero(off) >= 2 and bool(np.all((late > ON_GRID) & (late < 0.9))))


def _events(onset_ticks: list[int], seconds: list[float]) -> tuple[list[list[int]], list[float]]:
    """Onsets grouped into events (a grace note or a spread chord with its main note)."""
    groups: list[list[int]] = []
    times: list[float] = []
    for i in np.argsort(onset_ticks, kind="stable"):
        tick, second = int(onset_ticks[i]), float(seconds[i])
        if groups and second - times[-1] <= CLUSTER_SECONDS:
            groups[-1].append(tick)
            times[-1] = second
        else:
            groups.append([tick])
            times.append(second)
    return groups, times


def fit_live_beat(
    onset_ticks: list[int], seconds: list[float], ppq: int, stated_bpm: float | None
) -> LiveBeat:
    """The grid of a freely played melody: `seconds` are the onsets' times under the file's tempo
    map; `stated_bpm` the file's own tempo when it states one (not the default)."""
    groups, times = _events(onset_ticks, seconds)
    t = np.asarray(times)
    beat = _first_beat(np.diff(t), stated_bpm)  # seconds per quarter
    fits = [_fit(t, beat / STEPS_PER_BEAT, swing) for swing in SWINGS]
    steps, _, late = min(fits, key=lambda fit: _misfit(fit[1], fit[0]))
    ticks_per_step = _ticks_per_step(groups, steps, ppq)
    span = steps[-1] - steps[0]
    bpm = 60.0 * span / STEPS_PER_BEAT / (t[-1] - t[0]) if span and t[-1] > t[0] else 60.0 / beat
    return LiveBeat(
        ticks=groups,
        steps=steps,
        ticks_per_step=ticks_per_step,
        bpm=round(bpm, 1),
        bpm_range=_bpm_range(t, steps),
        swung=late > 0,
    )


def _first_beat(iois: np.ndarray, stated_bpm: float | None) -> float:
    """Seconds per beat whose eighths best explain the intervals, and whose beats best explain
    pairs of them (so a swung long-short pair is one beat, not a triplet-feel beat and a half),
    near the prior tempo: the file's own, unless that is MIDI's default of 120 BPM."""
    iois = iois[iois > 0]
    stated = bool(stated_bpm) and stated_bpm != 120.0
    prior = stated_bpm if stated and stated_bpm else PRIOR_BPM
    weight = STATED_WEIGHT if stated else PRIOR_WEIGHT
    if not iois.size:
        return 60.0 / prior
    pairs = iois[1:] + iois[:-1]
    best, best_cost = 60.0 / prior, math.inf
    for bpm in np.geomspace(MIN_BPM, MAX_BPM, 400):
        eighths, beats = iois * bpm / 30.0, pairs * bpm / 60.0
        miss = float(np.mean(np.abs(eighths - np.round(eighths))))
        if beats.size:
            miss += float(np.mean(np.abs(beats - np.round(beats)))) / 2
        cost = miss + weight * math.log2(bpm / prior) ** 2
        if cost < best_cost:
            best, best_cost = 60.0 / bpm, cost
    return best


def _fit(t: np.ndarray, step_s: float, swing: float) -> tuple[list[int], list[float], float]:
    """Steps for the events with off-beat eighths `swing` 16ths late: a pass that follows the
    tempo as it goes, then passes with the beat measured around each note."""
    steps, _ = _track(t, np.full(t.size, step_s), causal=True, swing=swing)
    for _ in range(REFINE_PASSES):  # the beat around each note, from both sides: no lag
        steps, raw = _track(t, _centred_step(t, steps, step_s), causal=False, swing=swing)
    return steps, raw, swing


def _misfit(raw: list[float], steps: list[int]) -> float:
    return float(np.mean(np.abs(np.asarray(raw) - np.asarray(steps))))


def _track(
    t: np.ndarray, step_s: np.ndarray, *, causal: bool, swing: float = 0.0
) -> tuple[list[int], list[float]]:
    """Each event's step (and its unrounded position), measured from the last event on a beat
    (so a swung or pushed off-beat does not move the beat) in seconds per step `step_s`, which
    a causal pass re-estimates from the events behind it as it goes. `swing`: how late (in
    16ths) the off-beat eighths come."""
    steps, raw = [0], [0.0]
    current = float(step_s[0])
    anchor = 0
    for j in range(1, len(t)):
        if steps[-1] - steps[anchor] > 2 * STEPS_PER_BEAT:
            anchor = j - 1
        if not causal:  # the tempo over a long gap lies between the tempos at its ends
            current = float(step_s[j] + step_s[anchor]) / 2
        # an off-beat anchor sounded `swing` late: measure from where it was played
        x = steps[anchor] + _lateness(steps[anchor], swing) + (t[j] - t[anchor]) / current
        if swing and _swung_off_beat(x, swing):
            x -= swing
        steps.append(max(_place(x, x - steps[anchor], steps[-1]), steps[-1] + 1))
        raw.append(x)
        if steps[-1] % STEPS_PER_BEAT == 0:
            anchor = j
        if causal:
            current = _local_step(t[: j + 1], steps, current)
    return steps, raw


def _lateness(step: int, swing: float) -> float:
    """How late (16ths) an event placed on `step` was played: `swing` on an off-beat eighth."""
    return swing if step % STEPS_PER_BEAT == STEPS_PER_BEAT // 2 else 0.0


def _swung_off_beat(x: float, swing: float) -> bool:
    """Whether a position (16ths) lies nearer a swung off-beat (`swing` late) than a beat."""
    half = STEPS_PER_BEAT // 2
    return half / 2 + swing / 2 < x % STEPS_PER_BEAT < half * 1.5 + swing / 2


def _centred_step(t: np.ndarray, steps: list[int], default: float) -> np.ndarray:
    """Seconds per step around each event: a line through the events within a bar either side
    (those on beats when there are enough), which follows a drifting tempo without lag."""
    at = np.asarray(steps)
    out = np.full(t.size, default)
    for j in range(t.size):
        near = np.flatnonzero(np.abs(at - at[j]) <= WINDOW_STEPS // 2 + STEPS_PER_BEAT)
        beats = near[at[near] % STEPS_PER_BEAT == 0]
        chosen = beats if len(set(at[beats])) >= 3 else near
        if len(set(at[chosen])) >= 2:
            slope = float(np.polyfit(at[chosen], t[chosen], 1)[0])
            out[j] = slope if slope > 0 else out[j - 1] if j else default
        elif j:
            out[j] = out[j - 1]
    return out


def _place(x: float, since: float, previous: int) -> int:
    """The beat, eighth or 16th for an onset measured at `x`, `since` steps after the event it
    was measured from: the error grows with that distance (the tempo may have moved), and a
    coarser grid wins unless the onset clearly lies on a finer one."""
    spread = PLACE_ERROR + TEMPO_ERROR * max(since, 0.0)
    best, best_cost = previous + 1, math.inf
    for level, penalty in ((4, 0.0), (2, 0.5), (1, 1.5)):
        for n in (level * math.floor(x / level), level * math.ceil(x / level)):
            if n <= previous or (level < 4 and n % (2 * level) == 0):
                continue  # each candidate belongs to its coarsest level
            cost = abs(x - n) / spread + penalty
            if cost < best_cost:
                best, best_cost = n, cost
    return best


def _local_step(t: np.ndarray, steps: list[int], previous: float) -> float:
    """Seconds per step over the last bar or so of events, blended with the previous value."""
    last = steps[-1]
    j = len(steps) - 1
    while j > 0 and last - steps[j - 1] <= WINDOW_STEPS:
        j -= 1
    if last - steps[j] < STEPS_PER_BEAT:
        return previous
    on_beat = [i for i in range(j, len(steps)) if steps[i] % STEPS_PER_BEAT == 0]
    chosen = on_beat if len(on_beat) >= 3 else list(range(j, len(steps)))
    fit_steps = [steps[i] for i in chosen]
    slope = float(np.polyfit(fit_steps, t[chosen], 1)[0]) if len(set(fit_steps)) > 2 else 0.0
    if slope <= 0:
        slope = (t[-1] - t[j]) / (last - steps[j])
    return 0.5 * previous + 0.5 * slope


def _ticks_per_step(groups: list[list[int]], steps: list[int], ppq: int) -> tuple[float, float]:
    mains = [g[-1] for g in groups]
    default = ppq / STEPS_PER_BEAT
    if len(mains) < 2:
        return default, default
    first = (mains[1] - mains[0]) / max(steps[1] - steps[0], 1)
    last = (mains[-1] - mains[-2]) / max(steps[-1] - steps[-2], 1)
    return first or default, last or default


def _bpm_range(t: np.ndarray, steps: list[int]) -> tuple[float, float]:
    """The slowest and fastest tempo over spans of about a bar."""
    rates = []
    j = 0
    for i in range(1, len(steps)):
        if steps[i] - steps[j] >= WINDOW_STEPS and t[i] > t[j]:
            rates.append(60.0 * (steps[i] - steps[j]) / STEPS_PER_BEAT / (t[i] - t[j]))
            j = i
    if not rates:
        return (0.0, 0.0)
    return round(min(rates), 1), round(max(rates), 1)
