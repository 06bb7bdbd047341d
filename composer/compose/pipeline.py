"""`compose`: a melody becomes a finished piece of about a minute (DESIGN §4 "Pipeline").

melody → form (composer.form: tempo, repetitions, cut) → GAN draft of the whole body → AR-CNN
refinement → embellished variations → closing cadence → metrics and a plain-words summary.
The models are parameters, so the web worker loads them once and tests pass tiny ones:
- harmonizer(melody, seed=N) -> four voices (the GAN by default);
- refiner(draft, seed=N) -> four voices (AR-CNN `refine` by default);
- embellisher(score, risk=R, seed=N, protect_melody=B, add=K) -> four voices (AR-CNN `embellish`
  by default; Baroque diminution by rule when the AR-CNN's weights are missing).
A seed gives the same piece every time. Rendering (MIDI, audio, pictures, score) is in
composer.outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from composer.form import FormPlan, Section, finish, plan_form
from composer.metrics import parallel_count, piece_metrics, scale_pitch_classes
from composer.score import Score
from composer.voice_leading import keep_sound_changes

if TYPE_CHECKING:
    from composer.arcnn import Arcnn
    from composer.gan import Generator

Harmonizer = Callable[..., Score]
Refiner = Callable[..., Score]
Embellisher = Callable[..., Score]
Progress = Callable[[float, str], None]
Note = tuple[int, int, int, int]  # voice, start, end (exclusive), pitch

REFINE_SHARE = 0.5
REFINE_ITERATIONS = 16
EMBELLISH_ITERATIONS = 24
EMBELLISH_REMOVE = 0.3
ADD_PER_BAR = 4  # the AR-CNN's note budget per bar of a variation, at risk 1


class MissingWeights(RuntimeError):
    """The trained models compose needs are not installed."""


@dataclass
class Models:
    harmonizer: Harmonizer
    refiner: Refiner | None
    embellisher: Embellisher
    notes: list[str] = field(default_factory=list)  # what fell back, in words
    names: tuple[str, str, str] = ("", "", "")  # harmonizer, refiner, embellisher


@dataclass
class Composition:
    score: Score  # four voices, the whole piece
    plan: FormPlan
    sections: list[Section]
    embellished: list[Note]  # notes the embellisher added, for the piano roll
    tempo_bpm: float
    seconds: float
    metrics: dict[str, float]
    summary: str
    style: str
    seed: int
    models: str  # which models made it, in words


_models: dict[str, Models] = {}


def load_models(device: str = "cpu") -> Models:
    """The shipped models (loaded once per process): GAN draft, AR-CNN refinement and
    embellishment; without the AR-CNN the GAN alone and rule-based embellishment, said in
    `notes`. MissingWeights when there is no harmonizer at all."""
    if device in _models:
        return _models[device]
    from composer.arcnn import SHIPPED_ARCNN, shipped_arcnn
    from composer.gan import SHIPPED_GAN, shipped_generator

    arcnn = shipped_arcnn(device) if SHIPPED_ARCNN.exists() else None
    if SHIPPED_GAN.exists():
        harmonizer = gan_harmonizer(shipped_generator(device), device=device)
        first = "GAN draft"
    elif arcnn is not None:
        harmonizer, first = arcnn_harmonizer(arcnn), "AR-CNN harmonization"
    else:
        raise MissingWeights(
            f"no trained harmonizer: neither {SHIPPED_GAN} nor {SHIPPED_ARCNN} exists"
            " (train one with `composer train gan`)"
        )
    if arcnn is None:
        models = Models(
            harmonizer,
            None,
            embellish_by_rule_embellisher(),
            notes=["AR-CNN weights missing: GAN only, variations embellished by rule"],
            names=(first, "", "rule-based diminution"),
        )
    else:
        models = Models(
            harmonizer,
            arcnn_refiner(arcnn) if first == "GAN draft" else None,
            arcnn_embellisher(arcnn),
            names=(first, "AR-CNN refinement", "AR-CNN embellishment"),
        )
    _models[device] = models
    return models


def gan_harmonizer(generator: Generator, device: str = "cpu") -> Harmonizer:
    from composer.gan import harmonize

    return partial(harmonize, generator, device=device)


def arcnn_harmonizer(model: Arcnn) -> Harmonizer:
    from composer import arcnn

    return partial(arcnn.harmonize, model)


def arcnn_refiner(model: Arcnn, iterations: int = REFINE_ITERATIONS) -> Refiner:
    from composer import arcnn

    return partial(arcnn.refine, model, share=REFINE_SHARE, iterations=iterations)


def arcnn_embellisher(model: Arcnn, iterations: int = EMBELLISH_ITERATIONS) -> Embellisher:
    from composer import arcnn

    return partial(arcnn.embellish, model, remove=EMBELLISH_REMOVE, iterations=iterations)


def embellish_by_rule_embellisher() -> Embellisher:
    from composer.diminution import embellish_by_rule

    return embellish_by_rule


def _slice(score: Score, start: int, end: int) -> Score:
    return score.with_pitches(score.pitches[:, start:end], score.onsets[:, start:end])


def added_notes(before: Score, after: Score, offset: int = 0) -> list[Note]:
    """Notes of `after` that `before` does not have (same voice, start, end and pitch)."""
    out: list[Note] = []
    for v in range(after.n_voices):
        old = set(before.notes(v)) if v < before.n_voices else set()
        out += [
            (v, s + offset, e + offset, p) for s, e, p in after.notes(v) if (s, e, p) not in old
        ]
    return out


def compose(
    melody: Score,
    *,
    seconds: float = 60.0,
    style: str = "baroque",
    risk: float = 1.0,
    seed: int = 0,
    harmonizer: Harmonizer | None = None,
    refiner: Refiner | None = None,
    embellisher: Embellisher | None = None,
    progress: Progress | None = None,
) -> Composition:
    """A piece of about `seconds` on the melody (voice 0 of `melody`). Models not given are the
    shipped ones (see `load_models`); the shipped refiner joins only the shipped harmonizer, so a
    custom harmonizer without a refiner is used as it is. `progress(fraction, message)` hears of
    each stage."""
    report = progress or (lambda fraction, message: None)
    notes: list[str] = []
    names = ["custom harmonizer", "custom refiner" if refiner else "", "custom embellisher"]
    if harmonizer is None or embellisher is None:
        report(0.02, "loading the models")
        shipped = load_models()
        if harmonizer is None:
            harmonizer, names[0] = shipped.harmonizer, shipped.names[0]
            if refiner is None:
                refiner, names[1] = shipped.refiner, shipped.names[1]
            notes += shipped.notes
        if embellisher is None:
            embellisher, names[2] = shipped.embellisher, shipped.names[2]
    melody = melody.with_pitches(melody.pitches[:1], melody.onsets[:1])
    plan = plan_form(melody, seconds=seconds, style=style, risk=risk)
    report(0.1, f"form: statement and {plan.repeats - 1} variation(s) at {plan.tempo_bpm:.0f} BPM")
    body = harmonizer(plan.melody(), seed=seed)
    report(0.35, "harmonized")
    if refiner is not None:
        body = refine_soundly(body, refiner, seed + 1)
        report(0.6, "refined")
    sections = plan.sections()
    variations = [s for s in sections if s.kind == "variation"]
    embellished: list[Note] = []
    pitches, onsets = body.pitches.copy(), body.onsets.copy()
    for i, section in enumerate(variations, start=1):
        end = min(section.end, plan.body_steps)
        before = _slice(body, section.start, end)
        bars = (end - section.start) / plan.tune.steps_per_bar
        proposal = embellisher(
            before,
            risk=section.risk,
            seed=seed + 100 + i,
            protect_melody=i == 1,  # later variations may vary the tune itself
            add=max(1, round(ADD_PER_BAR * bars * section.risk)),
        )
        # Embellishments that would add a parallel fifth/octave or a crossing are left out.
        after = keep_sound_changes(before, proposal, seed=seed + i, melody_too=i > 1)
        pitches[:, section.start : end] = after.pitches
        onsets[:, section.start : end] = after.onsets
        embellished += added_notes(before, after, section.start)
        report(0.6 + 0.3 * i / len(variations), f"variation {i} embellished")
    score = finish(body.with_pitches(pitches, onsets), plan)
    score.name = melody.name
    metrics = piece_metrics(score)
    composition = Composition(
        score=score,
        plan=plan,
        sections=sections,
        embellished=embellished,
        tempo_bpm=plan.tempo_bpm,
        seconds=plan.seconds(),
        metrics=metrics,
        summary="",
        style=style,
        seed=seed,
        models=", ".join(n for n in names if n),
    )
    composition.summary = summarize(composition, notes)
    report(1.0, "done")
    return composition


def summarize(composition: Composition, notes: list[str] = ()) -> str:  # type: ignore[assignment]
    """One line in plain words: key, length, form, parallels, embellished notes, fallbacks."""
    from composer.melody import key_name

    score, plan = composition.score, composition.plan
    key = key_name(score.tonic, score.mode)
    scale = scale_pitch_classes(score.tonic, score.mode)
    sounding = score.pitches[score.pitches >= 0]
    in_key = float(np.isin(sounding % 12, list(scale)).mean()) if sounding.size else 1.0
    key_text = f"stays in {key}" if in_key >= 0.9 else f"mostly in {key} ({in_key:.0%} in scale)"
    variations = plan.repeats - 1
    parts = [
        key_text,
        f"{composition.seconds:.0f} s at {plan.tempo_bpm:.0f} BPM",
        f"statement, {variations} variation{'s' * (variations != 1)} and a cadence",
    ]
    bar = plan.tune.steps_per_bar
    if plan.trimmed_at is not None:
        parts.append(f"the tune cut to {plan.section_steps // bar} bars at a phrase end")
    if plan.reprise is not None:
        parts.append(f"the variation on its last {plan.reprise.n_steps // bar} bars")
    fifths = parallel_count(score)  # composer.metrics' own count, the number judges see
    parts.append(f"{fifths} parallel fifth{'s' * (fifths != 1)}/octaves")
    parts.append(f"{len(composition.embellished)} notes embellished")
    return ", ".join(parts + list(notes))


def hybrid_harmonizer(melody: Score, seed: int = 0) -> Score:
    """GAN draft refined by the AR-CNN, with the shipped weights: the `hybrid` model."""
    models = load_models()
    draft = models.harmonizer(melody, seed=seed)
    return refine_soundly(draft, models.refiner, seed + 1) if models.refiner else draft


def refine_soundly(draft: Score, refiner: Refiner, seed: int) -> Score:
    """The refiner's rewrite of the draft, keeping only the changes that add no parallel fifth,
    octave or voice crossing and no 16th-note flicker in the lower voices
    (`composer.voice_leading.keep_sound_changes`): the statement's harmony changes, its rhythm
    stays calm; the variations' embellishments bring the quick notes."""
    return keep_sound_changes(draft, refiner(draft, seed=seed), seed=seed, steady_rhythm=True)


def _register() -> None:
    from composer.arcnn import SHIPPED_ARCNN
    from composer.evaluate import register_harmonizer
    from composer.gan import SHIPPED_GAN

    if SHIPPED_GAN.exists() and SHIPPED_ARCNN.exists():
        register_harmonizer("hybrid", hybrid_harmonizer)


_register()
