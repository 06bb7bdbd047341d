"""The `composer compose` and `composer embellish` commands (DESIGN §6).

Bad input (a file that is not a usable MIDI, an impossible option) raises InputError: one line on
stderr, exit 2. A missing model or a failed render is not the user's input: one line, exit 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from composer.errors import InputError

AUDIO_SUFFIXES = (".wav", ".flac", ".mp3")
MIN_SECONDS, MAX_SECONDS = 10.0, 600.0


def _fail(message: str) -> None:
    print(f"composer: error: {message}", file=sys.stderr)
    raise SystemExit(1)


def _check_suffix(path: str | None, allowed: tuple[str, ...], what: str) -> None:
    if path is not None and Path(path).suffix.lower() not in allowed:
        raise InputError(f"{what} must end in {' or '.join(allowed)}: {path}")


def _compose(args: argparse.Namespace) -> None:
    from composer.compose.pipeline import compose
    from composer.midi.melody import extract_melody
    from composer.models.shipped import MissingWeights
    from composer.render.outputs import write_composition

    _check_suffix(args.output, (".mid", ".midi"), "the output")
    _check_suffix(args.audio, AUDIO_SUFFIXES, "--audio")
    _check_suffix(args.roll, (".png",), "--roll")
    _check_suffix(args.score, (".musicxml", ".xml"), "--score")
    if not MIN_SECONDS <= args.seconds <= MAX_SECONDS:
        raise InputError(f"--seconds must be between {MIN_SECONDS:g} and {MAX_SECONDS:g}")
    if not 0.0 < args.risk <= 3.0:
        raise InputError("--risk must be above 0 and at most 3")
    melody = extract_melody(args.melody)
    for warning in melody.warnings:
        print(f"note: {warning}", file=sys.stderr)
    try:
        composition = compose(
            melody.score, seconds=args.seconds, style=args.style, risk=args.risk, seed=args.seed
        )
        written = write_composition(
            composition, args.output, audio=args.audio, roll=args.roll, sheet_music=args.score
        )
    except MissingWeights as exc:
        _fail(str(exc))
    print(composition.summary)
    print("wrote " + ", ".join(str(p) for p in written.paths))
    if written.audio_error is not None:
        _fail(f"no audio: {written.audio_error}")


def _embellish(args: argparse.Namespace) -> None:
    from composer.midi.io import midi_to_score, write_midi
    from composer.models.arcnn import SHIPPED_ARCNN, embellish, load_arcnn, note_changes

    _check_suffix(args.output, (".mid", ".midi"), "the output")
    if not 0.0 <= args.remove <= 1.0:
        raise InputError("--remove must be a share between 0 and 1")
    if args.add < 0 or args.iterations < 1:
        raise InputError("--add must be 0 or more and --iterations at least 1")
    if not 0.0 < args.risk <= 3.0:
        raise InputError("--risk must be above 0 and at most 3")
    if not SHIPPED_ARCNN.exists():
        _fail(f"embellish needs the AR-CNN's weights, {SHIPPED_ARCNN} (composer train arcnn)")
    score = midi_to_score(args.input)
    if score.n_voices > 4:
        raise InputError(f"{args.input} has {score.n_voices} tracks; embellish takes 1 to 4 voices")
    try:
        out = embellish(
            load_arcnn(SHIPPED_ARCNN),
            score,
            remove=args.remove,
            add=args.add,
            iterations=args.iterations,
            risk=args.risk,
            seed=args.seed,
        )
    except ValueError as exc:  # pitches outside the model's range
        raise InputError(f"{args.input}: {exc}") from exc
    write_midi(out, args.output)
    removed, added = note_changes(score, out)
    print(f"wrote {args.output}: {removed} notes removed, {added} notes added")


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add `compose` and `embellish` to the `composer` command's subcommands."""
    compose = sub.add_parser("compose", help="a finished piece of about a minute from a melody")
    compose.add_argument("melody", help="a MIDI file with the melody")
    compose.add_argument("-o", "--output", required=True, help="the MIDI file to write")
    compose.add_argument("--seconds", type=float, default=60.0, help="length (default 60)")
    compose.add_argument("--audio", default=None, help="also write OUT.wav, .flac or .mp3")
    compose.add_argument("--roll", default=None, help="also write a piano-roll OUT.png")
    compose.add_argument("--score", default=None, help="also write sheet music OUT.musicxml")
    compose.add_argument("--style", choices=("baroque", "space"), default="baroque")
    compose.add_argument("--risk", type=float, default=1.0, help="embellishing boldness")
    compose.add_argument("--seed", type=int, default=0)
    compose.set_defaults(func=_compose)

    embellish = sub.add_parser("embellish", help="vary a piece with the AR-CNN")
    embellish.add_argument("input", help="a MIDI file with one to four voices")
    embellish.add_argument("-o", "--output", required=True, help="the MIDI file to write")
    embellish.add_argument("--remove", type=float, default=0.3, help="max share of notes removed")
    embellish.add_argument("--add", type=int, default=40, help="max notes added")
    embellish.add_argument("--iterations", type=int, default=64, help="Gibbs sampling steps")
    embellish.add_argument("--risk", type=float, default=1.0, help="sampling temperature")
    embellish.add_argument("--seed", type=int, default=0)
    embellish.set_defaults(func=_embellish)
