"""Bach or not: can a classifier tell the model's harmonization from Bach's of the same soprano?

A classifier two-sample test (Lopez-Paz & Oquab, 2017). Every chorale is cut into windows
(`WINDOW_BARS` bars, all four voices, one bar apart, from the first bar line); Bach's windows
are one class, the model's windows of the same soprano the other. Classifiers are trained and
tested by cross-validation *grouped by chorale*: a chorale's windows (Bach's and the model's)
are all in one fold, so no test window has a near-copy in training. The held-out accuracy is the
figure: 0.5 means the classifier cannot tell, 1.0 that every window gives the model away. Its
95% confidence interval is a bootstrap over chorales (windows of one chorale are not
independent, so a binomial interval over windows would be too narrow).

The soprano is the same in both classes, so only the alto, tenor and bass (and how they sound
with the soprano) can tell. To be hard to fool, two strong classifiers are run and the stronger
is reported: a small 1-D conv net over the piano roll of the window (`cnn`, torch on the CPU)
and gradient boosting over musical window features (`boosting`: pitch classes and vertical
intervals, spacing, melodic intervals, notes per voice, motion between every pair of voices,
parallel perfect intervals by similar and contrary motion, the chord and its root on each
beat). A plain logistic regression on the same features (`logistic`) is run beside them as the
baseline. The headline is whichever of the three tells best (on the valid split the linear
baseline is often as good as the other two: ~860 training windows favour a simple model), since
the question is whether *any* of them can tell. Everything is seeded: the same inputs and seed
give the same figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from composer.constants import REST, STEPS_PER_BEAT
from composer.metrics.chords import CHORD_TYPES, chord_of
from composer.score import Score

WINDOW_BARS = 2
HOP_BARS = 1
FOLDS = 5
BOOTSTRAP = 2000
MIN_CHORALES = 4  # fewer cannot be cross-validated by chorale in a meaningful way
STRONG = ("cnn", "boosting")
BASELINE = "logistic"
CLASSIFIERS = (*STRONG, BASELINE)  # the headline is the best of those run
PAIRS = tuple((i, j) for i in range(4) for j in range(i + 1, 4))
MELODIC_BINS = 14  # |interval| 0..12 semitones, then anything over an octave
CHORD_INDEX = {kind: n for n, kind in enumerate(CHORD_TYPES)}


@dataclass
class Windows:
    """Windows of one class: piano-roll channels for the conv net, features for the others."""

    rolls: np.ndarray  # float32 (n, channels, steps), zero past a window's end
    features: np.ndarray  # float64 (n, features)
    groups: np.ndarray  # int (n,): the chorale each window comes from

    def __len__(self) -> int:
        return int(self.groups.shape[0])

    def subset(self, keep: np.ndarray) -> Windows:
        return Windows(self.rolls[keep], self.features[keep], self.groups[keep])


@dataclass(frozen=True)
class ClassifierResult:
    name: str
    accuracy: float
    ci_low: float
    ci_high: float
    seconds: float

    def as_dict(self) -> dict[str, float]:
        return {
            "accuracy": round(self.accuracy, 4),
            "ci_low": round(self.ci_low, 4),
            "ci_high": round(self.ci_high, 4),
            "seconds": round(self.seconds, 2),
        }


@dataclass
class BachOrNot:
    classifier: str  # the best of those run: the headline
    windows: int  # per class
    chorales: int
    folds: int
    seed: int
    results: dict[str, ClassifierResult] = field(default_factory=dict)

    @property
    def headline(self) -> ClassifierResult:
        return self.results[self.classifier]

    def as_dict(self) -> dict[str, object]:
        best = self.headline
        return {
            "accuracy": round(best.accuracy, 4),
            "ci_low": round(best.ci_low, 4),
            "ci_high": round(best.ci_high, 4),
            "classifier": self.classifier,
            "windows": self.windows,
            "chorales": self.chorales,
            "folds": self.folds,
            "seed": self.seed,
            "ci": "95%, bootstrap over chorales",
            "classifiers": {name: r.as_dict() for name, r in self.results.items()},
        }


# --- windows ------------------------------------------------------------------------------------


def window_spans(score: Score, bars: int = WINDOW_BARS, hop: int = HOP_BARS) -> list[int]:
    """Start steps of the windows: whole bars from the first bar line, `hop` bars apart."""
    bar = score.steps_per_bar
    first = score.pickup_steps % bar
    return list(range(first, score.n_steps - bars * bar + 1, hop * bar))


def _hist(values: np.ndarray, bins: int) -> np.ndarray:
    counts = np.bincount(values.astype(np.int64), minlength=bins)[:bins].astype(float)
    total = counts.sum()
    return counts / total if total else counts


def _melodic(row: np.ndarray, ons: np.ndarray) -> np.ndarray:
    """Histogram of |interval| between consecutive notes (rests skipped), and the share rising."""
    notes = row[ons & (row != REST)].astype(int)
    steps = np.diff(notes)
    hist = _hist(np.minimum(np.abs(steps), MELODIC_BINS - 1), MELODIC_BINS)
    rising = float((steps > 0).mean()) if steps.size else 0.0
    return np.append(hist, rising)


PAIR_UPPER = np.array([i for i, _ in PAIRS])
PAIR_LOWER = np.array([j for _, j in PAIRS])


def _motion(p: np.ndarray, o: np.ndarray) -> np.ndarray:
    """Per pair of voices (PAIRS order), 7 numbers: the shares of parallel, similar, contrary
    and oblique motion where either voice strikes a note, how often that happens per step, and
    parallel perfect intervals (unison, fifth, octave, compound) by similar and by contrary
    motion, per bar of 16 steps."""
    a, b = p[PAIR_UPPER].astype(int), p[PAIR_LOWER].astype(int)
    sounding = (a != REST) & (b != REST)
    both = sounding[:, :-1] & sounding[:, 1:] & (o[PAIR_UPPER, 1:] | o[PAIR_LOWER, 1:])
    da, db = np.diff(a, axis=1), np.diff(b, axis=1)
    before, after = a[:, :-1] - b[:, :-1], a[:, 1:] - b[:, 1:]
    moving = both & (da != 0) & (db != 0)
    same = np.sign(da) == np.sign(db)
    parallel = moving & same & (before == after)
    similar = moving & same & (before != after)
    contrary = moving & ~same
    oblique = both & ((da != 0) ^ (db != 0))
    kept = before % 12
    perfect = moving & ((kept == 0) | (kept == 7)) & (kept == after % 12)
    counts = np.stack([parallel, similar, contrary, oblique, perfect & same, perfect & ~same]).sum(
        axis=2
    )  # (6 kinds, 6 pairs)
    changes = counts[:4].sum(axis=0)
    steps = p.shape[1]
    shares = counts[:4] / np.maximum(changes, 1)
    rates = np.stack([changes / steps, counts[4] / steps * 16, counts[5] / steps * 16])
    return np.concatenate([shares, rates]).T.ravel()


def window_features(p: np.ndarray, o: np.ndarray, tonic: int) -> np.ndarray:
    """What a harmony teacher looks at in a window, as one vector (pitches relative to the key).

    Pitch classes of A/T/B; vertical interval classes, spacing and crossings of every pair;
    melodic intervals and notes per beat of every voice; motion types of every pair; the chord
    type and its root on each beat; the register of every voice.
    """
    sounding = p != REST
    rel = np.where(sounding, (p.astype(int) - tonic) % 12, 0)
    steps = p.shape[1]
    parts: list[np.ndarray] = []
    for v in (1, 2, 3):
        parts.append(_hist(rel[v][sounding[v]], 12))
    for i, j in PAIRS:
        both = sounding[i] & sounding[j]
        gap = (p[i].astype(int) - p[j].astype(int))[both]
        parts.append(_hist(gap % 12, 12))
        if gap.size:
            parts.append(np.array([gap.mean() / 12, (gap > 12).mean(), (gap < 0).mean()]))
        else:
            parts.append(np.zeros(3))
    for v in range(4):
        parts.append(_melodic(p[v], o[v]))
        parts.append(np.array([o[v].sum() / steps * STEPS_PER_BEAT]))
    parts.append(_motion(p, o))
    kinds, roots = [], []
    for t in range(0, steps, STEPS_PER_BEAT):
        column = p[:, t][p[:, t] != REST]
        if column.size:
            kind, root = chord_of(frozenset(int(x) % 12 for x in column))
            kinds.append(CHORD_INDEX[kind])
            roots.append(12 if root is None else (root - tonic) % 12)
    parts.append(_hist(np.array(kinds, dtype=int), len(CHORD_TYPES)))
    parts.append(_hist(np.array(roots, dtype=int), 13))
    for v in range(4):
        notes = p[v][sounding[v]].astype(float)
        parts.append(
            np.array([(notes.mean() - 60) / 12, notes.std() / 12]) if notes.size else np.zeros(2)
        )
    return np.concatenate(parts)


ROLL_CHANNELS = 4 * 15 + len(PAIRS) * 12 + 2


def window_roll(p: np.ndarray, o: np.ndarray, tonic: int, bar: int, length: int) -> np.ndarray:
    """The conv net's view of a window, (ROLL_CHANNELS, length): per voice the pitch class
    relative to the tonic (one-hot), the height, onsets and rests; per pair of voices the
    interval class (one-hot); beat and bar lines. Zero after the window's end."""
    steps = p.shape[1]
    roll = np.zeros((ROLL_CHANNELS, length), dtype=np.float32)
    sounding = p != REST
    t = np.arange(steps)
    for v in range(4):
        base = v * 15
        on = sounding[v]
        roll[base + (p[v][on].astype(int) - tonic) % 12, t[on]] = 1.0
        roll[base + 12, :steps] = np.where(on, (p[v].astype(float) - 60) / 12, 0.0)
        roll[base + 13, :steps] = o[v]
        roll[base + 14, :steps] = ~on
    base = 60
    for n, (i, j) in enumerate(PAIRS):
        both = sounding[i] & sounding[j]
        ic = (p[i].astype(int) - p[j].astype(int))[both] % 12
        roll[base + 12 * n + ic, t[both]] = 1.0
    roll[-2, :steps] = t % STEPS_PER_BEAT == 0
    roll[-1, :steps] = t % bar == 0
    return roll


