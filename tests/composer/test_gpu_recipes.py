"""The GPU recipes, shrunk to a couple of steps on the CPU: their settings and their full-size
models fit the training code (their minutes on an H100 need a GPU and are not run here)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch

from composer.data.chorales import load_chorales
from composer.models.arcnn import Arcnn, masked_loss, orderless_mask
from composer.models.gan import load_generator
from composer.training.arcnn import MODEL_SIZES
from composer.training.arcnn import RECIPES as ARCNN_RECIPES
from composer.training.batches import ChoraleBatches
from composer.training.gan import RECIPES as GAN_RECIPES
from composer.training.gan import train_gan


def test_the_recipes_ask_for_a_gpu():
    assert GAN_RECIPES["gpu"].device == ARCNN_RECIPES["gpu"].device == "cuda"
    assert ARCNN_RECIPES["gpu"].model_size == "gpu"


def test_the_gan_gpu_recipe_trains_and_validates_on_the_cpu(tmp_path):
    config = replace(GAN_RECIPES["gpu"], steps=2, batch_size=4, device="cpu", eval_every=2)
    weights = train_gan(config, tmp_path)
    generator = load_generator(weights)
    assert sum(p.numel() for p in generator.parameters()) > 1_000_000
    assert (tmp_path / "metrics.csv").read_text().count("\n") >= 2


def test_the_arcnn_gpu_model_takes_a_training_step_at_the_recipes_crop():
    config = ARCNN_RECIPES["gpu"]
    torch.manual_seed(0)
    model = Arcnn(MODEL_SIZES[config.model_size])
    assert sum(p.numel() for p in model.parameters()) > 4_000_000  # Coconet-sized
    batches = ChoraleBatches(load_chorales("train")[:8], config.crop_steps, seed=0)
    batch = batches.sample(2, config.augment)
    hidden = orderless_mask(batch.valid, torch.Generator().manual_seed(0))
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr)
    before = [p.detach().clone() for p in model.parameters()]
    loss, strike_loss = masked_loss(model, batch.classes, batch.strikes, batch.context, hidden)
    (loss + config.strike_weight * strike_loss).backward()
    optimizer.step()
    assert np.isfinite(loss.item()) and loss.item() > 0
    assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
