"""Training the AR-CNN, in the same style as composer.training.gan: a config dataclass and one loop.

    python -m composer.training arcnn --recipe cpu --out runs/arcnn-cpu
    python -m composer.training arcnn --recipe gpu --device cuda --out runs/arcnn-gpu

Coconet's objective on random transposed crops of the train chorales: per crop a mask size drawn
uniformly, cross-entropy on the hidden cells only, averaged over them. Every `eval_every` steps
the notewise NLL of the valid split (composer.models.arcnn.notewise_nll) and the music metrics of
harmonizations of valid melodies go to `metrics.csv` and `metrics.png` beside Bach's values;
`--resume` continues from `ckpt.pt`. Needs only torch, numpy and the committed dataset.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from composer.data.chorales import load_chorales
from composer.metrics import NOTEWISE_NLL, average_metrics, piece_metrics
from composer.models.arcnn import (
    Arcnn,
    ArcnnConfig,
    harmonize,
    masked_loss,
    notewise_nll,
    orderless_mask,
    save_arcnn,
)
from composer.models.device import device_name
from composer.score import Score
from composer.training.batches import ChoraleBatches
from composer.training.common import (
    WATCHED,
    MetricsLog,
    config_from_args,
    progress_bar,
    reference_metrics,
    training_command,
    training_parser,
)

# Model sizes by name, chosen with the recipe (or `--set model_size=...`).
MODEL_SIZES: dict[str, ArcnnConfig] = {
    # 8 blocks × 64 channels (16 convolutions): sized for two CPU cores.
    "cpu": ArcnnConfig(channels=64, dilations=(1, 2, 4, 8, 16, 1, 2, 4)),
    # 16 blocks × 128 channels (32 convolutions, Coconet's depth in 3×3 layers): for a GPU.
    "gpu": ArcnnConfig(channels=128, dilations=(1, 2, 4, 8, 16, 32) * 2 + (1, 2, 4, 8)),
    "tiny": ArcnnConfig(channels=8, dilations=(1, 2)),
}


@dataclass
class ArcnnTrainConfig:
    steps: int = 2500
    batch_size: int = 16
    crop_steps: int = 64  # 4 bars of 4/4; the net is convolutional, so any length runs later
    lr: float = 2e-3
    warmup_steps: int = 200
    min_lr_share: float = 0.05  # cosine decay to this share of lr
    weight_decay: float = 0.0
    grad_clip: float = 1.0
    strike_weight: float = 0.1  # the re-strike head's loss beside the pitch loss
    augment: bool = True
    model_size: str = "cpu"
    seed: int = 0
    eval_every: int = 500
    eval_passes: int = 4  # masks per valid chorale for the notewise NLL
    eval_harmonize: int = 8  # valid chorales harmonized for the music metrics (0 = all)
    eval_iterations: int = 16  # Gibbs steps of those harmonizations
    device: str = "cpu"
    threads: int = 0  # CPU threads; 0 = torch's default


RECIPES: dict[str, ArcnnTrainConfig] = {
    # About an hour on 2 CPU cores: 40k crops of 64 steps (12 crops/s measured on one thread
    # shared with another training job; 120 steps already gave notewise NLL 0.72).
    "cpu": ArcnnTrainConfig(),
    # The full model in minutes on one H100 (bf16).
    "gpu": ArcnnTrainConfig(
        steps=12000,
        batch_size=64,
        crop_steps=128,
        lr=1e-3,
        warmup_steps=500,
        model_size="gpu",
        eval_every=1000,
        eval_passes=16,
        eval_harmonize=0,
        eval_iterations=64,
        device="cuda",
    ),
    # Seconds: the smoke test of the training path.
    "tiny": ArcnnTrainConfig(
        steps=20,
        batch_size=4,
        crop_steps=32,
        warmup_steps=2,
        model_size="tiny",
        eval_every=10,
        eval_passes=2,
        eval_harmonize=2,
        eval_iterations=2,
    ),
}


class ArcnnMetricsLog(MetricsLog):
    """MetricsLog with the AR-CNN's losses in the first panel instead of the GAN's."""

    loss_panel = ("loss", NOTEWISE_NLL)


def validate(model: Arcnn, chorales: list[Score], config: ArcnnTrainConfig) -> dict[str, float]:
    """Notewise NLL on every valid chorale, and the metrics of harmonizations of some of them."""
    model.eval()
    result = notewise_nll(model, chorales, passes=config.eval_passes, seed=config.seed)
    chosen = chorales[: config.eval_harmonize] if config.eval_harmonize else chorales
    pieces = []
    for i, chorale in enumerate(chosen):
        melody = chorale.with_pitches(chorale.pitches[:1], chorale.onsets[:1])
        out = harmonize(model, melody, iterations=config.eval_iterations, seed=config.seed + i)
        pieces.append(piece_metrics(out, chorale))
    model.train()
    return {**result, **average_metrics(pieces)}


def _lr_at(step: int, config: ArcnnTrainConfig) -> float:
    """Linear warm-up, then cosine decay to min_lr_share of the peak."""
    if step < config.warmup_steps:
        return config.lr * (step + 1) / config.warmup_steps
    done = (step - config.warmup_steps) / max(1, config.steps - config.warmup_steps)
    share = config.min_lr_share + (1 - config.min_lr_share) * 0.5 * (1 + math.cos(math.pi * done))
    return config.lr * share


def _autocast(device: str) -> contextlib.AbstractContextManager[None]:
    if device.startswith("cuda"):
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def train_arcnn(
    config: ArcnnTrainConfig,
    out: str | Path,
    resume: bool = False,
    model_config: ArcnnConfig | None = None,
    command: str = "",
) -> Path:
    """Train the AR-CNN; returns the path of the weights written to `out/arcnn.pt`.

    `command` is recorded in the weights' metadata for the model card."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if config.threads:
        torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    device = config.device
    train_set = load_chorales("train")
    valid_set = load_chorales("valid")
    batches = ChoraleBatches(train_set, config.crop_steps, device=device, seed=config.seed)
    masks_rng = torch.Generator().manual_seed(config.seed)

    model = Arcnn(model_config or MODEL_SIZES[config.model_size]).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    step, elapsed = 0, 0.0
    ckpt_path = out / "ckpt.pt"
    if resume and ckpt_path.exists():
        ckpt = torch.load(ckpt_path, map_location=device, weights_only=False)
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["opt"])
        step, elapsed = ckpt["step"], ckpt["elapsed"]
        batches.rng = np.random.default_rng(config.seed + step)
        masks_rng.manual_seed(config.seed + step)

    log = ArcnnMetricsLog(out, reference_metrics(valid_set[: config.eval_harmonize or None]))
    (out / "config.json").write_text(
        json.dumps({"train": asdict(config), "model": asdict(model.config)}, indent=2)
    )
    bar = progress_bar(config.steps, step)
    began = time.monotonic() - elapsed
    model.train()
    losses = {"loss": math.nan, "loss_strike": math.nan}
    while step < config.steps:
        for group in opt.param_groups:
            group["lr"] = _lr_at(step, config)
        batch = batches.sample(config.batch_size, config.augment)
        hidden = orderless_mask(batch.valid, masks_rng)
        with _autocast(device):
            loss, strike_loss = masked_loss(
                model, batch.classes, batch.strikes, batch.context, hidden
            )
        opt.zero_grad(set_to_none=True)
        (loss + config.strike_weight * strike_loss).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
        opt.step()
        step += 1

        losses = {"loss": loss.item(), "loss_strike": strike_loss.item()}
        if bar is not None:
            bar.update(1)
            bar.set_postfix({k: f"{v:.3f}" for k, v in losses.items()})
        if step % config.eval_every == 0 or step == config.steps:
            metrics = validate(model, valid_set, config)
            elapsed = time.monotonic() - began
            log.add({"step": step, "seconds": round(elapsed, 1), **losses, **metrics})
            torch.save(
                {
                    "model": model.state_dict(),
                    "opt": opt.state_dict(),
                    "step": step,
                    "elapsed": elapsed,
                },
                ckpt_path,
            )
            shown = (NOTEWISE_NLL, *WATCHED)
            summary = ", ".join(f"{k}={metrics[k]:.3f}" for k in shown if k in metrics)
            message = f"step {step}: {summary}"
            print(message) if bar is None else bar.write(message)
    if bar is not None:
        bar.close()

    final = log.rows[-1] if log.rows else {}
    meta = {
        "command": command,
        "device_name": device_name(device),
        "train_config": asdict(config),
        "steps": step,
        "seconds": final.get("seconds"),
        "device": str(device),
        "valid_metrics": {k: final.get(k) for k in final},
        "bach_valid_metrics": log.reference,
        "notewise_nll_protocol": "composer.models.arcnn.notewise_nll, "
        f"{config.eval_passes} stratified masks per valid chorale",
    }
    weights = out / "arcnn.pt"
    save_arcnn(model, weights, meta)
    return weights


def main(argv: list[str] | None = None) -> None:
    parser = training_parser("composer train arcnn", ["arcnn"], RECIPES, "runs/arcnn", __doc__)
    args = parser.parse_args(argv)
    config = config_from_args(args, RECIPES)
    command = training_command(argv)
    weights = train_arcnn(config, args.out, resume=args.resume, command=command)
    print(f"AR-CNN weights: {weights}")


if __name__ == "__main__":
    main()
