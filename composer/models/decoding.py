"""Voice-leading decoding: the most likely alto, tenor and bass that a counterpoint teacher
would also pass.

A model that scores each voice and step on its own (the GAN's per-step softmax) cannot see that
its favourite alto and its favourite bass together make parallel fifths. This decoder keeps the
model's top `k` choices per voice and step and finds, by Viterbi over the joint states, the path
that maximises the model's log-probability minus weighted penalties for every fault of the
teacher's audit (composer.metrics.audit) that a first-order search can see:
- parallel fifths and octaves by similar AND by contrary motion (a ban on one alone only moves
  the fault next door), hidden fifths/octaves in the outer voices, overlaps;
- awkward melodic leaps in alto, tenor and bass (tritone, sevenths, over an octave in the inner
  voices, the augmented and diminished intervals of minor), and a small cost per semitone of
  leap, since inner voices move mostly by step;
- chordal sevenths and the bass's leading tone that do not resolve;
- voice crossings, spacing wider than an octave between the upper voices;
- thin sonorities (two pitch classes or fewer) and, on the beat, sonorities that are no complete
  triad or seventh chord; a doubled leading tone;
- changing pitch (a small cost, so voices hold notes instead of flickering between near-ties).
The weights are tuned on the valid split and written in the model cards.

Time is compressed into segments where neither the melody nor any voice's candidates change, so
the search runs per musical event, not per 16th note. numpy only.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from composer.constants import LOWEST_PITCH, REST, STEPS_PER_BEAT
from composer.metrics.audit import perfect_class
from composer.metrics.chords import CHORD_SHAPES, CHORD_TYPES, SHAPE_TABLE, chord_of
from composer.models.features import REST_CLASS
from composer.score import Score

PAIRS = list(itertools.combinations(range(4), 2))
CONTEXT_STEPS = 16  # how far around a refinement's change its faults are counted
ADJACENT = ((0, 1), (1, 2), (2, 3))
# Size classes of a lower voice's move: 1, 2, ... 9 semitones, a sixth to an octave, wider.
MOVE_BINS = 11


def move_bin(size: np.ndarray) -> np.ndarray:
    """The MOVE_BINS class of each move's absolute size in semitones (0 for no move)."""
    size = np.abs(size)
    return np.where(size > 12, 10, np.where(size >= 10, 9, np.maximum(size - 1, 0)))