def roll_length(scores: Sequence[Score]) -> int:
    """Steps of the longest window among the scores' meters (the conv net's input length)."""
    return max(
        (WINDOW_BARS * s.steps_per_bar for s in scores), default=WINDOW_BARS * 4 * STEPS_PER_BEAT
    )


def chorale_windows(
    scores: Sequence[Score], groups: Sequence[int] | None = None, length: int | None = None
) -> Windows:
    """The windows of the scores; window i of score k belongs to group groups[k] (default k).
    Rolls are `length` steps (default: `roll_length(scores)`)."""
    groups = list(range(len(scores))) if groups is None else list(groups)
    length = roll_length(scores) if length is None else length
    rolls, features, owner = [], [], []
    for score, group in zip(scores, groups, strict=True):
        span = WINDOW_BARS * score.steps_per_bar
        for start in window_spans(score):
            p = score.pitches[:4, start : start + span]
            o = score.onsets[:4, start : start + span]
            rolls.append(window_roll(p, o, score.tonic, score.steps_per_bar, length))
            features.append(window_features(p, o, score.tonic))
            owner.append(group)
    n_features = window_features(np.full((4, 1), 60), np.ones((4, 1), bool), 0).shape[0]
    return Windows(
        rolls=np.stack(rolls) if rolls else np.zeros((0, ROLL_CHANNELS, length), np.float32),
        features=np.stack(features) if features else np.zeros((0, n_features)),
        groups=np.array(owner, dtype=int),
    )


