"""Load the prepared Bach chorales (`composer prepare`) as Scores. Needs only numpy.

Layout of `data/chorales.npz`: per piece `names`, `splits` ("train"/"valid"), `meters` (n, 2),
`pickups`, `tonics`, `modes`, `shifts` (semitones the piece was moved to fit MIDI 36–81); all
pieces' steps concatenated along time in `pitches` int8 (4, total; REST = -1), `onsets` bool
(4, total) and `fermatas` bool (total,), piece i spanning `offsets[i]:offsets[i + 1]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from composer.errors import InputError
from composer.score import Score

DATASET_PATH = Path(__file__).resolve().parent / "chorales.npz"
SPLITS = ("train", "valid")


@lru_cache(maxsize=4)
def _arrays(path: str) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {key: data[key] for key in data.files}


def _data(path: str | Path | None) -> dict[str, np.ndarray]:
    resolved = Path(path) if path is not None else DATASET_PATH
    if not resolved.exists():
        raise InputError(f"no chorale dataset at {resolved}; run `composer prepare`")
    return _arrays(str(resolved.resolve()))


def chorale_names(split: str | None = None, *, path: str | Path | None = None) -> list[str]:
    """Corpus names of the prepared chorales of one split (all when split is None), in order."""
    if split is not None and split not in SPLITS:
        raise InputError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    data = _data(path)
    return [
        str(n) for n, s in zip(data["names"], data["splits"], strict=True) if split in (None, s)
    ]


def _piece(data: dict[str, np.ndarray], i: int) -> Score:
    start, stop = int(data["offsets"][i]), int(data["offsets"][i + 1])
    num, den = (int(x) for x in data["meters"][i])
    return Score(
        pitches=data["pitches"][:, start:stop].astype(np.int16),
        onsets=data["onsets"][:, start:stop].copy(),
        meter=(num, den),
        tonic=int(data["tonics"][i]),
        mode=str(data["modes"][i]),
        pickup_steps=int(data["pickups"][i]),
        name=str(data["names"][i]),
        fermatas=data["fermatas"][start:stop].copy(),
    )


def load_chorales(
    split: str | None = None,
    names: Sequence[str] | None = None,
    path: str | Path | None = None,
) -> list[Score]:
    """The chorales of a split (or all), or exactly the named ones in the order given.

    A name that is not in the prepared dataset (or not in `split`, when both are given) is an
    InputError.
    """
    allowed = chorale_names(split, path=path)
    data = _data(path)
    index = {str(n): i for i, n in enumerate(data["names"])}
    wanted = allowed if names is None else list(names)
    unknown = [n for n in wanted if n not in set(allowed)]
    if unknown:
        where = f"the {split} split" if split else "the chorale dataset"
        raise InputError(f"not in {where}: {', '.join(unknown)}")
    return [_piece(data, index[n]) for n in wanted]
