"""compose: end-to-end time of a one-minute piece, with and without loading the models.

Target (issue "compose a polished one-minute track"): under 10 s on 2 CPU cores, under 1 s on a
GPU, model load excluded. The shipped weights are used when present; otherwise untrained models
of the shipped sizes, which take the same time. Audio rendering (FluidSynth, mastering) is timed
on its own: it runs on the CPU whatever device the models use.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from pathlib import Path

import torch

from bench.table import print_table
from composer.compose.pipeline import ComposedPiece, compose
from composer.data.samples import SAMPLES_DIR
from composer.midi.melody import extract_melody
from composer.models.arcnn import SHIPPED_ARCNN, Arcnn, ArcnnConfig, load_arcnn
from composer.models.gan import SHIPPED_GAN, GanConfig, Generator, load_generator
from composer.models.shipped import arcnn_embellisher, arcnn_refiner, gan_harmonizer

MELODY = SAMPLES_DIR / "ode-to-joy.mid"
RUNS = 3


def _devices() -> list[str]:
    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


def _sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def load(device: str) -> tuple[dict[str, object], str]:
    """The models as compose takes them, and whether they are the shipped ones."""
    if SHIPPED_GAN.exists():
        generator, which = load_generator(SHIPPED_GAN, device=device), "shipped"
    else:
        generator, which = Generator(GanConfig()).eval().to(device), "untrained"
    if SHIPPED_ARCNN.exists():
        arcnn = load_arcnn(SHIPPED_ARCNN, device=device)
    else:
        arcnn, which = Arcnn(ArcnnConfig()).eval().to(device), "untrained"
    models = {
        "harmonizer": gan_harmonizer(generator, device=device),
        "refiner": arcnn_refiner(arcnn),
        "embellisher": arcnn_embellisher(arcnn),
    }
    return models, which


def time_compose(device: str) -> tuple[float, float, str, ComposedPiece]:
    melody = extract_melody(MELODY).score
    began = time.perf_counter()
    models, which = load(device)
    _sync(device)
    load_s = time.perf_counter() - began
    piece = compose(melody, seed=0, **models)  # warm-up (first convolutions pick kernels)
    times = []
    for seed in range(RUNS):
        began = time.perf_counter()
        piece = compose(melody, seed=seed, **models)
        _sync(device)
        times.append(time.perf_counter() - began)
    return load_s, statistics.median(times), which, piece


def time_render(piece: ComposedPiece) -> float:
    from composer.render.outputs import write_composition

    with tempfile.TemporaryDirectory() as tmp:
        # Once to load the renderers (as a worker's warm-up does), then timed.
        for _ in range(2):
            began = time.perf_counter()
            written = write_composition(
                piece, Path(tmp) / "piece.mid", audio=Path(tmp) / "piece.wav"
            )
            if written.audio_error is not None:  # no FluidSynth here: the table says so
                return float("nan")
        return time.perf_counter() - began


def main() -> None:
    rows = []
    for device in _devices():
        load_s, compose_s, which, piece = time_compose(device)
        render = time_render(piece) if device == "cpu" else float("nan")
        rows.append(
            [
                device,
                which,
                f"{piece.seconds:.0f} s",
                f"{load_s:.2f} s",
                f"{compose_s:.2f} s",
                f"{load_s + compose_s:.2f} s",
                "n/a" if render != render else f"{render:.2f} s",
            ]
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print_table(
        f"compose a one-minute piece (threads {torch.get_num_threads()}, peak RSS {rss:.0f} MB;"
        " target < 10 s on 2 CPU cores, < 1 s on a GPU, load excluded)",
        ["device", "models", "piece", "load", "compose", "load + compose", "MIDI + WAV"],
        rows,
    )


if __name__ == "__main__":
    main()