@dataclass(frozen=True)
class VoiceLeadingRules:
    candidates: int = 3  # top-k classes per voice and step
    parallel: float = 12.0  # nats per parallel fifth or octave by similar motion: more than the
    # style prior can ever pay for one (it rewards parallel thirds and sixths)
    contrary: float = 6.0  # ... and by contrary motion
    hidden: float = 1.5  # nats per hidden fifth/octave in the outer voices
    overlap: float = 0.5  # nats per voice moving past its neighbour's previous pitch
    crossing: float = 1.5  # nats per crossed pair of adjacent voices (Bach crosses now and then)
    spacing: float = 1.0  # nats per upper-voice gap wider than an octave
    leap: float = 2.0  # nats per awkward melodic interval in alto, tenor or bass
    leap_size: float = 0.1  # nats per semitone of a lower voice's move beyond a whole tone
    step: float = 0.6  # nats gained per lower-voice move by a half or whole step: Bach's inner
    # voices move mostly by step, the models' too often hold, repeat or leap a third
    seventh: float = 3.0  # nats per chordal seventh that does not fall by step
    leading: float = 1.0  # nats per leading tone in the bass, on a dominant, not rising
    thin: float = 0.5  # nats per sonority of two pitch classes or fewer (his open fifths stay)
    incomplete: float = 1.0  # nats per beat on no complete triad or seventh chord
    silent: float = 8.0  # nats per step alto, tenor or bass rests under a sounding melody: a
    # 16th of silence between two notes must not be the way around a leap's cost
    doubled_leading: float = 1.0  # nats per sonority with the leading tone twice
    # Nats added on the beat per chord type (composer.metrics.chords.CHORD_TYPES): Bach's
    # harmonic vocabulary (his dominant sevenths above all) as a prior, fitted on valid.
    chord_bonus: tuple[tuple[str, float], ...] = (
        ("major", -0.38),
        ("minor", -0.26),
        ("diminished", 1.16),
        ("augmented", -0.57),
        ("dominant7", 1.7),
        ("minor7", -0.22),
        ("half_diminished7", 1.48),
        ("diminished7", 3.0),
        ("major7", -0.38),
        ("other", 0.26),
    )
    change: float = 0.3  # nats per pitch change of a voice
    offbeat_change: float = 1.5  # more when it falls on a 16th between eighths: no flicker
    # Bach's texture as a prior, fitted to his chorales (composer.training.style_prior); empty
    # means none. Nats per step sounding each vertical interval class, per pair of voices (PAIRS):
    vertical: tuple[tuple[float, ...], ...] = ()
    wide: tuple[float, ...] = ()  # ... and per step a pair sits more than an octave apart
    crossed: tuple[float, ...] = ()  # ... and per step the lower voice of a pair sits above
    # Nats per step each lower voice sounds each pitch class above the tonic, in major and minor:
    degrees: tuple[tuple[tuple[float, ...], ...], ...] = ()
    # Nats per change of each pair of voices by parallel, similar, contrary, oblique motion.
    motion: tuple[tuple[float, ...], ...] = ()
    # Nats per step alto, tenor or bass rests under a sounding melody (his hardly ever do).
    rests: tuple[float, ...] = ()
    # Nats per move of alto, tenor and bass, by its size (MOVE_BINS): how his voices move.
    moves: tuple[tuple[float, ...], ...] = ()


def _pitches(classes: np.ndarray) -> np.ndarray:
    return np.where(classes == REST_CLASS, REST, classes + LOWEST_PITCH)


def _segments(soprano: np.ndarray, cand: np.ndarray) -> list[tuple[int, int]]:
    """Spans [start, end) over which the melody and every voice's candidate set stay the same."""
    steps = soprano.shape[0]
    change = np.zeros(steps, dtype=bool)
    change[0] = True
    change[1:] = (soprano[1:] != soprano[:-1]) | np.any(cand[:, 1:] != cand[:, :-1], axis=(0, 2))
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], steps)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


# Chord of every pitch-class set, as a 12-bit mask: 0 thin, 1 complete tertian, 2 other; the
# root and the seventh's pitch class (-1 where there is none).
def _chord_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kind = np.full(4096, 2, dtype=np.int8)
    root = np.full(4096, -1, dtype=np.int8)
    seventh = np.full(4096, -1, dtype=np.int8)
    for mask in range(4096):
        pcs = frozenset(pc for pc in range(12) if mask >> pc & 1)
        if len(pcs) <= 2:
            kind[mask] = 0
        elif pcs in SHAPE_TABLE:
            name, r = SHAPE_TABLE[pcs]
            kind[mask], root[mask] = 1, r
            if len(CHORD_SHAPES[name]) == 4:
                seventh[mask] = (r + max(CHORD_SHAPES[name])) % 12
    return kind, root, seventh


CHORD_KIND, CHORD_ROOT, CHORD_SEVENTH = _chord_tables()
CHORD_TYPE_INDEX = np.array(
    [
        CHORD_TYPES.index(chord_of(frozenset(pc for pc in range(12) if mask >> pc & 1))[0])
        for mask in range(4096)
    ],
    dtype=np.int8,
)


def _pc_mask(state: np.ndarray) -> np.ndarray:
    sounding = state != REST
    bits = np.where(sounding, np.left_shift(1, np.where(sounding, state % 12, 0)), 0)
    return np.bitwise_or.reduce(bits, axis=-1)


