"""Model cards for the shipped weights: data split, command, steps, time, device, and metrics.

    python -m composer.evaluation.model_card gan  # composer/weights/gan.md from gan.pt, evaluated

The numbers are measured when the card is written: the weights' own training log (meta) and a
fresh `composer evaluate` on the valid split, so a card never claims what the weights don't do.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from composer.data.chorales import load_chorales
from composer.evaluation.evaluate import evaluate_chorales
from composer.evaluation.quality_bar import format_bar, harmonizer_bar
from composer.models.weights import read_weights

WEIGHTS = Path(__file__).resolve().parents[1] / "weights"
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
    # The teacher's audit (composer/metrics/audit.py): faults per bar, then the chords on the beat
    # and how much the lower voices move.
    "audit_parallels_similar_per_bar",
    "audit_parallels_contrary_per_bar",
    "audit_hidden_outer_per_bar",
    "audit_spacing_per_bar",
    "audit_overlaps_per_bar",
    "audit_leaps_per_bar",
    "audit_doubled_leading_tone_per_bar",
    "audit_unresolved_leading_tone_per_bar",
    "audit_unresolved_seventh_per_bar",
    "chord_tertian",
    "chord_thin",
    "chord_dominant7",
    "chord_diminished7",
    "chord_distance",
    "notes_per_bar_alto",
    "notes_per_bar_tenor",
    "notes_per_bar_bass",
)


def _decoder_weights() -> str:
    """The decoder's weights, tuned on the valid split, as the card's record of them."""
    from dataclasses import asdict

    from composer.models.decoding import VoiceLeadingRules
    from composer.models.style_prior import TABLES

    weights = asdict(VoiceLeadingRules())
    for table in TABLES:  # the style prior's, on its own card section
        weights.pop(table)
    bonus = ", ".join(f"{name} {value:+.2f}" for name, value in weights.pop("chord_bonus"))
    plain = ", ".join(f"{name} {value}" for name, value in weights.items())
    return (
        "## Decoding weights (tuned on valid)\n\n"
        "The decoder maximises the model's log-probability minus these penalties in nats "
        f"(`composer/models/decoding.py`): {plain}; on the beat, per chord type: {bonus}."
    )


def _style_prior() -> str:
    """How the GAN decoder's style prior was fitted and how close it came to Bach's texture."""
    from composer.models import gan

    meta = gan.STYLE_PRIOR.meta
    if not meta:
        return "## Style prior\n\nNone shipped: the decoder weighs the teacher's rules alone."
    distance = ", ".join(f"{name} {value:.3f}" for name, value in meta["distance"].items())
    strike = ", ".join(f"{x:+.2f}" for x in gan.STRIKE_LOGITS)
    return (
        f"## Style prior (fitted on {meta['split']})\n\n"
        "The decoder also weighs Bach's texture (`composer/models/style_prior.py`): nats per "
        "vertical interval class, wide or crossed pair, move size, scale degree and kind of "
        f"motion. Fitted by `{meta['command']}`: {meta['rounds']} rounds of iterative "
        f"proportional fitting (step {meta['eta']}) of the decoded texture of the "
        f"{meta['chorales']} train chorales' sopranos to Bach's own. Distance from his texture "
        f"after fitting (summed absolute difference of shares, per table): {distance}. Strike "
        f"logits above which a held note is struck again (alto, tenor, bass): {strike}."
    )


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "n/a" if not math.isfinite(value) else f"{value:.4f}"
    return "n/a" if value is None else str(value)


def _bach_or_not(reports: dict[str, dict[str, object]]) -> str:
    """The headline: per model, how often a classifier tells its windows from Bach's (0.5 =
    cannot tell), with the 95% interval and every classifier's figure."""
    lines = [
        "| model | Bach or not (held-out accuracy) | 95% CI | best of "
        "| cnn | boosting | logistic |",
        "|---|---:|---|---|---:|---:|---:|",
    ]
    for name, report in reports.items():
        test: dict | None = report.get("bach_or_not")  # type: ignore[assignment]
        if test is None:
            continue
        each = test["classifiers"]
        cells = " | ".join(
            f"{each[c]['accuracy']:.3f}" if c in each else "n/a"
            for c in ("cnn", "boosting", "logistic")
        )
        lines.append(
            f"| `{name}` | **{test['accuracy']:.3f}** | {test['ci_low']:.3f}–{test['ci_high']:.3f} "
            f"| {test['classifier']} | {cells} |"
        )
    return (
        "## Bach or not (valid split)\n\n"
        "A classifier two-sample test (`composer/evaluation/bach_or_not.py`): 2-bar windows of the "
        "model's harmonization against Bach's of the same sopranos, cross-validated by chorale; "
        "0.5 means no classifier can tell them apart, 1.0 that every window gives the model away. "
        "The headline is the best of a conv net over the piano roll, gradient boosting over "
        "window features and a logistic regression.\n\n" + "\n".join(lines)
    )


def _metrics_table(columns: dict[str, dict[str, float]]) -> str:
    names = list(columns)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for metric in SHOWN:
        cells = " | ".join(_cell(columns[n].get(metric)) for n in names)
        lines.append(f"| `{metric}` | {cells} |")
    return "\n".join(lines)


def gan_card(weights: Path = WEIGHTS / "gan.pt") -> str:
    blob = read_weights(weights)
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
voice-leading decoder (`composer/models/decoding.py`) picks the most likely notes under the
teacher's rules (parallels by similar and contrary motion, hidden fifths, leaps, tendency tones,
thin chords, Bach's chord vocabulary); `gan-raw` is the same generator decoded note by note.

