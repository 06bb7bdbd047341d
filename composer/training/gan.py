"""Training the models, nanoGPT style: a plain config dataclass and one readable loop per model.

    python -m composer.training gan --recipe cpu --out runs/gan-cpu
    python -m composer.training gan --recipe gpu --device cuda --out runs/gan-gpu

Needs only torch, numpy and the committed dataset (tqdm and matplotlib are used when present), so
it runs unchanged on a GPU machine that has none of the project's other packages. Every
`eval_every` steps the model harmonizes the valid chorales' melodies; the music metrics go to
`metrics.csv` and `metrics.png` beside Bach's own values. `--resume` continues from `ckpt.pt`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from composer.data.chorales import load_chorales
from composer.metrics import average_metrics, piece_metrics
from composer.models.device import device_name
from composer.models.features import REST_CLASS
from composer.models.gan import (
    Critic,
    GanConfig,
    Generator,
    fake_voices,
    harmonize,
    noise_like,
    sampled_voices,
    save_generator,
    voices_onehot,
)
from composer.score import Score
from composer.training.batches import Batch, ChoraleBatches, soprano_condition
from composer.training.common import (
    WATCHED,
    MetricsLog,
    config_from_args,
    progress_bar,
    reference_metrics,
    training_command,
    training_parser,
)

# Hooks of `train_gan`: after each step (step, losses) and after each validation (step, row, model).
StepCallback = Callable[[int, dict[str, float]], None]
EvalCallback = Callable[[int, dict[str, float], Generator], None]


@dataclass
class GanTrainConfig:
    steps: int = 2000
    batch_size: int = 32
    crop_steps: int = 128  # 8 bars of 4/4
    lr_generator: float = 1e-3
    lr_critic: float = 1e-3
    betas: tuple[float, float] = (0.5, 0.9)
    critic_steps: int = 1  # critic updates per generator update
    gp_weight: float = 10.0
    adversarial_weight: float = 0.1
    reconstruction_weight: float = 1.0
    augment: bool = True
    seed: int = 0
    eval_every: int = 250
    device: str = "cpu"
    threads: int = 0  # CPU threads; 0 = torch's default


RECIPES: dict[str, GanTrainConfig] = {
    # About an hour on 2 CPU cores.
    "cpu": GanTrainConfig(),
    # Minutes on one H100: a larger batch and more steps.
    "gpu": GanTrainConfig(
        steps=8000, batch_size=128, crop_steps=256, critic_steps=2, device="cuda"
    ),
    # Seconds: the smoke test of the training path.
    "tiny": GanTrainConfig(steps=30, batch_size=8, crop_steps=64, eval_every=15),
}


def validate(generator: Generator, chorales: list[Score], device: str) -> dict[str, float]:
    generator.eval()
    results = []
    for chorale in chorales:
        melody = chorale.with_pitches(chorale.pitches[:1], chorale.onsets[:1])
        results.append(piece_metrics(harmonize(generator, melody, device=device), chorale))
    generator.train()
    return average_metrics(results)


def _gradient_penalty(
    critic: Critic, real: torch.Tensor, fake: torch.Tensor, context: torch.Tensor
) -> torch.Tensor:
    alpha = torch.rand(real.shape[0], 1, 1, device=real.device)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    score = critic(mixed, context)
    (grad,) = torch.autograd.grad(score.sum(), mixed, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def reconstruction_loss(
    logits: torch.Tensor, strike_logits: torch.Tensor, batch: Batch, allowed: torch.Tensor
) -> torch.Tensor:
    """Cross-entropy towards Bach's A/T/B (and their repeated-note onsets) where Bach's note is
    one the voice may sing; padding and out-of-range notes are left out."""
    target = batch.classes[:, 1:]
    ok = (
        allowed[torch.arange(3, device=target.device)[None, :, None], target] & batch.valid[:, None]
    )
    target = target.masked_fill(~ok, -100)
    ce = F.cross_entropy(
        logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=-100
    )
    held = batch.classes[:, 1:, 1:] == batch.classes[:, 1:, :-1]
    held &= (batch.classes[:, 1:, 1:] != REST_CLASS) & ok[:, :, 1:]
    strike_targets = batch.strikes[:, 1:, 1:]
    bce = F.binary_cross_entropy_with_logits(
        strike_logits[:, :, 1:], strike_targets, reduction="none"
    )
    bce = (bce * held).sum() / held.sum().clamp(min=1)
    return ce + bce


def _generated(generator: Generator, batch: Batch) -> tuple[torch.Tensor, ...]:
    """The generator's logits for a batch, and the critic's real and fake inputs."""
    cond = soprano_condition(batch)
    noise = noise_like(generator.config, cond.shape[-1], cond.shape[0]).to(cond.device)
    logits, strikes = generator(cond, noise)
    onehot, onsets = sampled_voices(logits, strikes)
    real = voices_onehot(batch.classes, batch.onsets)
    fake = fake_voices(real[:, : real.shape[1] // 4], onehot, onsets)
    return logits, strikes, real, fake


def train_step_gan(
    generator: Generator,
    critic: Critic,
    opt_g: torch.optim.Optimizer,
    opt_d: torch.optim.Optimizer,
    batches: ChoraleBatches,
    config: GanTrainConfig,
) -> dict[str, float]:
    """`critic_steps` WGAN-GP critic updates, then one generator update; returns the losses."""
    for _ in range(config.critic_steps):
        batch = batches.sample(config.batch_size, config.augment)
        with torch.no_grad():
            _, _, real, fake = _generated(generator, batch)
        loss_d = critic(fake, batch.context).mean() - critic(real, batch.context).mean()
        gp = _gradient_penalty(critic, real, fake, batch.context)
        opt_d.zero_grad(set_to_none=True)
        (loss_d + config.gp_weight * gp).backward()
        opt_d.step()

    batch = batches.sample(config.batch_size, config.augment)
    logits, strikes, _, fake = _generated(generator, batch)
    loss_adv = -critic(fake, batch.context).mean()
    loss_rec = reconstruction_loss(logits, strikes, batch, generator.allowed)
    loss_g = config.adversarial_weight * loss_adv + config.reconstruction_weight * loss_rec
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()
    return {
        "loss_critic": loss_d.item(),
        "loss_generator": loss_adv.item(),
        "loss_reconstruction": loss_rec.item(),
    }


def train_gan(
    config: GanTrainConfig,
    out: str | Path,
    resume: bool = False,
    model_config: GanConfig | None = None,
    command: str = "",
    on_eval: EvalCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_step: StepCallback | None = None,
) -> Path:
    """Train the GAN; returns the path of the generator weights written to `out/gan.pt`.

    `command` is recorded in the weights' metadata for the model card. Optional hooks for a host
    that watches the run (the site's training jobs): `on_step(step, losses)` after every step,
    `on_eval(step, row, generator)` after every validation (row as in metrics.csv), and
    `should_stop()` after every step: when it says True the run ends there as if that were its
    last step (validated, checkpointed, weights written, `stopped_early` in their metadata). A
    hook that raises leaves the last checkpoint for `resume`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if config.threads:
        torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    device = config.device
    train_set = load_chorales("train")
    valid_set = load_chorales("valid")
    batches = ChoraleBatches(train_set, config.crop_steps, device=device, seed=config.seed)

    generator = Generator(model_config or GanConfig()).to(device)
    critic = Critic(generator.config).to(device)
    opt_g = torch.optim.Adam(generator.parameters(), lr=config.lr_generator, betas=config.betas)
    opt_d = torch.optim.Adam(critic.parameters(), lr=config.lr_critic, betas=config.betas)
    # Halve the learning rates twice over the run: early speed, late polish.
    sched = [
        torch.optim.lr_scheduler.MultiStepLR(o, [config.steps // 2, 3 * config.steps // 4], 0.3)
        for o in (opt_g, opt_d)
    ]
    step, elapsed = 0, 0.0
    ckpt_path = out / "ckpt.pt"
    if resume and ckpt_path.exists():
        ckpt = torch.load(ckpt_path, map_location=device, weights_only=False)
        generator.load_state_dict(ckpt["generator"])
        critic.load_state_dict(ckpt["critic"])
        opt_g.load_state_dict(ckpt["opt_g"])
        opt_d.load_state_dict(ckpt["opt_d"])
        for s, state in zip(sched, ckpt["sched"], strict=True):
            s.load_state_dict(state)
        step, elapsed = ckpt["step"], ckpt["elapsed"]
        batches.rng = np.random.default_rng(config.seed + step)

    log = MetricsLog(out, reference_metrics(valid_set))
    (out / "config.json").write_text(
        json.dumps({"train": asdict(config), "model": asdict(generator.config)}, indent=2)
    )
    bar = progress_bar(config.steps, step)
    began = time.monotonic() - elapsed
    losses = {"loss_critic": 0.0, "loss_generator": 0.0, "loss_reconstruction": 0.0}
    stopped_early = False
    while step < config.steps:
        losses = train_step_gan(generator, critic, opt_g, opt_d, batches, config)
        for s in sched:
            s.step()
        step += 1
        if bar is not None:
            bar.update(1)
            bar.set_postfix({k[5:]: f"{v:.3f}" for k, v in losses.items()})
        if on_step is not None:
            on_step(step, losses)
        stopped_early = step < config.steps and should_stop is not None and should_stop()
        if step % config.eval_every == 0 or step == config.steps or stopped_early:
            metrics = validate(generator, valid_set, device)
            elapsed = time.monotonic() - began
            row = {"step": step, "seconds": round(elapsed, 1), **losses, **metrics}
            log.add(row)
            torch.save(
                {
                    "generator": generator.state_dict(),
                    "critic": critic.state_dict(),
                    "opt_g": opt_g.state_dict(),
                    "opt_d": opt_d.state_dict(),
                    "sched": [s.state_dict() for s in sched],
                    "step": step,
                    "elapsed": elapsed,
                },
                ckpt_path,
            )
            summary = ", ".join(f"{k}={metrics[k]:.3f}" for k in WATCHED)
            message = f"step {step}: {summary}"
            print(message) if bar is None else bar.write(message)
            if on_eval is not None:
                on_eval(step, row, generator)
        if stopped_early:
            break
    if bar is not None:
        bar.close()

    final = log.rows[-1] if log.rows else {}
    meta = {
        "command": command,
        "device_name": device_name(device),
        "train_config": asdict(config),
        "steps": step,
        "stopped_early": stopped_early,
        "seconds": final.get("seconds"),
        "device": str(device),
        "valid_metrics": {k: final.get(k) for k in final},
        "bach_valid_metrics": log.reference,
    }
    weights = out / "gan.pt"
    save_generator(generator, weights, meta)
    return weights


def main(argv: list[str] | None = None) -> None:
    parser = training_parser("composer train gan", ["gan"], RECIPES, "runs/gan", __doc__)
    args = parser.parse_args(argv)
    config = config_from_args(args, RECIPES)
    command = training_command(argv)
    weights = train_gan(config, args.out, resume=args.resume, command=command)
    print(f"generator weights: {weights}")


if __name__ == "__main__":
    main()