def _texture_bonus(
    state: np.ndarray,
    rules: VoiceLeadingRules,
    steps: np.ndarray,
    key: tuple[int, str] | None,
) -> np.ndarray:
    """The style prior's nats for each joint state (N, S, 4) held for `steps` (N,), per step:
    its vertical interval classes, wide and crossed pairs, the lower voices' scale degrees."""
    bonus = np.zeros(state.shape[:-1])
    for n, (i, j) in enumerate(PAIRS):
        hi, lo = state[..., i].astype(np.int32), state[..., j].astype(np.int32)
        both = (hi != REST) & (lo != REST)
        if rules.vertical:
            bonus += np.where(both, np.asarray(rules.vertical[n])[(hi - lo) % 12], 0.0)
        if rules.wide:
            bonus += rules.wide[n] * (both & (hi - lo > 12))
        if rules.crossed:
            bonus += rules.crossed[n] * (both & (hi < lo))
    if rules.rests:
        melody = state[..., 0] != REST
        for voice in (1, 2, 3):
            bonus += rules.rests[voice - 1] * (melody & (state[..., voice] == REST))
    if rules.degrees and key is not None:
        tonic, mode = key
        table = np.asarray(rules.degrees[0 if mode == "major" else 1])
        for voice in (1, 2, 3):
            pitch = state[..., voice].astype(np.int32)
            bonus += np.where(pitch != REST, table[voice - 1][(pitch - tonic) % 12], 0.0)
    return bonus * steps[:, None]


def _state_costs(
    state: np.ndarray,
    rules: VoiceLeadingRules,
    on_beat: np.ndarray,
    key: tuple[int, str] | None,
    steps: np.ndarray,
) -> np.ndarray:
    """Cost of each joint state (N, S, 4 pitches incl. the melody) held for `steps` (N,):
    crossings, spacing, a lower voice silent under the melody, thin or incomplete chords, a
    doubled leading tone, less the style prior's texture bonus."""
    cost = -_texture_bonus(state, rules, steps, key)
    tonic = key[0] if key is not None else None
    for upper in range(3):
        hi, lo = state[..., upper], state[..., upper + 1]
        both = (hi != REST) & (lo != REST)
        cost += rules.crossing * (both & (lo > hi))
        if upper < 2:
            cost += rules.spacing * (both & (hi - lo > 12))
    melody = state[..., 0] != REST
    silent = (melody[..., None] & (state[..., 1:] == REST)).sum(axis=-1)
    cost += rules.silent * silent * steps[:, None]
    full = (state != REST).sum(axis=-1) >= 3
    mask = _pc_mask(state)
    kind = CHORD_KIND[mask]
    cost += rules.thin * (full & (kind == 0))
    if rules.chord_bonus:
        bonus = np.zeros(len(CHORD_TYPES))
        for name, value in rules.chord_bonus:
            bonus[CHORD_TYPES.index(name)] = value
        cost -= bonus[CHORD_TYPE_INDEX[mask]] * (full & on_beat[:, None])
    cost += rules.incomplete * (full & (kind != 1) & on_beat[:, None])
    if tonic is not None:
        leading = ((state % 12) == (tonic + 11) % 12) & (state != REST)
        cost += rules.doubled_leading * (leading.sum(axis=-1) >= 2)
    return cost


def _awkward(
    move: np.ndarray, low: np.ndarray, high: np.ndarray, minor_tonic: int | None
) -> np.ndarray:
    """Tritones, sevenths, and in minor the augmented second and diminished fourth/seventh."""
    size = np.abs(move)
    awkward = np.isin(size % 12, (6, 10, 11)) & (size < 24)
    if minor_tonic is not None:
        lo_deg, hi_deg = (low - minor_tonic) % 12, (high - minor_tonic) % 12
        aug2 = (size == 3) & (((lo_deg == 8) & (hi_deg == 11)) | ((lo_deg == 11) & (hi_deg == 8)))
        dim = np.isin(size, (4, 9)) & (
            ((lo_deg == 11) & np.isin(hi_deg, (3, 8))) | ((hi_deg == 11) & np.isin(lo_deg, (3, 8)))
        )
        awkward |= aug2 | dim
    return awkward