| | |
|---|---|
| Data | {DATA} |
| Command | `{meta.get("command", "composer train gan")}`, then `runs/…/gan.pt` copied here |
| Steps | {meta["steps"]} generator steps of batch {train["batch_size"]} × {train["crop_steps"]} \
steps, critic steps per generator step: {train["critic_steps"]} |
| Time, device | {seconds / 60:.0f} min on {meta["device"]} ({meta.get("device_name", "")}) |
| Size | {params:,} generator parameters, {weights.stat().st_size / 1e6:.1f} MB |
| Model config | `{json.dumps(config)}` |
| Seconds per chorale (valid, CPU) | {decoded["seconds_per_chorale"]:.3f} decoded, \
{raw["seconds_per_chorale"]:.3f} raw |

{_bach_or_not({"gan": decoded, "gan-raw": raw})}

{_decoder_weights()}

{_style_prior()}

## Validation metrics (valid split, `composer evaluate --model gan`)

{table}

## The bar (issue: GAN harmonizer)

{format_bar(checks)}

{sum(c.passed for c in checks)} of {len(checks)} checks pass.
"""


def arcnn_card(weights: Path = WEIGHTS / "arcnn.pt", command: str = "") -> str:
    from composer.metrics import NOTEWISE_NLL
    from composer.models.arcnn import SHIPPED_ITERATIONS, load_arcnn, notewise_nll

    blob = read_weights(weights)
    meta, config = blob["meta"], blob["config"]
    params = sum(t.numel() for t in blob["state"].values())
    valid = load_chorales("valid")
    nll = notewise_nll(load_arcnn(weights), valid, passes=16)[NOTEWISE_NLL]
    models = ("gan", "arcnn-raw", "arcnn", "hybrid")
    reports = {name: evaluate_chorales(name, valid).as_dict() for name in models}
    bach = reports["gan"]["bach"]
    columns = {"Bach": bach} | {name: r["generated"] for name, r in reports.items()}
    table = _metrics_table(columns)  # type: ignore[arg-type]
    gan, hybrid = reports["gan"]["generated"], reports["hybrid"]["generated"]
    voice_leading = ("parallel_5ths_8ves_per_bar", "voice_crossings_per_bar", "out_of_range_rate")
    hybrid_ok = all(hybrid[m] <= gan[m] for m in voice_leading)  # type: ignore[index]
    parallels_ok = hybrid["parallel_5ths_8ves_per_bar"] <= 1.5 * bach["parallel_5ths_8ves_per_bar"]  # type: ignore[index,operator]
    seconds = meta.get("seconds") or 0.0
    train = meta["train_config"]
    speed = reports["arcnn"]["seconds_per_chorale"]
    return f"""# Model card: AR-CNN (`arcnn.pt`)

Coconet's lineage: a residual convolutional net over time × pitch with the four voices as
channels, given the masked score and the mask (plus key and position), predicting a softmax over
pitch-or-rest per voice and step; trained with orderless random masks, sampled by annealed
blocked Gibbs (Yao schedule). It harmonizes (`arcnn`: the Gibbs sample's alto, tenor and bass
then decoded jointly among each voice's likeliest notes given the others, under the teacher's
rules as the GAN's are; `arcnn-raw`: the sample as drawn), refines the GAN's draft (`hybrid`:
changes that would add any of the teacher's faults, a bare beat or an unresolved seventh are not
taken) and embellishes.

| | |
|---|---|
| Data | {DATA} |
| Command | `{meta.get("command") or command}`, then `runs/…/arcnn.pt` copied here |
| Steps | {meta["steps"]} steps of batch {train["batch_size"]} × {train["crop_steps"]} steps |
| Time, device | {seconds / 60:.0f} min on {meta["device"]} {meta.get("device_name", "")} |
| Size | {params:,} parameters, {weights.stat().st_size / 1e6:.1f} MB |
| Model config | `{json.dumps(config)}` |

{_bach_or_not(reports)}

{_decoder_weights()}

## Notewise NLL (valid split)

**{nll:.3f} nats** per cell ({meta.get("notewise_nll_protocol", "")}; measured here with 16
masks per chorale). Coconet reported 0.569 on its own JSB split; DeepComposer's AR-CNN published
no likelihood.

## Harmonization metrics (valid split, `composer evaluate --model NAME`)

{table}

`arcnn` samples {SHIPPED_ITERATIONS} Gibbs steps, then decodes: {speed:.2f} s per valid chorale
on this CPU.

## The bar (issue: AR-CNN)

| check | value | bar | |
|---|---:|---|---|
| notewise NLL | {nll:.3f} | ≤ 0.80 | {"pass" if nll <= 0.80 else "**FAIL**"} |
| hybrid no worse than the GAN on parallels, crossings, range | \
{", ".join(f"{hybrid[m]:.4f}" for m in voice_leading)} | GAN: \
{", ".join(f"{gan[m]:.4f}" for m in voice_leading)} | {"pass" if hybrid_ok else "**FAIL**"} |
| hybrid parallels per bar | {hybrid["parallel_5ths_8ves_per_bar"]:.4f} | \
≤ 1.5 × Bach = {1.5 * bach["parallel_5ths_8ves_per_bar"]:.4f} | \
{"pass" if parallels_ok else "**FAIL**"} |
| chorale-length harmonization on CPU | {speed:.2f} s | < 2 s | \
{"pass" if speed < 2 else "**FAIL**"} |
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model", choices=["gan", "arcnn"])
    parser.add_argument("--command", default="", help="the training command, if not recorded")
    args = parser.parse_args()
    out = WEIGHTS / f"{args.model}.md"
    out.write_text(gan_card() if args.model == "gan" else arcnn_card(command=args.command))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
