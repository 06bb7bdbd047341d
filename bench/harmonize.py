"""Harmonizing a chorale with each shipped model, as `composer harmonize --model M` does, with
the models loaded: seconds per valid chorale (median and slowest), on this machine's CPU with
torch on every core, and on the GPU where there is one.

Target (issue "Bach-like harmony"): a chorale harmonized in under 2 s on 2 CPU cores.
"""

from __future__ import annotations

import os
import statistics
import time

import torch

from bench.table import print_table
from composer.data.chorales import load_chorales
from composer.evaluation.evaluate import soprano_of
from composer.models.registry import get_harmonizer

MODELS = ("gan", "hybrid", "arcnn")
CHORALES = int(os.environ.get("HARMONIZE_CHORALES", "12"))  # the first valid chorales


def _devices() -> list[str]:
    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


def main() -> None:
    sopranos = [soprano_of(c) for c in load_chorales("valid")[:CHORALES]]
    rows = []
    for device in _devices():
        for name in MODELS:
            harmonize = get_harmonizer(name, device=device)
            harmonize(sopranos[0])  # loads the weights once, as a worker has them
            times = []
            for soprano in sopranos:
                began = time.perf_counter()
                harmonize(soprano)
                times.append(time.perf_counter() - began)
            rows.append(
                [name, device, len(times), round(statistics.median(times), 2), round(max(times), 2)]
            )
    print_table(
        f"Harmonizing a valid chorale ({os.cpu_count()} cores, torch on "
        f"{torch.get_num_threads()} threads); target under 2 s",
        ["model", "device", "chorales", "median s", "slowest s"],
        rows,
    )


if __name__ == "__main__":
    main()
