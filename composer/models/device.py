"""Which device a process computes on: the GPU when torch sees one, the CPU otherwise."""

from __future__ import annotations

import torch


def best_device() -> str:
    """ "cuda" on a worker with a CUDA GPU, else "cpu": what a generation worker composes on."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def device_name(device: str) -> str:
    """The device in words for logs and model cards: the GPU's name, or the CPU's thread count."""
    if str(device).startswith("cuda"):
        return torch.cuda.get_device_name(device)
    threads = torch.get_num_threads()
    return f"CPU, {threads} thread{'s' if threads > 1 else ''}"
