"""What a team may change when it trains its own GAN, and within which bounds.

Plain data, no torch: the web process validates with it and the worker turns it into composer's
`GanTrainConfig` (starting from `composer.training.gan.RECIPES["cpu"]`, whose values DEFAULTS
mirrors; a test checks they agree) and `GanConfig`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The shipped CPU recipe's values for the settings a team may change.
DEFAULTS: dict[str, Any] = {
    "steps": 2000,
    "learning_rate": 1e-3,
    "critic_steps": 1,
    "noise_channels": 16,
    "augment": True,
    "seed": 0,
    "size": "small",
}


@dataclass(frozen=True)
class Bound:
    low: float
    high: float
    label: str
    help: str


BOUNDS: dict[str, Bound] = {
    "steps": Bound(
        10, 20_000, "Training steps", "Generator updates; the time budget may end the run sooner."
    ),
    "learning_rate": Bound(
        1e-5, 1e-2, "Learning rate", "Adam's step size for both networks (shipped: 0.001)."
    ),
    "critic_steps": Bound(
        1,
        10,
        "Critic updates per generator update",
        "WGAN-GP's ratio; DeepComposer used 5, the shipped recipe 1.",
    ),
    "noise_channels": Bound(
        1,
        64,
        "Noise size",
        "Random channels beside the melody: more gives more varied harmonizations.",
    ),
    "seed": Bound(0, 2**31 - 1, "Seed", "Same seed and settings, same model."),
}

# Model sizes: the widths of composer.models.gan.GanConfig (noise_channels comes from the team's
# choice).
SIZES: dict[str, dict[str, Any]] = {
    "tiny": {"channels": 16, "mid_channels": 24, "mid_dilations": [1, 2], "critic_channels": 16},
    "small": {
        "channels": 48,
        "mid_channels": 64,
        "mid_dilations": [1, 2, 4, 8],
        "critic_channels": 48,
    },
    "standard": {
        "channels": 96,
        "mid_channels": 160,
        "mid_dilations": [1, 2, 4, 8, 1, 2, 4, 8],
        "critic_channels": 96,
    },
}
SIZE_CHOICES = [
    ("tiny", "Tiny — a first try in a minute or two on a CPU"),
    ("small", "Small — minutes on a CPU"),
    ("standard", "Standard — the shipped GAN's size (a GPU is best)"),
]


def eval_every(steps: int) -> int:
    """Validate (and play a sample) about eight times a run, at most every 250 steps."""
    return max(5, min(250, steps // 8))
