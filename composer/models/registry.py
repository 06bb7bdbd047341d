"""Harmonizers by name (`--model NAME`): the shipped models, found by their weights and loaded on
first use, and those registered at run time (a team's trained model, a deployment's own).

A harmonizer takes a soprano-only Score (with the melody's key, meter, pickup and tempo) and
returns a four-voice Score of the same length: harmonizer(melody) or harmonizer(melody, seed=N).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from composer.errors import InputError
from composer.score import Score

Harmonizer = Callable[..., Score]

# Registered at run time; a registered name stands in front of a shipped one of the same name.
harmonizers: dict[str, Harmonizer] = {}


@dataclass(frozen=True)
class ShippedModel:
    weights: Callable[[], list[Path]]  # the files it needs
    load: Callable[[str], Harmonizer]  # device -> harmonizer


def _gan(device: str, raw: bool = False) -> Harmonizer:
    from composer.models import gan

    kwargs = {"rules": None} if raw else {}
    return partial(gan.shipped_harmonizer, device=device, **kwargs)


def _arcnn(device: str, raw: bool = False) -> Harmonizer:
    from composer.models import arcnn

    kwargs = {"rules": None} if raw else {}
    return partial(arcnn.shipped_harmonizer, device=device, **kwargs)


def _hybrid(device: str) -> Harmonizer:
    from composer.models.shipped import hybrid_harmonizer

    return partial(hybrid_harmonizer, device=device)


def _gan_weights() -> list[Path]:
    from composer.models.gan import SHIPPED_GAN

    return [SHIPPED_GAN]


def _arcnn_weights() -> list[Path]:
    from composer.models.arcnn import SHIPPED_ARCNN

    return [SHIPPED_ARCNN]


SHIPPED: dict[str, ShippedModel] = {
    "gan": ShippedModel(_gan_weights, _gan),
    "gan-raw": ShippedModel(_gan_weights, partial(_gan, raw=True)),
    "arcnn": ShippedModel(_arcnn_weights, _arcnn),
    "arcnn-raw": ShippedModel(_arcnn_weights, partial(_arcnn, raw=True)),
    "hybrid": ShippedModel(lambda: _gan_weights() + _arcnn_weights(), _hybrid),
}


def register_harmonizer(name: str, harmonizer: Harmonizer) -> None:
    """Make a model available by name (composer evaluate --model NAME, the studio's models)."""
    harmonizers[name] = harmonizer


def _unavailable(name: str) -> str | None:
    """Why a shipped model cannot run here (its weights or torch missing), or None."""
    try:
        missing = [p for p in SHIPPED[name].weights() if not p.exists()]
    except ImportError as exc:
        return f"{name}: {exc}"
    return f"{name}: no weights at {missing[0]}" if missing else None


def available_harmonizers() -> list[str]:
    """The names that `get_harmonizer` answers here, sorted."""
    shipped = [name for name in SHIPPED if _unavailable(name) is None]
    return sorted({*harmonizers, *shipped})


def get_harmonizer(name: str, device: str = "cpu") -> Harmonizer:
    """The harmonizer called `name` on `device`; InputError naming the available ones otherwise."""
    if name in harmonizers:
        return harmonizers[name]
    if name in SHIPPED and _unavailable(name) is None:
        return SHIPPED[name].load(device)
    reasons = [r for r in map(_unavailable, SHIPPED) if r]
    why = f" (unavailable: {'; '.join(reasons)})" if reasons else ""
    available = ", ".join(["bach", *available_harmonizers()])
    raise InputError(f"model {name!r} is not available; available: {available}{why}")
