"""`composer train style-prior`: fit the GAN decoder's style prior to Bach's chorales.

Iterative proportional fitting: decode the GAN's harmonizations of the train split's sopranos
with the prior as it stands, measure their texture (composer.models.style_prior), and move every
weight by `eta` times the log-ratio of Bach's share to the decoded share: of the shares of one
whole (which interval class, which motion) by the ratio itself; of a yes-or-no share (a pair
over an octave apart, crossed, a voice resting) and a strike threshold by the log-odds ratio, so
that 0.97 against Bach's 0.93 moves a weight as much as 0.03 against his 0.07 would. A texture
the decoder writes too often costs more the next round, one it writes too rarely gains; the
generator's outputs are computed once, so a round is one decode of the split. Only the train
split is read.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from composer.models.decoding import VoiceLeadingRules
from composer.models.style_prior import TABLES, StylePrior, Texture, texture_statistics
from composer.score import Score

if TYPE_CHECKING:
    from composer.models.gan import Generator

EPS = 2e-4  # shares of zero are smoothed, so a texture Bach never writes gets a finite cost
STEP_CLIP = 1.0  # no weight moves more than eta nats in one round
WEIGHT_CLIP = 4.0
CENTRED = ("vertical", "degrees", "motion")  # shares of one whole: only differences matter
BINARY = ("wide", "crossed", "rests")  # the share of steps where something is so, or not

Decode = Callable[[VoiceLeadingRules, tuple[float, float, float]], list[Score]]


def _log_ratio(target: np.ndarray, got: np.ndarray) -> np.ndarray:
    return np.clip(np.log(target + EPS) - np.log(got + EPS), -STEP_CLIP, STEP_CLIP)


def _logit(share: np.ndarray) -> np.ndarray:
    return np.log(share + 1e-4) - np.log(1 - share + 1e-4)


def _log_odds_ratio(target: np.ndarray, got: np.ndarray) -> np.ndarray:
    return np.clip(_logit(target) - _logit(got), -STEP_CLIP, STEP_CLIP)


def fit_style_prior(
    decode: Decode,
    bach: Sequence[Score],
    *,
    rounds: int = 30,
    eta: float = 0.5,
    base: VoiceLeadingRules | None = None,
    report: Callable[[int, dict[str, float]], None] | None = None,
) -> StylePrior:
    """The prior after `rounds` of fitting `decode(rules, strike_at)`'s texture to Bach's.
    `report(round, distance)` hears how far each round's texture is from his."""
    base = base or VoiceLeadingRules()
    target = texture_statistics(bach)
    prior = StylePrior.zero()
    for n in range(rounds):
        got = texture_statistics(decode(prior.rules(base), prior.strike_at))
        if report is not None:
            report(n, got.distance(target))
        prior = fitting_step(prior, got, target, eta)
    final = texture_statistics(decode(prior.rules(base), prior.strike_at))
    if report is not None:
        report(rounds, final.distance(target))
    prior.meta = {"rounds": rounds, "eta": eta, "distance": final.distance(target)}
    return prior


def fitting_step(prior: StylePrior, got: Texture, target: Texture, eta: float) -> StylePrior:
    """One round's move of every weight from the decoded texture `got` toward Bach's."""
    tables = {}
    for name in TABLES:
        want, have = target.tables[name], got.tables[name]
        change = _log_odds_ratio(want, have) if name in BINARY else _log_ratio(want, have)
        weights = prior.tables[name] + eta * change
        if name in CENTRED:
            weights = weights - weights.mean(axis=-1, keepdims=True)
        tables[name] = np.clip(weights, -WEIGHT_CLIP, WEIGHT_CLIP)
    # Struck too often: raise the bar a held pitch's strike logit must clear.
    return StylePrior(tables, prior.strike - eta * _log_odds_ratio(target.restrike, got.restrike))


def gan_decoder(generator: Generator, melodies: Sequence[Score], device: str = "cpu") -> Decode:
    """`decode` for the GAN: its distributions under each melody computed once (seed 0), then
    decoded under whatever rules and thresholds a round asks for."""
    from composer.models import gan

    outputs = [gan.voice_distributions(generator, melody, device=device) for melody in melodies]

    def decode(rules: VoiceLeadingRules, strike_at: tuple[float, float, float]) -> list[Score]:
        return [
            gan.decoded(melody, log_probs, strike_logits, rules, strike_at)
            for melody, (log_probs, strike_logits) in zip(melodies, outputs, strict=True)
        ]

    return decode


def main(argv: list[str] | None = None) -> None:
    from composer.data.chorales import load_chorales
    from composer.models import gan
    from composer.training.common import training_command

    parser = argparse.ArgumentParser(
        prog="composer train style-prior",
        description="Fit the GAN decoder's style prior to the train split's chorales.",
    )
    parser.add_argument("--out", type=Path, default=gan.SHIPPED_STYLE_PRIOR)
    parser.add_argument("--weights", type=Path, default=gan.SHIPPED_GAN)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--eta", type=float, default=0.5)
    args = parser.parse_args(argv[1:] if argv is not None else sys.argv[2:])

    chorales = load_chorales(split="train")
    melodies = [c.with_pitches(c.pitches[:1], c.onsets[:1]) for c in chorales]
    generator = gan.load_generator(args.weights)
    start = time.perf_counter()

    def report(n: int, distance: dict[str, float]) -> None:
        gaps = ", ".join(f"{k} {v:.3f}" for k, v in distance.items())
        print(f"round {n:>3}: {gaps}  ({time.perf_counter() - start:.0f} s)", flush=True)

    prior = fit_style_prior(
        gan_decoder(generator, melodies),
        chorales,
        rounds=args.rounds,
        eta=args.eta,
        report=report,
    )
    prior.meta |= {
        "split": "train",
        "chorales": len(chorales),
        "weights": args.weights.name,
        "command": training_command(argv),
    }
    prior.save(args.out)
    print(f"wrote {args.out}")