def _transition_costs(
    prev: np.ndarray,
    cur: np.ndarray,
    rules: VoiceLeadingRules,
    offbeat: np.ndarray,
    key: tuple[int, str] | None,
) -> np.ndarray:
    """(N, S_prev, S_cur) costs of moving between the joint states (N, S, 4) of consecutive
    segments: parallels, hidden outer fifths, overlaps, leaps, unresolved tendency tones and
    pitch changes; `offbeat` (N,) marks moves on a 16th offbeat."""
    p = prev[:, :, None, :].astype(np.int32)
    c = cur[:, None, :, :].astype(np.int32)
    sounding = (p != REST) & (c != REST)
    move = np.where(sounding, c - p, 0)
    motion = np.sign(move)
    per_change = rules.change + rules.offbeat_change * offbeat
    cost = per_change[:, None, None] * np.sum((p[..., 1:] != c[..., 1:]), axis=-1)
    for n, (i, j) in enumerate(PAIRS):
        moving = (motion[..., i] != 0) & (motion[..., j] != 0)
        same_way = motion[..., i] == motion[..., j]
        if rules.motion:
            parallel_, similar_, contrary_, oblique_ = rules.motion[n]
            both_sound = sounding[..., i] & sounding[..., j]
            kept = (c[..., i] - c[..., j]) == (p[..., i] - p[..., j])
            cost = cost - (
                parallel_ * (moving & same_way & kept)
                + similar_ * (moving & same_way & ~kept)
                + contrary_ * (moving & ~same_way)
                + oblique_ * (both_sound & ((motion[..., i] != 0) ^ (motion[..., j] != 0)))
            )
        before = (p[..., i] - p[..., j]) % 12
        after = (c[..., i] - c[..., j]) % 12
        perfect = (before == after) & perfect_class(after)
        cost = cost + rules.parallel * (moving & same_way & perfect)
        cost = cost + rules.contrary * (moving & ~same_way & perfect)
        if (i, j) == (0, 3):
            into = perfect_class(after) & (before != after)
            leap = np.abs(move[..., 0]) > 2
            cost = cost + rules.hidden * (moving & same_way & into & leap)
    for upper, lower in ADJACENT:
        both = sounding[..., upper] & sounding[..., lower]
        past = (c[..., lower] > p[..., upper]) | (c[..., upper] < p[..., lower])
        moved = (move[..., upper] != 0) | (move[..., lower] != 0)
        cost = cost + rules.overlap * (both & past & moved)
    minor_tonic = key[0] if key is not None and key[1] == "minor" else None
    for voice in (1, 2, 3):
        m = move[..., voice]
        lo, hi = np.minimum(p[..., voice], c[..., voice]), np.maximum(p[..., voice], c[..., voice])
        bad = _awkward(m, lo % 12, hi % 12, minor_tonic) & (m != 0)
        if voice < 3:
            bad |= np.abs(m) > 12
        cost = cost + rules.leap * bad + rules.leap_size * np.maximum(np.abs(m) - 2, 0)
        cost = cost - rules.step * ((m != 0) & (np.abs(m) <= 2))
        if rules.moves:
            table = np.asarray(rules.moves[voice - 1])
            cost = cost - np.where(m != 0, table[move_bin(m)], 0.0)
    # A chordal seventh falls by step (or waits, held); the bass's leading tone on a dominant
    # rises to the tonic (or waits).
    mask = _pc_mask(prev)[:, :, None]
    seventh = CHORD_SEVENTH[mask]
    for voice in (0, 1, 2, 3):  # the melody too: then the chord should not make it a seventh
        m = move[..., voice]
        on_seventh = sounding[..., voice] & (p[..., voice] % 12 == seventh) & (seventh >= 0)
        cost = cost + rules.seventh * (on_seventh & (m != 0) & ~((m == -1) | (m == -2)))
    if key is not None:
        tonic = key[0]
        root = CHORD_ROOT[mask]
        leading = (tonic + 11) % 12
        diminished7 = CHORD_TYPE_INDEX[mask] == CHORD_TYPES.index("diminished7")
        dominant = (root == (tonic + 7) % 12) | (root == leading)
        dominant |= diminished7 & ((mask >> leading) & 1 == 1)
        bass_leading = sounding[..., 3] & (p[..., 3] % 12 == leading) & dominant
        m = move[..., 3]
        cost = cost + rules.leading * (bass_leading & (m != 0) & (m != 1))
    return cost


