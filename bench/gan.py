"""GAN: training throughput (samples/s) and harmonization latency with the model loaded.

Target (issue "GAN harmonizer"): a chorale-length melody harmonized in under 50 ms on CPU.
"""

from __future__ import annotations

import resource
import statistics
import time

import torch

from bench.table import print_table
from composer.data.chorales import load_chorales
from composer.models.gan import SHIPPED_GAN, Critic, GanConfig, Generator, harmonize, load_generator
from composer.training.batches import ChoraleBatches
from composer.training.gan import RECIPES, GanTrainConfig
from composer.training.gan import train_step_gan as train_step


def _devices() -> list[str]:
    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


def training_throughput(device: str, config: GanTrainConfig, steps: int = 10) -> float:
    generator = Generator(GanConfig()).to(device)
    critic = Critic(generator.config).to(device)
    opt_g = torch.optim.Adam(generator.parameters(), lr=config.lr_generator, betas=config.betas)
    opt_d = torch.optim.Adam(critic.parameters(), lr=config.lr_critic, betas=config.betas)
    batches = ChoraleBatches(load_chorales("train"), config.crop_steps, device=device)
    train_step(generator, critic, opt_g, opt_d, batches, config)  # warm-up
    if device == "cuda":
        torch.cuda.synchronize()
    began = time.perf_counter()
    for _ in range(steps):
        train_step(generator, critic, opt_g, opt_d, batches, config)
    if device == "cuda":
        torch.cuda.synchronize()
    return steps * config.batch_size / (time.perf_counter() - began)


def harmonize_latency(device: str, runs: int = 20) -> tuple[float, int]:
    if SHIPPED_GAN.exists():
        generator = load_generator(SHIPPED_GAN, device=device)
    else:  # an untrained model of the same size times the same
        generator = Generator(GanConfig()).eval().to(device)
    chorale = max(load_chorales("valid"), key=lambda c: c.n_steps)
    melody = chorale.with_pitches(chorale.pitches[:1], chorale.onsets[:1])
    harmonize(generator, melody, device=device)
    times = []
    for seed in range(runs):
        began = time.perf_counter()
        harmonize(generator, melody, seed=seed, device=device)
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000, melody.n_steps


def main() -> None:
    rows = []
    for device in _devices():
        recipe = "gpu" if device == "cuda" else "cpu"
        config = RECIPES[recipe]
        rate = training_throughput(device, config)
        latency, steps = harmonize_latency(device)
        rows.append(
            [
                device,
                recipe,
                f"{config.batch_size}×{config.crop_steps}",
                rate,
                f"{latency:.1f} ms",
                steps,
            ]
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print_table(
        f"GAN (threads {torch.get_num_threads()}, peak RSS {rss:.0f} MB; target < 50 ms on CPU)",
        ["device", "recipe", "batch", "train samples/s", "harmonize latency", "melody steps"],
        rows,
    )


if __name__ == "__main__":
    main()
