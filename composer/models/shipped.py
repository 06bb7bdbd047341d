"""The models that ship with composer, as the pipeline uses them: the GAN draft, the AR-CNN's
refinement and embellishment, and `hybrid` (the draft refined). Weights load once per process
and device (composer.models.weights.load_once); without the AR-CNN's weights the GAN composes
alone and the variations are embellished by rule, said in `Models.notes`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from composer.models import arcnn, gan
from composer.models.decoding import keep_sound_changes
from composer.models.diminution import embellish_by_rule
from composer.score import Score

Harmonizer = Callable[..., Score]
Refiner = Callable[..., Score]
Embellisher = Callable[..., Score]

REFINE_SHARE = 0.5
# Gibbs steps of the refinement. Measured on valid over two seeds, 8 steps against 16: Bach or
# not 0.74 against 0.75, chord distribution 0.026 against 0.031 from Bach's, hidden outer fifths
# the same, unresolved sevenths 0.090 against 0.075 a bar (Bach 0.071); in half the time.
REFINE_ITERATIONS = 8
# Gibbs steps of a variation's embellishment. Measured on the seven sample tunes over six
# seeds, 16 steps against 24: 343 notes embellished against 360, the variations' unresolved
# sevenths 0.082 against 0.087 a bar and thin beats 3.4 % against 3.5 %, every other audit
# figure the same; in two thirds of the time.
EMBELLISH_ITERATIONS = 16
EMBELLISH_REMOVE = 0.3


class MissingWeights(RuntimeError):
    """The trained models compose needs are not installed."""


@dataclass
class Models:
    harmonizer: Harmonizer
    refiner: Refiner | None
    embellisher: Embellisher
    notes: list[str] = field(default_factory=list)  # what fell back, in words
    names: tuple[str, str, str] = ("", "", "")  # harmonizer, refiner, embellisher


def load_models(device: str = "cpu") -> Models:
    """The shipped models on `device`. MissingWeights when there is no harmonizer at all."""
    model = arcnn.shipped_arcnn(device) if arcnn.SHIPPED_ARCNN.exists() else None
    if gan.SHIPPED_GAN.exists():
        harmonizer = gan_harmonizer(gan.shipped_generator(device), device=device)
        first = "GAN draft"
    elif model is not None:
        harmonizer, first = arcnn_harmonizer(model), "AR-CNN harmonization"
    else:
        raise MissingWeights(
            f"no trained harmonizer: neither {gan.SHIPPED_GAN} nor {arcnn.SHIPPED_ARCNN} exists"
            " (train one with `composer train gan`)"
        )
    if model is None:
        return Models(
            harmonizer,
            None,
            embellish_by_rule,
            notes=["AR-CNN weights missing: GAN only, variations embellished by rule"],
            names=(first, "", "rule-based diminution"),
        )
    return Models(
        harmonizer,
        arcnn_refiner(model) if first == "GAN draft" else None,
        arcnn_embellisher(model),
        names=(first, "AR-CNN refinement", "AR-CNN embellishment"),
    )


def gan_harmonizer(generator: gan.Generator, device: str = "cpu") -> Harmonizer:
    return partial(gan.harmonize, generator, device=device)


def arcnn_harmonizer(model: arcnn.Arcnn) -> Harmonizer:
    return partial(arcnn.harmonize, model)


def arcnn_refiner(model: arcnn.Arcnn, iterations: int = REFINE_ITERATIONS) -> Refiner:
    return partial(arcnn.refine, model, share=REFINE_SHARE, iterations=iterations)


def arcnn_embellisher(model: arcnn.Arcnn, iterations: int = EMBELLISH_ITERATIONS) -> Embellisher:
    return partial(arcnn.embellish, model, remove=EMBELLISH_REMOVE, iterations=iterations)


def refine_soundly(draft: Score, refiner: Refiner, seed: int) -> Score:
    """The refiner's rewrite of the draft, keeping only the changes that add no parallel fifth,
    octave or voice crossing and no 16th-note flicker in the lower voices
    (`composer.models.decoding.keep_sound_changes`): the statement's harmony changes, its rhythm
    stays calm; the variations' embellishments bring the quick notes.

    Thin beats (two pitch classes) are not counted: a change that turned a beat on no chord into
    a thin one was refused for it, which left the hybrid 1.6 % thin beats against Bach's 3.2 % on
    valid, a tell of its own (a beat on no chord still counts). Without that count the hybrid has
    1.9-2.7 % and was harder to tell from Bach on each of three seeds (Bach or not 0.718, 0.735,
    0.722 → 0.708, 0.728, 0.708), every audit figure as it was."""
    proposal = refiner(draft, seed=seed)
    return keep_sound_changes(draft, proposal, seed=seed, steady_rhythm=True, thin_too=False)


def hybrid_harmonizer(melody: Score, seed: int = 0, device: str = "cpu") -> Score:
    """GAN draft refined by the AR-CNN, with the shipped weights: the `hybrid` model."""
    models = load_models(device)
    draft = models.harmonizer(melody, seed=seed)
    return refine_soundly(draft, models.refiner, seed + 1) if models.refiner else draft
