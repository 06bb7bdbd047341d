"""The AR-CNN's guarantees, on small untrained models and through a short training run."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
import torch

from composer.constants import REST, VOICE_RANGES, VOICES
from composer.data.chorales import load_chorales
from composer.metrics import NOTEWISE_NLL
from composer.models.arcnn import (
    Arcnn,
    ArcnnConfig,
    embellish,
    harmonize,
    load_arcnn,
    masked_loss,
    note_changes,
    notewise_nll,
    orderless_mask,
    refine,
    yao_schedule,
)
from composer.score import Score
from composer.training.arcnn import RECIPES, train_arcnn
from composer.training.batches import ChoraleBatches

SMALL = ArcnnConfig(channels=8, dilations=(1, 2))


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _melody(bars: int, seed: int = 0) -> Score:
    rng = np.random.default_rng(seed)
    steps = bars * 16
    pitches = np.repeat(rng.integers(62, 78, size=steps // 4), 4)[None]
    return Score(pitches=pitches, onsets=np.zeros_like(pitches, dtype=bool), tonic=2)


@pytest.fixture(scope="module")
def model() -> Arcnn:
    torch.manual_seed(0)
    return Arcnn(SMALL).eval()


@pytest.fixture(scope="module")
def chorales() -> list[Score]:
    return load_chorales("valid")[:3]


def _assert_voices_sound(score: Score) -> None:
    """Every voice in its range; one pitch per voice and step holds by representation."""
    assert score.pitches.shape[0] == 4
    for voice in (1, 2, 3):
        low, high = VOICE_RANGES[VOICES[voice]]
        sounding = score.pitches[voice][score.pitches[voice] != REST]
        assert sounding.size == 0 or (sounding.min() >= low and sounding.max() <= high)


@pytest.mark.parametrize("bars", [4, 40])
def test_harmonize_any_length_in_one_pass_keeps_the_melody(model, bars):
    melody = _melody(bars)
    out = harmonize(model, melody, iterations=3, seed=1)
    assert out.pitches.shape == (4, melody.n_steps)
    assert np.array_equal(out.pitches[0], melody.pitches[0])
    assert np.array_equal(out.onsets[0], melody.onsets[0])
    _assert_voices_sound(out)


def test_decoding_for_voice_leading_keeps_the_melody_and_drops_the_parallels(model):
    from composer.metrics import crossing_count, parallel_count
    from composer.models.decoding import VoiceLeadingRules

    melody = _melody(8, seed=3)
    raw = harmonize(model, melody, iterations=3, seed=1)
    decoded = harmonize(model, melody, iterations=3, seed=1, rules=VoiceLeadingRules())
    assert np.array_equal(decoded.pitches[0], melody.pitches[0])
    _assert_voices_sound(decoded)
    assert parallel_count(raw) > 0  # an untrained net's sample is full of them
    assert parallel_count(decoded) < parallel_count(raw)
    assert crossing_count(decoded) <= crossing_count(raw)


def test_odd_lengths_and_pickups_work(model):
    melody = _melody(3)
    melody = melody.with_pitches(melody.pitches[:, :45], melody.onsets[:, :45])
    melody.pickup_steps = 4
    out = harmonize(model, melody, iterations=2)
    assert out.n_steps == 45 and out.pickup_steps == 4


def test_same_seed_same_music(model):
    melody = _melody(4)
    a = harmonize(model, melody, iterations=4, seed=7)
    b = harmonize(model, melody, iterations=4, seed=7)
    c = harmonize(model, melody, iterations=4, seed=8)
    assert np.array_equal(a.pitches, b.pitches) and np.array_equal(a.onsets, b.onsets)
    assert not np.array_equal(a.pitches, c.pitches)
    e1 = embellish(model, a, iterations=3, seed=2)
    e2 = embellish(model, a, iterations=3, seed=2)
    assert np.array_equal(e1.pitches, e2.pitches) and np.array_equal(e1.onsets, e2.onsets)


def test_refine_keeps_the_soprano_and_changes_little_at_a_small_share(model, chorales):
    draft = chorales[0]
    out = refine(model, draft, share=0.2, iterations=4, seed=3)
    assert np.array_equal(out.pitches[0], draft.pitches[0])
    assert np.array_equal(out.onsets[0], draft.onsets[0])
    _assert_voices_sound(out)
    changed = (out.pitches[1:] != draft.pitches[1:]).mean()
    assert 0.0 < changed < 0.5


def test_yao_schedule():
    assert yao_schedule(0, 100) == pytest.approx(0.9)
    assert yao_schedule(35, 100) == pytest.approx(0.9 - 0.8 * 35 / 70)
    assert yao_schedule(70, 100) == pytest.approx(0.1)
    assert yao_schedule(99, 100) == pytest.approx(0.1)
    values = [yao_schedule(n, 50) for n in range(50)]
    assert all(a >= b for a, b in itertools.pairwise(values))


def test_orderless_mask_sizes_and_padding():
    valid = torch.ones(2000, 8, dtype=torch.bool)
    valid[:, 6:] = False
    hidden = orderless_mask(valid, torch.Generator().manual_seed(0))
    counts = hidden.sum(dim=(1, 2))
    assert counts.min() >= 1 and counts.max() <= 24
    assert not hidden[:, :, 6:].any()  # padding is never hidden
    assert abs(counts.float().mean().item() - 12.5) < 0.6  # uniform on 1..24


@pytest.mark.parametrize(("remove", "add"), [(0.0, 0), (0.1, 5), (0.3, 40), (1.0, 1000)])
def test_embellish_respects_the_controls(model, chorales, remove, add):
    score = chorales[1]
    out = embellish(model, score, remove=remove, add=add, iterations=4, risk=1.5, seed=5)
    removed, added = note_changes(score, out)
    n_notes = sum(len(score.notes(v)) for v in range(4))
    assert removed <= int(remove * n_notes)
    assert added <= add
    assert np.array_equal(out.pitches[0], score.pitches[0])
    assert np.array_equal(out.onsets[0], score.onsets[0])
    if remove == 0.0 and add == 0:
        assert np.array_equal(out.pitches, score.pitches)
    if remove == 1.0:
        assert removed + added > 0  # with room to act, an untrained model's samples change notes


def test_embellish_a_melody_adds_voices_and_may_touch_the_melody_when_asked(model):
    melody = _melody(4)
    out = embellish(model, melody, remove=0.0, add=12, iterations=3, seed=1)
    assert out.n_voices == 4
    assert np.array_equal(out.pitches[0], melody.pitches[0])
    _, added = note_changes(melody, out)
    assert 0 < added <= 12
    free = embellish(model, melody, remove=0.5, add=12, iterations=3, protect_melody=False, seed=1)
    assert note_changes(melody, free)[0] <= int(0.5 * len(melody.notes(0)))


def test_notewise_nll_is_finite_positive_and_falls_with_training(chorales):
    torch.manual_seed(0)
    fresh = Arcnn(SMALL)
    before = notewise_nll(fresh, chorales, passes=4)[NOTEWISE_NLL]
    assert np.isfinite(before) and before > 0
    batches = ChoraleBatches(load_chorales("train")[:20], 32, seed=0)
    opt = torch.optim.Adam(fresh.parameters(), lr=3e-3)
    fresh.train()
    for _ in range(25):
        batch = batches.sample(8)
        loss, _ = masked_loss(
            fresh, batch.classes, batch.strikes, batch.context, orderless_mask(batch.valid)
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
    after = notewise_nll(fresh, chorales, passes=4)[NOTEWISE_NLL]
    assert after < before
    assert notewise_nll(fresh, chorales, passes=4) == notewise_nll(fresh, chorales, passes=4)


def test_tiny_training_lowers_the_loss_resumes_and_loads(tmp_path):
    config = replace(RECIPES["tiny"], steps=24, eval_every=12, eval_harmonize=1)
    weights = train_arcnn(config, tmp_path)
    rows = (tmp_path / "metrics.csv").read_text().splitlines()
    header = rows[0].split(",")
    first, last = (dict(zip(header, r.split(","), strict=True)) for r in (rows[1], rows[-1]))
    assert float(last[NOTEWISE_NLL]) < float(first[NOTEWISE_NLL])
    assert (tmp_path / "ckpt.pt").exists() and (tmp_path / "metrics.png").exists()

    longer = replace(config, steps=36)
    train_arcnn(longer, tmp_path, resume=True)
    steps = [r.split(",")[0] for r in (tmp_path / "metrics.csv").read_text().splitlines()[1:]]
    assert steps == ["12", "24", "36"]

    loaded = load_arcnn(weights)
    out = harmonize(loaded, _melody(2), iterations=2)
    assert out.pitches.shape == (4, 32)