# --- classifiers --------------------------------------------------------------------------------
# Each fits on (x_train, y_train) and returns P(fake) for x_test. The hyperparameters are fixed
# (chosen once on the valid split's bach-vs-model windows, never per fold) and small: the test
# runs inside `composer evaluate`, on one CPU thread, in seconds.

Proba = np.ndarray


def _boosting(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, seed: int) -> Proba:
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(
        max_iter=100,
        learning_rate=0.15,
        max_leaf_nodes=15,
        min_samples_leaf=10,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )
    model.fit(x_train, y_train)
    return model.predict_proba(x_test)[:, 1]


def _logistic(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, seed: int) -> Proba:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))
    model.fit(x_train, y_train)
    return model.predict_proba(x_test)[:, 1]


CNN_EPOCHS = 12
CNN_BATCH = 64
CNN_WIDTH = 32


def _cnn(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, seed: int) -> Proba:
    """A small dilated 1-D conv net over the window's roll (a receptive field of 15 steps, about
    a bar), pooled over time by mean and max."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    width = CNN_WIDTH
    net = nn.Sequential(
        nn.Conv1d(x_train.shape[1], width, 1),  # each step's notes and intervals, mixed
        nn.ReLU(),
        nn.Conv1d(width, width, 3, padding=1),
        nn.ReLU(),
        nn.Conv1d(width, width, 3, padding=2, dilation=2),
        nn.ReLU(),
        nn.Conv1d(width, width, 3, padding=4, dilation=4),
        nn.ReLU(),
    )
    head = nn.Sequential(nn.Dropout(0.2), nn.Linear(2 * width, 1))
    params = [*net.parameters(), *head.parameters()]
    optimizer = torch.optim.AdamW(params, lr=3e-3, weight_decay=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()

    def logits(x: torch.Tensor) -> torch.Tensor:
        h = net(x)
        return head(torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)).squeeze(1)

    xs, ys = torch.from_numpy(x_train), torch.from_numpy(y_train.astype(np.float32))
    generator = torch.Generator().manual_seed(seed)
    net.train()
    head.train()
    for _ in range(CNN_EPOCHS):
        order = torch.randperm(len(xs), generator=generator)
        for start in range(0, len(xs), CNN_BATCH):
            batch = order[start : start + CNN_BATCH]
            optimizer.zero_grad()
            loss_fn(logits(xs[batch]), ys[batch]).backward()
            optimizer.step()
    net.eval()
    head.eval()
    with torch.no_grad():
        return torch.sigmoid(logits(torch.from_numpy(x_test))).numpy().astype(float)


FITS: dict[str, Callable[[np.ndarray, np.ndarray, np.ndarray, int], np.ndarray]] = {
    "cnn": _cnn,
    "boosting": _boosting,
    "logistic": _logistic,
}


# --- the test -----------------------------------------------------------------------------------


def fold_of_groups(groups: np.ndarray, folds: int, seed: int) -> dict[int, int]:
    """Each chorale's fold: the chorales in a seeded random order, dealt round the folds."""
    unique = np.unique(groups)
    order = np.random.default_rng(seed).permutation(unique)
    return {int(g): n % folds for n, g in enumerate(order)}


