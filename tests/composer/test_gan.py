"""The GAN harmonizer's guarantees, on a small untrained model and through a short training run."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from composer.constants import REST, VOICE_RANGES, VOICES
from composer.data.chorales import load_chorales
from composer.models.gan import GanConfig, Generator, harmonize, load_generator
from composer.score import Score
from composer.training.gan import RECIPES, train_gan

SMALL = GanConfig(
    channels=16, mid_channels=24, mid_dilations=(1, 2), noise_channels=4, critic_channels=16
)


def _melody(bars: int, seed: int = 0) -> Score:
    rng = np.random.default_rng(seed)
    steps = bars * 16
    pitches = np.repeat(rng.integers(62, 78, size=steps // 4), 4)[None]
    return Score(pitches=pitches, onsets=np.zeros_like(pitches, dtype=bool), tonic=2)


@pytest.fixture(scope="module")
def generator() -> Generator:
    torch.manual_seed(0)
    return Generator(SMALL).eval()


@pytest.mark.parametrize("bars", [4, 40])
def test_any_length_in_one_pass_keeps_the_melody(generator, bars):
    melody = _melody(bars)
    out = harmonize(generator, melody, seed=1)
    assert out.pitches.shape == (4, melody.n_steps)
    assert np.array_equal(out.pitches[0], melody.pitches[0])
    assert np.array_equal(out.onsets[0], melody.onsets[0])


def test_odd_lengths_and_pickups_work(generator):
    melody = _melody(3)
    melody = melody.with_pitches(melody.pitches[:, :45], melody.onsets[:, :45])
    melody.pickup_steps = 4
    out = harmonize(generator, melody)
    assert out.n_steps == 45 and out.pickup_steps == 4


def test_every_voice_is_in_its_range(generator):
    out = harmonize(generator, _melody(8), seed=3)
    for voice in (1, 2, 3):
        low, high = VOICE_RANGES[VOICES[voice]]
        sounding = out.pitches[voice][out.pitches[voice] != REST]
        assert sounding.size > 0
        assert sounding.min() >= low and sounding.max() <= high


def test_same_seed_same_music_other_seed_other_music(generator):
    melody = _melody(8)
    a, b = harmonize(generator, melody, seed=5), harmonize(generator, melody, seed=5)
    c = harmonize(generator, melody, seed=6)
    assert np.array_equal(a.pitches, b.pitches)
    assert not np.array_equal(a.pitches, c.pitches)


def test_training_lowers_the_loss_resumes_and_saves_usable_weights(tmp_path):
    config = replace(
        RECIPES["tiny"], steps=40, eval_every=20, batch_size=8, crop_steps=64, lr_generator=3e-3
    )
    weights = train_gan(config, tmp_path, model_config=SMALL)
    rows = (tmp_path / "metrics.csv").read_text().splitlines()
    assert len(rows) == 3  # header and two validations
    first, last = (dict(zip(rows[0].split(","), r.split(","), strict=True)) for r in rows[1:])
    assert float(last["loss_reconstruction"]) < float(first["loss_reconstruction"])
    assert (tmp_path / "metrics.png").stat().st_size > 1000
    generator = load_generator(weights)
    chorale = load_chorales("valid")[0]
    out = harmonize(generator, chorale.with_pitches(chorale.pitches[:1], chorale.onsets[:1]))
    assert np.array_equal(out.pitches[0], chorale.pitches[0])

    resumed = train_gan(replace(config, steps=50), tmp_path, resume=True, model_config=SMALL)
    rows = (tmp_path / "metrics.csv").read_text().splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["20", "40", "50"]
    assert resumed.exists()
