"""Hand-made model outputs for the decoder's tests: log-probabilities whose best answer is known."""

from __future__ import annotations

import numpy as np

from composer.constants import LOWEST_PITCH
from composer.models.features import N_CLASSES

FLOOR = -20.0  # the log-probability of every class a case does not name


def model_outputs(steps: int, choices: dict[tuple[int, int], dict[int, float]]) -> np.ndarray:
    """(3, steps, classes) log-probs; choices[(voice, step)] = {midi pitch: log-prob}."""
    out = np.full((3, steps, N_CLASSES), FLOOR)
    for (voice, step), options in choices.items():
        for pitch, value in options.items():
            out[voice, step, pitch - LOWEST_PITCH] = value
    return out


def held(voice: int, steps: range, options: dict[int, float]) -> dict:
    """The same options for one voice at every step of `steps`."""
    return {(voice, t): options for t in steps}
