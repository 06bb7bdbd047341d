"""Voice-leading decoding: the most likely alto, tenor and bass that also obey the basic rules.

A model that scores each voice and step on its own (the GAN's per-step softmax) cannot see that
its favourite alto and its favourite bass together make parallel fifths. This decoder keeps the
model's top `k` choices per voice and step and finds, by Viterbi over the joint states, the path
that maximises the model's log-probability minus penalties for
- parallel fifths and octaves (any pair of voices, the melody included, as `composer.metrics`
  counts them: both voices move the same way into the same perfect interval),
- voice crossings and spacing wider than an octave between the upper voices,
- changing pitch (a small cost, so voices hold notes instead of flickering between near-ties).

Time is compressed into segments where neither the melody nor any voice's candidates change, so
the search runs per musical event, not per 16th note. numpy only.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from composer.constants import LOWEST_PITCH, REST
from composer.models.features import REST_CLASS
from composer.score import Score

PAIRS = list(itertools.combinations(range(4), 2))


@dataclass(frozen=True)
class VoiceLeadingRules:
    candidates: int = 3  # top-k classes per voice and step (4 measured no better, twice as slow)
    parallel: float = 6.0  # nats per parallel fifth or octave
    crossing: float = 3.0  # nats per crossed pair of adjacent voices
    spacing: float = 1.0  # nats per upper-voice gap wider than an octave
    change: float = 0.3  # nats per pitch change of a voice
    offbeat_change: float = 1.5  # more when it falls on a 16th between eighths: no flicker


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


def _state_costs(state: np.ndarray, rules: VoiceLeadingRules) -> np.ndarray:
    """Cost of each joint state (..., 4 pitches incl. the melody) on its own: crossings and
    spacing."""
    cost = np.zeros(state.shape[:-1])
    for upper in range(3):
        hi, lo = state[..., upper], state[..., upper + 1]
        both = (hi != REST) & (lo != REST)
        cost += rules.crossing * (both & (lo > hi))
        if upper < 2:
            cost += rules.spacing * (both & (hi - lo > 12))
    return cost


def _transition_costs(
    prev: np.ndarray, cur: np.ndarray, rules: VoiceLeadingRules, offbeat: np.ndarray
) -> np.ndarray:
    """(N, S_prev, S_cur) costs of moving between the joint states (N, S, 4) of consecutive
    segments: parallels and pitch changes; `offbeat` (N,) marks moves on a 16th offbeat."""
    p = prev[:, :, None, :]
    c = cur[:, None, :, :]
    sounding = (p != REST) & (c != REST)
    motion = np.where(sounding, np.sign(c - p), 0)
    per_change = rules.change + rules.offbeat_change * offbeat
    cost = per_change[:, None, None] * np.sum((p[..., 1:] != c[..., 1:]), axis=-1)
    for i, j in PAIRS:
        same_way = (motion[..., i] == motion[..., j]) & (motion[..., i] != 0)
        before = (p[..., i] - p[..., j]) % 12
        after = (c[..., i] - c[..., j]) % 12
        perfect = ((before == 0) & (after == 0)) | ((before == 7) & (after == 7))
        cost = cost + rules.parallel * (same_way & perfect)
    return cost


def decode_voices(
    log_probs: np.ndarray, soprano: np.ndarray, rules: VoiceLeadingRules | None = None
) -> np.ndarray:
    """Classes (3, T) for alto, tenor, bass from their log-probabilities (3, T, classes) under the
    melody's pitches (T,), maximising log-probability minus the rules' penalties."""
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
    local = emit - _state_costs(states, rules)
    moves = _transition_costs(states[:-1], states[1:], rules, starts[1:] % 2 == 1)

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
) -> Score:
    """The draft with those of the proposal's changes that add no parallel fifth or octave and no
    voice crossing: a refinement that can only improve the draft's voice leading.

    Changes are taken run by run (a voice's span of consecutive changed steps), in a seeded
    random order, each kept only if no count rises. The melody's changes are considered with
    `melody_too` (an embellished variation may vary the tune), else left out. With
    `steady_rhythm`, the lower voices' notes shorter than an eighth count too: a rewrite of the
    harmony that would only make the inner voices flicker in 16ths is not taken.
    """
    from composer.metrics import crossing_count, parallel_count

    def count(score: Score) -> tuple[int, ...]:
        faults = (parallel_count(score), crossing_count(score))
        return (*faults, short_note_count(score)) if steady_rhythm else faults

    current = draft.with_pitches(draft.pitches.copy(), draft.onsets.copy())
    faults = count(current)
    runs = _changed_runs(draft, proposal, first=0 if melody_too else 1)
    for index in np.random.default_rng(seed).permutation(len(runs)):
        voice, start, end = runs[index]
        pitches, onsets = current.pitches.copy(), current.onsets.copy()
        pitches[voice, start:end] = proposal.pitches[voice, start:end]
        onsets[voice, start:end] = proposal.onsets[voice, start:end]
        candidate = current.with_pitches(pitches, onsets)
        counts = count(candidate)
        if all(new <= old for new, old in zip(counts, faults, strict=True)):
            current, faults = candidate, counts
    return current