def decode_voices(
    log_probs: np.ndarray,
    soprano: np.ndarray,
    rules: VoiceLeadingRules | None = None,
    *,
    key: tuple[int, str] | None = None,
    pickup_steps: int = 0,
) -> np.ndarray:
    """Classes (3, T) for alto, tenor, bass from their log-probabilities (3, T, classes) under the
    melody's pitches (T,), maximising log-probability minus the rules' penalties. `key`
    (tonic, mode) lets the leading-tone rules and minor's augmented intervals apply;
    `pickup_steps` places the beats."""
    rules = rules or VoiceLeadingRules()
    k = rules.candidates
    order = np.argsort(-log_probs, axis=-1)[..., :k]  # (3, T, k)
    cand = np.sort(order, axis=-1)  # a canonical order so equal sets compare equal
    cand_lp = np.take_along_axis(log_probs, cand, axis=-1)
    combos = np.array(list(itertools.product(range(k), repeat=3)))  # (S, 3)
    segments = np.array(_segments(soprano, cand))  # (N, 2)
    starts, ends = segments[:, 0], segments[:, 1]

    # Every segment's joint states and scores at once: (N, S, 3) classes, (N, S, 4) pitches.
    classes = np.stack([cand[v][starts][:, combos[:, v]] for v in range(3)], axis=-1)
    melody = np.broadcast_to(soprano[starts][:, None, None], (len(starts), len(combos), 1))
    states = np.concatenate([melody, _pitches(classes)], axis=-1).astype(np.int16)
    summed = np.concatenate([np.zeros((3, 1, k)), np.cumsum(cand_lp, axis=1)], axis=1)
    per_segment = summed[:, ends] - summed[:, starts]  # (3, N, k): log-prob over the segment
    emit = sum(per_segment[v][:, combos[:, v]] for v in range(3))  # (N, S)
    on_beat = (starts - pickup_steps) % STEPS_PER_BEAT == 0
    local = emit - _state_costs(states, rules, on_beat, key, ends - starts)
    moves = _transition_costs(states[:-1], states[1:], rules, starts[1:] % 2 == 1, key)

    scores = local[0]
    back = np.zeros((len(starts), len(combos)), dtype=np.int64)
    for n in range(1, len(starts)):
        total = scores[:, None] - moves[n - 1]
        back[n] = np.argmax(total, axis=0)
        scores = total[back[n], np.arange(len(combos))] + local[n]

    out = np.empty((3, soprano.shape[0]), dtype=np.int64)
    index = int(np.argmax(scores))
    for n in range(len(starts) - 1, -1, -1):
        out[:, starts[n] : ends[n]] = classes[n, index][:, None]
        index = int(back[n, index])
    return out


def _changed_runs(draft: Score, proposal: Score, first: int) -> list[tuple[int, int, int]]:
    """(voice, start, end) spans of voices `first`.. where the proposal differs from the draft."""
    runs = []
    for voice in range(first, min(draft.n_voices, proposal.n_voices)):
        differs = (draft.pitches[voice] != proposal.pitches[voice]) | (
            draft.onsets[voice] != proposal.onsets[voice]
        )
        edges = np.flatnonzero(np.diff(np.concatenate([[0], differs.astype(int), [0]])))
        runs.extend((voice, int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True))
    return runs


