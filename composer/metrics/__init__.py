"""Music metrics of a four-voice Score (DESIGN §5), reported by `composer evaluate` and the API.

Conventions shared by every metric:

- A *bar* is a span of `Score.bar_starts()`: a pickup (anacrusis) is a bar of its own, and so is a
  final partial bar. "Per bar" divides a count by the number of such bars.
- A *note* is an entry of `Score.notes(v)`: one onset and the steps it is held.
- A *vertical* of a pair of voices is what the two sound together; a new vertical of the pair
  begins at a step where either voice starts a note (a repeated note too) or falls silent.
  Voice-leading metrics compare a pair's consecutive verticals, so a third voice moving in
  between does not hide a parallel.
- Voices are indexed 0..3 = soprano, alto, tenor, bass (`composer.constants.VOICES`); per-voice
  keys append the voice name, e.g. `empty_bar_rate_alto`.
- A value that is undefined (a rate over no notes, an average over no bars) is NaN;
  `average_metrics` skips NaNs and `jsonable` turns them into None, since JSON has no NaN.

Only numpy is imported, so the metrics run where only torch and numpy are installed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from composer.constants import REST, VOICE_RANGES, VOICES
from composer.metrics.audit import teacher_audit
from composer.metrics.coverage import lower_voice_coverage
from composer.metrics.verticals import bar_spans, pair_verticals
from composer.score import Score
from composer.theory import scale_pitch_classes

# Key for the AR-CNN's notewise negative log-likelihood (Coconet's protocol: the mean, over the
# A/T/B notes of a chorale, of -log p(note | the rest) under random orderings, in nats). It needs
# the model, so `composer.models.arcnn` computes it and adds it under this key; nothing here
# produces it.
NOTEWISE_NLL = "notewise_nll"

PERFECT_CLASSES = (0, 7)  # interval mod 12: unison/octave (any compound), fifth (any compound)
QUALIFIED_MIN_STEPS = 2  # an eighth note on the 16th grid


def voice_name(voice: int) -> str:
    return VOICES[voice] if voice < len(VOICES) else f"voice{voice}"


def _nan_if_empty(numerator: float, denominator: float) -> float:
    return float(numerator) / denominator if denominator else math.nan


def _parallels(score: Score, classes: Sequence[int]) -> int:
    count = 0
    for i in range(score.n_voices):
        for j in range(i + 1, score.n_voices):
            vert = pair_verticals(score, i, j)
            sounding = (vert != REST).all(axis=0)
            both = sounding[:-1] & sounding[1:]  # both voices sound at both verticals
            move = np.diff(vert, axis=1)
            similar = (np.sign(move[0]) == np.sign(move[1])) & (move[0] != 0)
            ic = np.abs(vert[0] - vert[1]) % 12
            same_perfect = (ic[:-1] == ic[1:]) & np.isin(ic[:-1], classes)
            count += int((both & similar & same_perfect).sum())
    return count


def parallel_5ths_8ves_per_bar(score: Score) -> float:
    """Consecutive (parallel) perfect fifths and octaves per bar, over all pairs of voices.

    A parallel is counted between two consecutive verticals of a pair of voices (see the module
    docstring) when both voices sound at both, both move in the same direction (neither holds or
    repeats its pitch), and the interval between them, taken mod 12, is a fifth (7) both times or
    an octave both times. Compound intervals count (a 12th to a 5th, a 15th to an octave), and a
    unison counts as an octave (0 mod 12). Fifths approached by contrary motion, hidden (direct)
    fifths approached from another interval, a fifth to an octave, and "staggered" fifths where
    the voices move at different steps are not counted.
    """
    return _nan_if_empty(parallel_count(score), len(bar_spans(score)))


def parallel_count(score: Score) -> int:
    """The number of parallel fifths and octaves in the piece (`parallel_5ths_8ves_per_bar`'s
    numerator)."""
    return _parallels(score, PERFECT_CLASSES)


def voice_crossings_per_bar(score: Score) -> float:
    """Voice crossings per bar: verticals where a voice sounds strictly above the next higher one.

    For each adjacent pair (soprano/alto, alto/tenor, tenor/bass), each vertical of the pair (see
    the module docstring) in which both sound and the lower voice's pitch is above the upper
    voice's counts once; a crossing held through several verticals counts each time, a unison is
    not a crossing. The count over all adjacent pairs is divided by the number of bars.
    """
    return _nan_if_empty(crossing_count(score), len(bar_spans(score)))


def crossing_count(score: Score) -> int:
    """The number of crossed verticals in the piece (`voice_crossings_per_bar`'s numerator)."""
    count = 0
    for v in range(score.n_voices - 1):
        upper, lower = pair_verticals(score, v, v + 1)
        count += int(((upper != REST) & (lower != REST) & (lower > upper)).sum())
    return count


def _voice_notes(score: Score, voices: Iterable[int] | None) -> list[tuple[int, list[int]]]:
    chosen = range(score.n_voices) if voices is None else voices
    return [(v, [p for _, _, p in score.notes(v)]) for v in chosen]


def out_of_range_rate(score: Score, voices: Iterable[int] | None = None) -> float:
    """Share of notes outside their voice's range, `composer.constants.VOICE_RANGES` (inclusive).

    Ranges (MIDI): soprano 60-81 (C4-A5), alto 53-74 (F3-D5), tenor 48-69 (C3-A4), bass 36-64
    (C2-E4). Over all notes of the given voices (default: all); voices beyond the fourth have no
    range and are skipped. NaN when there are no notes.
    """
    out = total = 0
    for v, pitches in _voice_notes(score, voices):
        if v >= len(VOICES):
            continue
        low, high = VOICE_RANGES[VOICES[v]]
        p = np.asarray(pitches)
        out += int(((p < low) | (p > high)).sum())
        total += len(pitches)
    return _nan_if_empty(out, total)


def in_scale_rate(score: Score, voices: Iterable[int] | None = None) -> float:
    """Share of notes whose pitch class is in the scale of the piece's key (`tonic`, `mode`).

    Major: the seven pitch classes of the major scale. Minor: the nine of natural, harmonic and
    melodic minor together (the 6th and 7th degrees both raised and lowered). Counted per note, not
    per step, over the given voices (default: all). One key for the whole piece, so modulations
    lower it. NaN when there are no notes.
    """
    scale = list(scale_pitch_classes(score.tonic, score.mode))
    inside = total = 0
    for _, pitches in _voice_notes(score, voices):
        inside += int(np.isin(np.asarray(pitches, dtype=np.int64) % 12, scale).sum())
        total += len(pitches)
    return _nan_if_empty(inside, total)


def _empty_bars(score: Score) -> np.ndarray:
    """bool (voices, bars): the voice is silent at every step of the bar."""
    silent = score.pitches == REST
    cols = [silent[:, a:b].all(axis=1) for a, b in bar_spans(score)]
    return np.stack(cols, axis=1) if cols else np.zeros((score.n_voices, 0), dtype=bool)


def empty_bar_rate(score: Score, voices: Iterable[int] | None = None) -> float:
    """Share of (voice, bar) pairs in which the voice rests for the whole bar.

    A bar counts as empty for a voice only if the voice sounds at none of its steps (a held note
    from the previous bar sounds, so it is not empty). Over the given voices (default: all) and all
    bars, the pickup included. 0.0 for a piece where every voice sings in every bar.
    """
    empty = _empty_bars(score)
    if voices is not None:
        empty = empty[list(voices)]
    return _nan_if_empty(empty.sum(), empty.size)


def pitch_classes_per_bar(score: Score, voices: Iterable[int] | None = None) -> float:
    """Mean number of distinct pitch classes (0-11, octave ignored) sounding in a bar.

    Counted over the given voices together (default: all four, so a bar with a C major triad in
    any spacing has 3), at every step of the bar, held notes included. Bars in which those voices
    are all silent are left out (`empty_bar_rate` measures silence). NaN with no sounding bar.
    """
    chosen = list(range(score.n_voices)) if voices is None else list(voices)
    counts = []
    for a, b in bar_spans(score):
        p = score.pitches[chosen, a:b]
        p = p[p != REST]
        if p.size:
            counts.append(len(np.unique(p % 12)))
    return float(np.mean(counts)) if counts else math.nan


def polyphony(score: Score) -> float:
    """Mean number of voices sounding at a step, over the steps where at least one voice sounds."""
    sounding = (score.pitches != REST).sum(axis=0)
    active = sounding[sounding > 0]
    return float(active.mean()) if active.size else math.nan


def qualified_note_rate(score: Score, voices: Iterable[int] | None = None) -> float:
    """Share of notes lasting at least two steps (an eighth note) on the 16th-note grid.

    MuseGAN's "qualified note" is one of at least 3 of its 96 steps per bar (a 32nd note), which
    every note on a 16th grid would pass; so here the shortest qualified note is the eighth, and
    16th notes (Bach's ornamental passing notes, or a model's fragmented output) do not qualify.
    Over the given voices (default: all). NaN when there are no notes.
    """
    chosen = range(score.n_voices) if voices is None else voices
    lengths = [end - start for v in chosen for start, end, _ in score.notes(v)]
    return _nan_if_empty(sum(n >= QUALIFIED_MIN_STEPS for n in lengths), len(lengths))


def _tonal_matrix() -> np.ndarray:
    """Harte, Sandler & Gasser (2006): pitch classes onto circles of fifths, minor, major thirds."""
    pc = np.arange(12)
    angles = (7 * np.pi / 6, 3 * np.pi / 2, 2 * np.pi / 3)
    radii = (1.0, 1.0, 0.5)
    rows = []
    for angle, radius in zip(angles, radii, strict=True):
        rows += [radius * np.sin(pc * angle), radius * np.cos(pc * angle)]
    return np.stack(rows)  # (6, 12)


TONAL_MATRIX = _tonal_matrix()


def bar_centroids(score: Score, voices: Sequence[int]) -> np.ndarray:
    """(bars, 6) tonal centroid of each bar's chroma over the voices; NaN rows for silent bars.

    The chroma counts, per pitch class, the (voice, step) cells sounding it, so longer notes weigh
    more; it is normalised to sum 1 before projecting with Harte's 6 x 12 matrix.
    """
    out = np.full((len(bar_spans(score)), 6), np.nan)
    for k, (a, b) in enumerate(bar_spans(score)):
        p = score.pitches[list(voices), a:b]
        p = p[p != REST]
        if p.size:
            chroma = np.bincount(p % 12, minlength=12).astype(float)
            out[k] = TONAL_MATRIX @ (chroma / chroma.sum())
    return out


def _mean_bar_distance(x: np.ndarray, y: np.ndarray) -> float:
    d = np.linalg.norm(x - y, axis=1)
    d = d[np.isfinite(d)]  # bars where either side is silent are left out
    return float(d.mean()) if d.size else math.nan


def tonal_distance(score: Score, reference: Score, voices: Sequence[int] | None = None) -> float:
    """Harte's tonal distance between two pieces of the same length, bar by bar.

    For each bar (of `score`), the Euclidean distance between the tonal centroid of the piece's
    chroma and that of the reference over the same voices (default: all but the soprano when
    there are several voices, since a harmonizer is given the reference's soprano); the mean over
    the bars where both sound. 0.0 for identical pieces; the centroid lies within a ball of radius
    sqrt(2.25) = 1.5, so distances are at most 3.
    """
    if score.n_steps != reference.n_steps:
        raise ValueError(
            f"tonal_distance needs equal lengths: {score.n_steps} vs {reference.n_steps}"
        )
    if voices is None:
        voices = list(range(1, score.n_voices)) if score.n_voices > 1 else [0]
    return _mean_bar_distance(bar_centroids(score, voices), bar_centroids(reference, voices))


def voice_tonal_distance(score: Score, voices_x: Sequence[int], voices_y: Sequence[int]) -> float:
    """Harte's tonal distance between two groups of voices of one piece, bar by bar.

    As MuseGAN compared its tracks: per bar, the distance between the tonal centroids of the two
    groups' chroma, averaged over bars where both sound. `piece_metrics` reports it for the melody
    (soprano) against the accompaniment (alto, tenor and bass together) as `tonal_distance_melody`:
    how well the harmony agrees with the tune.
    """
    return _mean_bar_distance(bar_centroids(score, voices_x), bar_centroids(score, voices_y))


def frame_accuracy(score: Score, reference: Score, voices: Sequence[int] = (1, 2, 3)) -> float:
    """Share of (voice, step) cells of the given voices (default A/T/B) equal to the reference's.

    A cell matches when both sound the same pitch or both rest; onsets are ignored (a repeated
    note matches a held one). Pieces must have the same length; NaN for no cells.
    """
    if score.n_steps != reference.n_steps:
        raise ValueError(
            f"frame_accuracy needs equal lengths: {score.n_steps} vs {reference.n_steps}"
        )
    chosen = [v for v in voices if v < min(score.n_voices, reference.n_voices)]
    same = score.pitches[chosen] == reference.pitches[chosen]
    return _nan_if_empty(same.sum(), same.size)


PER_VOICE = {
    "out_of_range_rate": out_of_range_rate,
    "in_scale_rate": in_scale_rate,
    "empty_bar_rate": empty_bar_rate,
    "pitch_classes_per_bar": pitch_classes_per_bar,
    "qualified_note_rate": qualified_note_rate,
}


def piece_metrics(score: Score, reference: Score | None = None) -> dict[str, float]:
    """Every metric of one piece, with per-voice keys; with a reference (Bach's harmonization of the
    same soprano) also `tonal_distance` and `frame_accuracy` (and its per-voice keys for A/T/B);
    for four voices the teacher's audit too (composer.metrics.audit)."""
    voices = range(score.n_voices)
    out: dict[str, float] = {
        "parallel_5ths_8ves_per_bar": parallel_5ths_8ves_per_bar(score),
        "voice_crossings_per_bar": voice_crossings_per_bar(score),
    }
    for name, metric in PER_VOICE.items():
        out[name] = metric(score)
        for v in voices:
            out[f"{name}_{voice_name(v)}"] = metric(score, [v])
    out["polyphony"] = polyphony(score)
    # alto, tenor and bass all sounding: the share of the melody's span (composer.metrics.coverage)
    out["lower_voice_coverage"] = lower_voice_coverage(score) if score.n_voices > 1 else math.nan
    out["tonal_distance_melody"] = (
        voice_tonal_distance(score, [0], list(voices)[1:]) if score.n_voices > 1 else math.nan
    )
    if reference is not None:
        out["tonal_distance"] = tonal_distance(score, reference)
        out["frame_accuracy"] = frame_accuracy(score, reference)
        for v in range(1, min(score.n_voices, reference.n_voices)):
            out[f"frame_accuracy_{voice_name(v)}"] = frame_accuracy(score, reference, [v])
    out |= teacher_audit(score, reference)
    return out


def average_metrics(pieces: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Mean of each key over the pieces (each piece weighs the same), skipping NaNs.

    Keys keep their first-seen order; a key that is NaN or missing in every piece is NaN.
    """
    keys = list(dict.fromkeys(k for piece in pieces for k in piece))
    out: dict[str, float] = {}
    for key in keys:
        values = np.array([p[key] for p in pieces if key in p], dtype=float)
        values = values[np.isfinite(values)]
        out[key] = float(values.mean()) if values.size else math.nan
    return out


def jsonable(metrics: Mapping[str, float]) -> dict[str, float | None]:
    """The metrics with NaN (undefined) as None, for JSON and the database."""
    return {k: (None if not math.isfinite(v) else float(v)) for k, v in metrics.items()}
