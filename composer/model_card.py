"""Model cards for the shipped weights: data split, command, steps, time, device, and metrics.

    python -m composer.model_card gan    # writes composer/weights/gan.md from gan.pt and evaluate

The numbers are measured when the card is written: the weights' own training log (meta) and a
fresh `composer evaluate` on the valid split, so a card never claims what the weights don't do.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import torch

from composer.chorales import load_chorales
from composer.evaluate import evaluate_chorales
from composer.quality_bar import format_bar, harmonizer_bar

WEIGHTS = Path(__file__).parent / "weights"
DATA = (
    "`composer/data/chorales.npz`: the **train** split of `composer/data/chorale_split.json` "
    "(275 chorales), transposed ±6 semitones within MIDI 36–81; tuned and measured on "
    "**valid** (44 chorales) only"
)
SHOWN = (
    "parallel_5ths_8ves_per_bar",
    "voice_crossings_per_bar",
    "out_of_range_rate",
    "in_scale_rate",
    "empty_bar_rate_alto",
    "empty_bar_rate_tenor",
    "empty_bar_rate_bass",
    "pitch_classes_per_bar",
    "qualified_note_rate",
    "polyphony",
    "tonal_distance",
    "frame_accuracy",
)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "n/a" if not math.isfinite(value) else f"{value:.4f}"
    return "n/a" if value is None else str(value)


def _metrics_table(columns: dict[str, dict[str, float]]) -> str:
    names = list(columns)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for metric in SHOWN:
        cells = " | ".join(_cell(columns[n].get(metric)) for n in names)
        lines.append(f"| `{metric}` | {cells} |")
    return "\n".join(lines)


def gan_card(weights: Path = WEIGHTS / "gan.pt") -> str:
    blob = torch.load(weights, map_location="cpu", weights_only=True)
    meta, config = blob["meta"], blob["config"]
    params = sum(t.numel() for t in blob["state"].values())
    valid = load_chorales("valid")
    decoded = evaluate_chorales("gan", valid).as_dict()
    raw = evaluate_chorales("gan-raw", valid).as_dict()
    bach = decoded["bach"]
    checks = harmonizer_bar(bach, decoded["generated"])  # type: ignore[arg-type]
    table = _metrics_table(
        {"Bach": bach, "gan": decoded["generated"], "gan-raw": raw["generated"]}  # type: ignore[dict-item]
    )
    train = meta["train_config"]
    seconds = meta.get("seconds") or 0.0
    return f"""# Model card: GAN harmonizer (`gan.pt`)

Adds alto, tenor and bass to a melody. A 1-D U-Net generator over the 16th-note grid (soprano,
position and key features, and noise that changes once per beat in; a softmax over 46 pitches +
rest per voice and step out, masked to each voice's range), trained as a WGAN-GP against a
critic over all four voices, with a reconstruction loss towards Bach's voices. Decoding: the
voice-leading decoder (`composer/voice_leading.py`) picks the most likely notes that avoid
parallel fifths/octaves and crossings; `gan-raw` is the same generator decoded note by note.

| | |
|---|---|
| Data | {DATA} |
| Command | `{meta.get("command", "composer train gan")}`, then `runs/…/gan.pt` copied here |
| Steps | {meta["steps"]} generator steps of batch {train["batch_size"]} × {train["crop_steps"]} \
steps, {train["critic_steps"]} critic steps each |
| Time, device | {seconds / 60:.0f} min on {meta["device"]} ({meta.get("device_name", "")}) |
| Size | {params:,} generator parameters, {weights.stat().st_size / 1e6:.1f} MB |
| Model config | `{json.dumps(config)}` |
| Seconds per chorale (valid, CPU) | {decoded["seconds_per_chorale"]:.3f} decoded, \
{raw["seconds_per_chorale"]:.3f} raw |

## Validation metrics (valid split, `composer evaluate --model gan`)

{table}

## The bar (issue: GAN harmonizer)

{format_bar(checks)}

{sum(c.passed for c in checks)} of {len(checks)} checks pass.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model", choices=["gan"])
    args = parser.parse_args()
    out = WEIGHTS / f"{args.model}.md"
    out.write_text(gan_card())
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
