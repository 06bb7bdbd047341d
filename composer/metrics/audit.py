"""The teacher's audit: the faults a counterpoint teacher marks in a four-part chorale.

A metric that a decoder can satisfy by moving the fault next door measures nothing, so beside
`parallel_5ths_8ves_per_bar` (similar motion only) the audit counts its neighbours too. Each rule
is a count per bar (see composer.metrics for bars and a pair's verticals), measured the same way
on Bach's own harmonizations so that every figure has Bach's rate beside it:

- parallels_similar: consecutive fifths or octaves (unisons count as octaves, compounds as
  simple), both voices moving the same way — the classic fault;
- parallels_contrary: the same interval class twice with the voices moving apart or together
  (an octave to an octave by contrary motion), which a ban on similar motion pushes faults into;
- hidden_outer: soprano and bass moving the same way into a fifth or octave from another
  interval, with the soprano leaping (more than a whole tone);
- spacing: soprano–alto or alto–tenor more than an octave apart (tenor–bass may be wider);
- overlaps: a voice moving past where its neighbour just was (the alto above the soprano's
  previous note, the tenor below the bass's previous note, ...);
- leaps: awkward melodic intervals in alto, tenor or bass between consecutive notes — the
  tritone, a seventh, and in minor the augmented second, diminished fourth and diminished
  seventh that the raised leading tone makes; in alto and tenor also anything over an octave;
- doubled_leading_tone: two or more voices on the key's leading tone at once;
- unresolved_leading_tone: the leading tone in soprano or bass on a dominant chord (V, V7,
  vii°) not going up a semitone to the tonic;
- unresolved_seventh: the seventh of a seventh chord on a beat not falling by step next.

Besides the faults: the chord on each beat (composer.metrics.chords) and notes per bar in
alto, tenor and bass (how much the inner voices move). Only numpy.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import numpy as np

from composer.constants import REST
from composer.metrics.chords import (
    CHORD_SHAPES,
    SEVENTHS,
    TERTIAN,
    beat_steps,
    chord_distribution,
    chord_of,
    distribution_distance,
)
from composer.metrics.verticals import bar_spans, pair_verticals
from composer.score import Score

PERFECT = (0, 7)
OUTER = (0, 3)
LOWER_VOICES = (1, 2, 3)
AWKWARD_ANY_KEY = frozenset({6, 10, 11})  # tritone, minor and major seventh
FAULTS = (
    "parallels_similar",
    "parallels_contrary",
    "hidden_outer",
    "spacing",
    "overlaps",
    "leaps",
    "doubled_leading_tone",
    "unresolved_leading_tone",
    "unresolved_seventh",
)
INNER_MOTION = tuple(f"notes_per_bar_{v}" for v in ("alto", "tenor", "bass"))


def _moves(score: Score, i: int, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A pair's consecutive verticals where both voices sound at both: (before, after, both)."""
    vert = pair_verticals(score, i, j)
    sounding = (vert != REST).all(axis=0)
    both = sounding[:-1] & sounding[1:]
    return vert[:, :-1], vert[:, 1:], both


def perfect_class(interval_class: np.ndarray) -> np.ndarray:
    """Where an interval class (mod 12) is a unison/octave or a fifth (PERFECT); comparisons,
    not np.isin, which costs ten times as much on these short arrays."""
    return (interval_class == PERFECT[0]) | (interval_class == PERFECT[1])


def parallel_counts(score: Score) -> tuple[int, int]:
    """(by similar motion, by contrary motion): consecutive perfect fifths or octaves over every
    pair of voices, the interval class (mod 12) the same at both verticals and both voices
    moving — the same way, or opposite ways."""
    similar = contrary = 0
    for i in range(score.n_voices):
        for j in range(i + 1, score.n_voices):
            before, after, both = _moves(score, i, j)
            move = after - before
            ic_before = np.abs(before[0] - before[1]) % 12
            ic_after = np.abs(after[0] - after[1]) % 12
            perfect = (ic_before == ic_after) & perfect_class(ic_before)
            moving = (move[0] != 0) & (move[1] != 0)
            same_way = np.sign(move[0]) == np.sign(move[1])
            similar += int((both & perfect & moving & same_way).sum())
            contrary += int((both & perfect & moving & ~same_way).sum())
    return similar, contrary