def bootstrap_ci(
    correct: np.ndarray, groups: np.ndarray, seed: int, draws: int = BOOTSTRAP
) -> tuple[float, float]:
    """95% percentile interval of the accuracy, resampling whole chorales with replacement."""
    unique, index = np.unique(groups, return_inverse=True)
    hits = np.bincount(index, weights=correct.astype(float), minlength=len(unique))
    counts = np.bincount(index, minlength=len(unique)).astype(float)
    picks = np.random.default_rng(seed).integers(0, len(unique), size=(draws, len(unique)))
    accuracies = hits[picks].sum(axis=1) / counts[picks].sum(axis=1)
    low, high = np.percentile(accuracies, [2.5, 97.5])
    return float(low), float(high)


def two_sample_test(
    real: Windows,
    fake: Windows,
    *,
    seed: int = 0,
    folds: int = FOLDS,
    classifiers: Sequence[str] = CLASSIFIERS,
) -> BachOrNot:
    """Held-out accuracy of each classifier telling `real` (label 0) from `fake` (label 1)
    windows, cross-validated by group: a group's windows of both classes share one fold."""
    groups = np.concatenate([real.groups, fake.groups])
    n_groups = len(np.unique(groups))
    if n_groups < MIN_CHORALES:
        raise ValueError(f"needs windows of at least {MIN_CHORALES} chorales, got {n_groups}")
    folds = min(folds, n_groups)
    labels = np.concatenate([np.zeros(len(real), int), np.ones(len(fake), int)])
    rolls = np.concatenate([real.rolls, fake.rolls])
    features = np.concatenate([real.features, fake.features])
    fold_by_group = fold_of_groups(groups, folds, seed)
    fold = np.array([fold_by_group[int(g)] for g in groups])
    result = BachOrNot(classifier="", windows=len(real), chorales=n_groups, folds=folds, seed=seed)
    with _one_thread():
        for name in classifiers:
            result.results[name] = _cross_validate(
                name, rolls, features, labels, groups, fold, seed
            )
    result.classifier = max(classifiers, key=lambda n: result.results[n].accuracy)
    return result


def _cross_validate(
    name: str,
    rolls: np.ndarray,
    features: np.ndarray,
    labels: np.ndarray,
    groups: np.ndarray,
    fold: np.ndarray,
    seed: int,
) -> ClassifierResult:
    """Every window predicted by the classifier trained on the other folds; the accuracy and CI."""
    start = time.perf_counter()
    inputs = rolls if name == "cnn" else features
    predicted = np.zeros(len(labels), dtype=int)
    for k in np.unique(fold):
        test = fold == k
        probability = FITS[name](inputs[~test], labels[~test], inputs[test], seed + int(k))
        predicted[test] = probability > 0.5
    correct = predicted == labels
    low, high = bootstrap_ci(correct, groups, seed)
    return ClassifierResult(name, float(correct.mean()), low, high, time.perf_counter() - start)


@contextmanager
def _one_thread() -> Iterator[None]:
    """One CPU thread for torch, BLAS and OpenMP while the classifiers train: on a shared
    two-core machine, thread pools fighting each other were several times slower, and one
    thread keeps the sums (so the figures) the same from run to run."""
    import torch
    from threadpoolctl import threadpool_limits

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1):
            yield
    finally:
        torch.set_num_threads(threads)


def bach_or_not(
    bach: Sequence[Score],
    generated: Sequence[Score],
    *,
    seed: int = 0,
    classifiers: Sequence[str] = CLASSIFIERS,
) -> BachOrNot:
    """The two-sample test of Bach's chorales against the model's harmonizations of their
    sopranos (generated[k] harmonizes bach[k]'s soprano)."""
    if len(bach) != len(generated):
        raise ValueError("one generated harmonization per Bach chorale")
    length = roll_length([*bach, *generated])
    return two_sample_test(
        chorale_windows(bach, length=length),
        chorale_windows(generated, length=length),
        seed=seed,
        classifiers=classifiers,
    )
