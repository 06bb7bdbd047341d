"""AR-CNN: sampling time against the number of Gibbs steps, for a chorale-length harmonization
and for a one-minute piece, CPU and GPU where available.

Target (issue "AR-CNN"): a chorale-length melody harmonized in under 2 s on CPU. Each time
includes the voice-leading decoding that `--model arcnn` applies after sampling.
"""

from __future__ import annotations

import time

import numpy as np
import torch

from bench.table import print_table
from composer.constants import STEPS_PER_BEAT
from composer.data.chorales import load_chorales
from composer.models.arcnn import DEFAULT_RULES, SHIPPED_ARCNN, Arcnn, harmonize, load_arcnn

GIBBS_STEPS = (8, 16, 24, 32, 64)
MINUTE_BPM = 90  # a one-minute piece at this tempo: 90 beats


def _model(device: str) -> Arcnn:
    if not SHIPPED_ARCNN.exists():
        raise SystemExit(f"no AR-CNN weights at {SHIPPED_ARCNN}: train them first")
    return load_arcnn(SHIPPED_ARCNN, device=device)


def _melodies():  # type: ignore[no-untyped-def]
    valid = load_chorales("valid")
    median = sorted(valid, key=lambda c: c.n_steps)[len(valid) // 2]
    chorale = median.with_pitches(median.pitches[:1], median.onsets[:1])
    steps = MINUTE_BPM * STEPS_PER_BEAT
    reps = -(-steps // chorale.n_steps)
    long = chorale.with_pitches(
        np.tile(chorale.pitches, reps)[:, :steps], np.tile(chorale.onsets, reps)[:, :steps]
    )
    return {f"chorale ({chorale.n_steps} steps)": chorale, f"1-minute piece ({steps} steps)": long}


def _seconds(model: Arcnn, melody, iterations: int, device: str) -> float:  # type: ignore[no-untyped-def]
    harmonize(model, melody, iterations=2)  # warm-up
    if device == "cuda":
        torch.cuda.synchronize()
    began = time.perf_counter()
    harmonize(model, melody, iterations=iterations, seed=1, rules=DEFAULT_RULES)  # as shipped
    if device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - began


def main() -> None:
    devices = ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]
    rows = []
    for device in devices:
        model = _model(device)
        for name, melody in _melodies().items():
            times = [_seconds(model, melody, n, device) for n in GIBBS_STEPS]
            rows.append([device, name, *(f"{t:.2f} s" for t in times)])
    print_table(
        f"AR-CNN harmonization time by Gibbs steps (CPU threads {torch.get_num_threads()}; "
        "target < 2 s for a chorale on CPU)",
        ["device", "melody", *(f"{n} steps" for n in GIBBS_STEPS)],
        rows,
    )


if __name__ == "__main__":
    main()