def hidden_outer_count(score: Score) -> int:
    """Soprano and bass moving the same way into a fifth or octave from another interval class,
    the soprano leaping by more than two semitones."""
    if score.n_voices < 4:
        return 0
    before, after, both = _moves(score, *OUTER)
    move = after - before
    ic_before = np.abs(before[0] - before[1]) % 12
    ic_after = np.abs(after[0] - after[1]) % 12
    into_perfect = perfect_class(ic_after) & (ic_before != ic_after)
    same_way = (np.sign(move[0]) == np.sign(move[1])) & (move[0] != 0)
    return int((both & into_perfect & same_way & (np.abs(move[0]) > 2)).sum())


def _all_verticals(score: Score) -> np.ndarray:
    """Steps where a new sonority of the whole texture begins (any voice starts or stops)."""
    silent = score.pitches == REST
    stops = np.zeros_like(silent)
    stops[:, 1:] = silent[:, 1:] & ~silent[:, :-1]
    change = (score.onsets | stops).any(axis=0)
    if score.n_steps:
        change[0] = True
    return np.flatnonzero(change)


def spacing_count(score: Score) -> int:
    """Sonorities with soprano–alto or alto–tenor more than an octave apart."""
    if score.n_voices < 3:
        return 0
    cols = score.pitches[:3, _all_verticals(score)].astype(np.int32)
    sounding = (cols != REST).all(axis=0)
    wide = ((cols[0] - cols[1]) > 12) | ((cols[1] - cols[2]) > 12)
    return int((sounding & wide).sum())


def overlap_count(score: Score) -> int:
    """Adjacent voices where one moves beyond the other's previous pitch: the lower voice above
    where the upper just was, or the upper below where the lower just was."""
    count = 0
    for v in range(score.n_voices - 1):
        before, after, both = _moves(score, v, v + 1)
        over = (after[1] > before[0]) | (after[0] < before[1])
        moved = (after != before).any(axis=0)
        count += int((both & moved & over).sum())
    return count


def _awkward(interval: int, low_pc: int, high_pc: int, tonic: int, minor: bool) -> bool:
    size = abs(interval)
    if size % 12 in AWKWARD_ANY_KEY and size < 24:
        return True
    if not minor:
        return False
    # The raised leading tone against the lowered sixth and third of the minor scale.
    degrees = {(high_pc - tonic) % 12, (low_pc - tonic) % 12}
    return (size == 3 and degrees == {8, 11}) or (size in (4, 9) and degrees in ({11, 3}, {11, 8}))


def leap_count(score: Score) -> int:
    """Awkward melodic intervals in alto, tenor and bass between notes with no rest between."""
    count = 0
    minor = score.mode == "minor"
    for voice in (v for v in LOWER_VOICES if v < score.n_voices):
        notes = score.notes(voice)
        for (_, end, p1), (start, _, p2) in itertools.pairwise(notes):
            if start != end or p1 == p2:
                continue
            low, high = sorted((p1, p2))
            if _awkward(p2 - p1, low % 12, high % 12, score.tonic, minor):
                count += 1
            elif voice in (1, 2) and abs(p2 - p1) > 12:
                count += 1
    return count


def doubled_leading_tone_count(score: Score) -> int:
    """Four-voice sonorities with the key's leading tone in two or more voices."""
    if score.n_voices < 4:
        return 0
    cols = score.pitches[:4, _all_verticals(score)].astype(np.int32)
    sounding = (cols != REST).all(axis=0)
    leading = (cols % 12) == (score.tonic + 11) % 12
    return int((sounding & (leading.sum(axis=0) >= 2)).sum())


def _next_pitch(score: Score, voice: int, step: int) -> int | None:
    """The next different pitch the voice moves to after the note sounding at `step`, with no
    rest between; None when it rests, ends, or only repeats until the end."""
    row = score.pitches[voice]
    here = row[step]
    for t in range(step + 1, score.n_steps):
        if row[t] == REST:
            return None
        if row[t] != here:
            return int(row[t])
    return None