def short_note_count(score: Score) -> int:
    """Notes shorter than an eighth in the lower voices (`qualified_note_rate`'s misses)."""
    from composer.metrics import QUALIFIED_MIN_STEPS

    return sum(
        end - start < QUALIFIED_MIN_STEPS
        for voice in range(1, score.n_voices)
        for start, end, _ in score.notes(voice)
    )


def keep_sound_changes(
    draft: Score,
    proposal: Score,
    seed: int = 0,
    melody_too: bool = False,
    steady_rhythm: bool = False,
    thin_too: bool = True,
) -> Score:
    """The draft with those of the proposal's changes that add none of the teacher's faults it
    checks — parallel fifths or octaves (similar or contrary motion), voice crossings, hidden
    outer fifths and awkward leaps, thin beats, beats on no full chord and unresolved sevenths,
    a lower voice falling silent under the melody: a refinement that can only improve the draft.

    Changes are taken run by run (a voice's span of consecutive changed steps), in a seeded
    random order, each kept only if no count rises. The melody's changes are considered with
    `melody_too` (an embellished variation may vary the tune), else left out. With
    `steady_rhythm`, the lower voices' notes shorter than an eighth count too: a rewrite of the
    harmony that would only make the inner voices flicker in 16ths is not taken. Without
    `thin_too`, beats of two pitch classes are not counted: a beat on no chord may become one, as
    Bach's now and then are (see refine_soundly); a full chord still may not.
    """
    from composer.metrics import crossing_count
    from composer.metrics.audit import (
        hidden_outer_count,
        leap_count,
        parallel_counts,
        unresolved_seventh_count,
    )
    from composer.metrics.chords import TERTIAN, THIN, beat_chords
    from composer.metrics.coverage import silent_count

    def chord_faults(score: Score) -> tuple[int, int]:
        kinds = [kind for kind, _ in beat_chords(score)]
        thin = sum(kind == THIN for kind in kinds) if thin_too else 0
        return thin, sum(kind not in TERTIAN for kind in kinds) + unresolved_seventh_count(score)

    # Each entry counts one or more faults; the cheap ones first, since a change is refused at
    # the first count that rises and most refused changes fail on parallels or crossings.
    counts: list[Callable[[Score], tuple[int, ...]]] = [
        lambda s: (sum(parallel_counts(s)), crossing_count(s)),
        lambda s: (hidden_outer_count(s) + leap_count(s), silent_count(s)),
        chord_faults,
    ]
    if steady_rhythm:
        counts.append(lambda s: (short_note_count(s),))

    def no_worse(before: Score, after: Score) -> bool:
        for count in counts:
            if any(new > old for new, old in zip(count(after), count(before), strict=True)):
                return False
        return True

    def around(score: Score, start: int, end: int) -> Score:
        # Every counted fault is local: a bar either side of a change holds all it can alter.
        return score.window(max(0, start - CONTEXT_STEPS), min(score.n_steps, end + CONTEXT_STEPS))

    current = draft.with_pitches(draft.pitches.copy(), draft.onsets.copy())
    runs = _changed_runs(draft, proposal, first=0 if melody_too else 1)
    for index in np.random.default_rng(seed).permutation(len(runs)):
        voice, start, end = runs[index]
        pitches, onsets = current.pitches.copy(), current.onsets.copy()
        pitches[voice, start:end] = proposal.pitches[voice, start:end]
        onsets[voice, start:end] = proposal.onsets[voice, start:end]
        candidate = current.with_pitches(pitches, onsets)
        if no_worse(around(current, start, end), around(candidate, start, end)):
            current = candidate
    return current
