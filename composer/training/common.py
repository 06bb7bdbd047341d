"""What both training loops share: Bach's reference metrics, the metrics log and plot, the
progress bar and the command line's options. torch-free; numpy and the metrics only."""

from __future__ import annotations

import argparse
import csv
import math
import sys
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, TypeVar

from composer.metrics import average_metrics, piece_metrics
from composer.score import Score

ConfigT = TypeVar("ConfigT")

# The metrics plotted and logged during training, against Bach's values on the same chorales.
WATCHED = (
    "parallel_5ths_8ves_per_bar",
    "voice_crossings_per_bar",
    "in_scale_rate",
    "empty_bar_rate",
    "pitch_classes_per_bar",
    "frame_accuracy",
)


def reference_metrics(chorales: list[Score]) -> dict[str, float]:
    return average_metrics([piece_metrics(c, reference=c) for c in chorales])


class MetricsLog:
    """metrics.csv (one row per validation) and metrics.png against Bach's lines."""

    loss_panel: tuple[str, ...] = ("loss_critic", "loss_reconstruction")  # the first plot

    def __init__(self, out: Path, reference: dict[str, float]) -> None:
        self.path = out / "metrics.csv"
        self.plot_path = out / "metrics.png"
        self.reference = reference
        self.rows: list[dict[str, float]] = []
        if self.path.exists():
            with self.path.open() as fh:
                self.rows = [
                    {k: int(v) if k == "step" else float(v) for k, v in row.items()}
                    for row in csv.DictReader(fh)
                ]

    def add(self, row: dict[str, float]) -> None:
        self.rows = [r for r in self.rows if r["step"] < row["step"]] + [row]
        names = list(row)
        with self.path.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=names, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(self.rows)
        self.plot()

    def plot(self) -> None:
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            return
        fig, axes = plt.subplots(2, 4, figsize=(16, 7))
        steps = [r["step"] for r in self.rows]
        panels = [self.loss_panel] + [(m,) for m in WATCHED]
        for ax, names in zip(axes.flat, panels, strict=False):
            for name in names:
                ax.plot(steps, [r.get(name, math.nan) for r in self.rows], label=name)
                if name in self.reference:
                    ax.axhline(self.reference[name], color="k", ls="--", lw=1, label="Bach")
            ax.set_title(", ".join(names), fontsize=9)
            ax.set_xlabel("step")
        axes.flat[-1].axis("off")
        fig.tight_layout()
        fig.savefig(self.plot_path, dpi=80)
        plt.close(fig)


def progress_bar(total: int, start: int) -> Any:
    """A tqdm bar when tqdm is installed (a GPU machine may lack it), else None."""
    try:
        from tqdm import tqdm

        return tqdm(total=total, initial=start, dynamic_ncols=True, mininterval=2.0)
    except ImportError:
        return None


def parse_overrides(config: ConfigT, pairs: list[str]) -> ConfigT:
    """`--set name=value` for any config field, typed by the field's default."""
    types = {f.name: type(getattr(config, f.name)) for f in fields(config)}  # type: ignore[arg-type]
    changes: dict[str, object] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in types:
            raise SystemExit(f"unknown setting {name!r}; one of: {', '.join(types)}")
        kind = types[name]
        if kind is bool:
            changes[name] = value.lower() in {"1", "true", "yes"}
        elif kind is tuple:
            changes[name] = tuple(float(v) for v in value.split(","))
        else:
            changes[name] = kind(value)
    return replace(config, **changes)  # type: ignore[type-var]


def training_parser(
    prog: str, models: list[str], recipes: dict[str, object], out: str, doc: str | None
) -> argparse.ArgumentParser:
    """The options every `composer train MODEL` shares: recipe, steps, device, out, resume, set."""
    parser = argparse.ArgumentParser(
        prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("model", nargs="?", choices=models, default=models[0])
    parser.add_argument("--recipe", choices=sorted(recipes), default="cpu")
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--device", default=None, help="cpu or cuda (default: the recipe's)")
    parser.add_argument("--out", default=out, help="folder for checkpoints and logs")
    parser.add_argument("--resume", action="store_true", help="continue from OUT/ckpt.pt")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a training setting, e.g. --set batch_size=64",
    )
    return parser


def config_from_args(args: argparse.Namespace, recipes: dict[str, ConfigT]) -> ConfigT:
    """The recipe `--recipe` names, with `--set`, `--steps` and `--device` applied."""
    config = parse_overrides(recipes[args.recipe], args.set)
    if args.steps is not None:
        config = replace(config, steps=args.steps)  # type: ignore[type-var]
    if args.device is not None:
        config = replace(config, device=args.device)  # type: ignore[type-var]
    return config


def training_command(argv: list[str] | None) -> str:
    """The command line as the user typed it, for the weights' metadata."""
    return "composer train " + " ".join(argv if argv is not None else sys.argv[1:])