def unresolved_leading_tone_count(score: Score) -> int:
    """The leading tone in soprano or bass, on a beat's dominant chord (major or seventh chord
    on the fifth degree, diminished chord on the seventh), not rising a semitone next."""
    if score.n_voices < 4:
        return 0
    leading = (score.tonic + 11) % 12
    dominant_roots = {(score.tonic + 7) % 12: ("major", "dominant7"), leading: ("diminished",)}
    dominant_roots[leading] += ("half_diminished7", "diminished7")
    count = 0
    for step, (kind, root) in zip(beat_steps(score), _chords_at_beats(score), strict=False):
        if root is None or kind not in dominant_roots.get(root, ()):
            continue
        for voice in OUTER:
            pitch = int(score.pitches[voice, step])
            if pitch == REST or pitch % 12 != leading:
                continue
            after = _next_pitch(score, voice, step)
            if after is not None and after != pitch + 1:
                count += 1
    return count


def _chords_at_beats(score: Score) -> list[tuple[str, int | None]]:
    """The chord at every beat step, silent beats included as ("other", None). A diminished
    seventh chord (symmetric: any note may be its root) takes the key's leading tone as root
    when it holds it, as in the key it is the leading-tone seventh."""
    leading = (score.tonic + 11) % 12
    out = []
    for step in beat_steps(score):
        column = score.pitches[:, step]
        pcs = frozenset(int(p) % 12 for p in column[column != REST])
        if not pcs:
            out.append(("other", None))
            continue
        kind, root = chord_of(pcs)
        out.append((kind, leading if kind == "diminished7" and leading in pcs else root))
    return out


SEVENTH_ABOVE_ROOT = {name: max(CHORD_SHAPES[name]) for name in SEVENTHS}


def unresolved_seventh_count(score: Score) -> int:
    """The seventh of a seventh chord on a beat, not falling a half or whole step next (held or
    repeated notes wait for the next move; a rest or the end lets it go)."""
    count = 0
    for step, (kind, root) in zip(beat_steps(score), _chords_at_beats(score), strict=False):
        if root is None or kind not in SEVENTH_ABOVE_ROOT:
            continue
        seventh = (root + SEVENTH_ABOVE_ROOT[kind]) % 12
        for voice in range(score.n_voices):
            pitch = int(score.pitches[voice, step])
            if pitch == REST or pitch % 12 != seventh:
                continue
            after = _next_pitch(score, voice, step)
            if after is not None and not 1 <= pitch - after <= 2:
                count += 1
    return count


def notes_per_bar(score: Score, voice: int) -> float:
    bars = len(bar_spans(score))
    return len(score.notes(voice)) / bars if bars else float("nan")


def teacher_audit(score: Score, reference: Score | None = None) -> dict[str, float]:
    """The audit of one four-voice piece: each fault per bar (`audit_<fault>_per_bar`), the share
    of beats on each chord type (`chord_<type>`), tertian and thin shares, inner-voice notes per
    bar, and with a reference (Bach's harmonization of the same soprano) the chord distribution's
    distance from the reference's (`chord_distance`)."""
    bars = len(bar_spans(score))
    if score.n_voices < 4 or bars == 0:
        return {}
    similar, contrary = parallel_counts(score)
    counts = {
        "parallels_similar": similar,
        "parallels_contrary": contrary,
        "hidden_outer": hidden_outer_count(score),
        "spacing": spacing_count(score),
        "overlaps": overlap_count(score),
        "leaps": leap_count(score),
        "doubled_leading_tone": doubled_leading_tone_count(score),
        "unresolved_leading_tone": unresolved_leading_tone_count(score),
        "unresolved_seventh": unresolved_seventh_count(score),
    }
    out = {f"audit_{name}_per_bar": counts[name] / bars for name in FAULTS}
    shares = chord_distribution(score)
    out |= {f"chord_{kind}": share for kind, share in shares.items()}
    out["chord_tertian"] = sum(shares[k] for k in TERTIAN)
    for key, voice in zip(INNER_MOTION, LOWER_VOICES, strict=True):
        out[key] = notes_per_bar(score, voice)
    if reference is not None and reference.n_voices >= 4:
        out["chord_distance"] = distribution_distance(shares, chord_distribution(reference))
    return out


def pooled_chord_distance(generated: Mapping[str, float], bach: Mapping[str, float]) -> float:
    """The distance between two sets' chord distributions, from their averaged `chord_<type>`
    shares (pooling first: per-piece distances of short pieces are biased upwards)."""
    prefix = "chord_"
    keys = [k for k in bach if k.startswith(prefix) and k[len(prefix) :] in _TYPES]
    return distribution_distance(
        {k: generated.get(k, 0.0) for k in keys}, {k: bach[k] for k in keys}
    )


_TYPES = {*CHORD_SHAPES, "thin", "other"}
