"""The `composer` command line (DESIGN §6). Bad input prints one line to stderr and exits 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from composer.errors import InputError


def _prepare(args: argparse.Namespace) -> None:
    from composer.data.prepare import prepare_dataset

    report = prepare_dataset(out=args.out)
    print(report.summary())


def _evaluate(args: argparse.Namespace) -> None:
    from composer.evaluation.evaluate import run_evaluation

    run_evaluation(model=args.model, chorales_file=args.chorales, as_json=args.json)


def _inspect(args: argparse.Namespace) -> None:
    from composer.midi.melody import describe_melody_file

    print(describe_melody_file(args.melody))


def _train(args: argparse.Namespace) -> None:
    from composer.training.cli import main as train_main

    train_main(args.rest)


def _harmonize(args: argparse.Namespace) -> None:
    from composer.compose.fullness import harmonize_fully
    from composer.midi.io import write_midi
    from composer.midi.melody import extract_melody
    from composer.models.registry import get_harmonizer

    harmonizer = get_harmonizer(args.model)
    melody = extract_melody(args.melody)
    for warning in melody.warnings:
        print(f"note: {warning}", file=sys.stderr)
    repairs: list[str] = []
    score = harmonize_fully(harmonizer, melody.score, seed=args.seed, notes=repairs)
    for repair in repairs:
        print(f"note: {repair}", file=sys.stderr)
    write_midi(score, args.output)
    print(f"wrote {args.output}: {len(score.bar_starts())} bars, model {args.model}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="composer", description="Bach-like harmonies, embellishments and tracks from a melody."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    prepare = sub.add_parser("prepare", help="build the chorale dataset from the music21 corpus")
    prepare.add_argument("--out", default=None, help="where to write the .npz (default: shipped)")
    prepare.set_defaults(func=_prepare)

    train = sub.add_parser(
        "train", help="train a model (see `composer train gan --help`)", add_help=False
    )
    train.add_argument("rest", nargs=argparse.REMAINDER)
    train.set_defaults(func=_train)

    harmonize = sub.add_parser("harmonize", help="add alto, tenor and bass to a melody")
    harmonize.add_argument("melody", help="a MIDI file with the melody")
    harmonize.add_argument("-o", "--output", required=True, help="the MIDI file to write")
    harmonize.add_argument("--model", default="gan", help="gan, arcnn or hybrid (GAN + AR-CNN)")
    harmonize.add_argument("--seed", type=int, default=0)
    harmonize.set_defaults(func=_harmonize)

    inspect = sub.add_parser("inspect", help="show the melody composer would take from a MIDI file")
    inspect.add_argument("melody", help="a MIDI file")
    inspect.set_defaults(func=_inspect)

    evaluate = sub.add_parser("evaluate", help="music metrics of a model against Bach's own")
    evaluate.add_argument("--model", default="bach", help="bach (the reference) or a model name")
    evaluate.add_argument(
        "--chorales",
        default=None,
        help="file naming the chorales, one a line: music21 corpus names (bach/bwv26.6) or "
        "4-part MusicXML/MIDI paths (relative to the file); default: the valid split",
    )
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of a table")
    evaluate.set_defaults(func=_evaluate)

    from composer.cli.compose import add_commands

    add_commands(sub)  # compose, embellish
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["train"]:  # training has its own options (and --help) in composer.training
        from composer.training.cli import main as train_main

        train_main(argv[1:])
        return 0
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except InputError as exc:
        print(f"composer: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
