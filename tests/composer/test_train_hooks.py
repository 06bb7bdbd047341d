"""The hooks a host uses to watch and stop a GAN training run (the site's training jobs)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from composer.models.gan import GanConfig, Generator, load_generator
from composer.training.gan import RECIPES, train_gan

SMALL = GanConfig(
    channels=16, mid_channels=24, mid_dilations=(1, 2), noise_channels=4, critic_channels=16
)
CONFIG = replace(RECIPES["tiny"], steps=12, eval_every=4, batch_size=4, crop_steps=32)


def test_hooks_see_every_step_and_validation(tmp_path):
    steps: list[int] = []
    evals: list[tuple[int, float]] = []

    def on_eval(step: int, row: dict[str, float], generator: Generator) -> None:
        assert isinstance(generator, Generator)
        evals.append((step, row["in_scale_rate"]))

    train_gan(
        CONFIG,
        tmp_path,
        model_config=SMALL,
        on_step=lambda s, losses: steps.append(s),
        on_eval=on_eval,
    )
    assert steps == list(range(1, 13))
    assert [s for s, _ in evals] == [4, 8, 12]


def test_should_stop_ends_the_run_with_usable_weights(tmp_path):
    seen: list[int] = []
    weights = train_gan(
        CONFIG,
        tmp_path,
        model_config=SMALL,
        on_step=lambda s, losses: seen.append(s),
        should_stop=lambda: len(seen) >= 6,
    )
    assert seen[-1] == 6
    rows = (tmp_path / "metrics.csv").read_text().splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["4", "6"]
    assert load_generator(weights) is not None


class Interrupted(Exception):
    pass


def test_a_run_interrupted_by_a_hook_resumes_from_its_checkpoint(tmp_path):
    def interrupt(step: int, losses: dict[str, float]) -> None:
        if step == 10:
            raise Interrupted

    with pytest.raises(Interrupted):
        train_gan(CONFIG, tmp_path, model_config=SMALL, on_step=interrupt)
    assert not (tmp_path / "gan.pt").exists()
    resumed: list[int] = []
    train_gan(
        CONFIG, tmp_path, resume=True, model_config=SMALL, on_step=lambda s, _: resumed.append(s)
    )
    assert resumed == [9, 10, 11, 12]  # from the checkpoint at step 8
    assert (tmp_path / "gan.pt").exists()
