"""Shipped weights on disk: a model's config, its tensors and the metadata its model card reads.

torch only, so weights written on a GPU machine load on the CPU build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import torch
from torch import nn


def save_weights(model: nn.Module, path: str | Path, meta: dict[str, object]) -> None:
    """Write `model.config` (a dataclass), its state on the CPU and `meta` to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    torch.save({"config": asdict(model.config), "state": state, "meta": meta}, path)  # type: ignore[call-overload]


def read_weights(path: str | Path, device: str = "cpu") -> dict[str, Any]:
    """{"config", "state", "meta"} as `save_weights` wrote them (JSON-like lists stay lists)."""
    return torch.load(Path(path), map_location=device, weights_only=True)


ModelT = TypeVar("ModelT")
_loaded: dict[tuple[str, str], Any] = {}


def load_once(path: str | Path, load: Callable[..., ModelT], device: str = "cpu") -> ModelT:
    """`load(path, device=device)`, once per process, path and device: every caller of a shipped
    model shares one copy of it."""
    key = (str(path), device)
    if key not in _loaded:
        _loaded[key] = load(path, device=device)
    return _loaded[key]
