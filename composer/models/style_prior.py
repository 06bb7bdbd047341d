"""Bach's texture as a prior for the voice-leading decoder.

The teacher's rules (composer.models.decoding) say what Bach avoids; they do not say how his
voices sound together the rest of the time: how often alto and bass sit an octave apart, how
often the bass holds, repeats or moves a fourth, how often two voices move in parallel thirds,
which scale degrees the tenor dwells on. A decoder that only avoids faults writes a texture any
classifier can tell from his, however clean. The style prior is that texture as weights in nats,
fitted so that the decoded voices' statistics match Bach's (composer.training.style_prior):

- `vertical`: per pair of voices and interval class, per step both sound;
- `wide`, `crossed`: per pair, per step it is over an octave apart or crossed;
- `moves`: per lower voice and size of move (composer.models.decoding.MOVE_BINS), per move;
- `degrees`: per mode, lower voice and pitch class above the tonic, per step;
- `motion`: per pair, per parallel, similar, contrary or oblique change;
- `rests`: per lower voice, per step it rests while the melody sounds (a voice must not fall
  silent because silence escapes every other weight);
- `strike`: per lower voice, the strike logit above which a held pitch is struck again.

`texture_statistics` measures exactly what those weights act on, so fitting is a loop of
decode, measure, adjust. numpy and json only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from composer.constants import REST
from composer.models.decoding import MOVE_BINS, PAIRS, VoiceLeadingRules, move_bin
from composer.score import Score

TABLES = ("vertical", "wide", "crossed", "moves", "degrees", "motion", "rests")
LOWER = (1, 2, 3)
# Parallel, similar, contrary, oblique: the order of `motion`'s columns.
MOTIONS = ("parallel", "similar", "contrary", "oblique")


@dataclass
class Texture:
    """What the prior's weights act on, as shares and rates (arrays shaped like the tables)."""

    tables: dict[str, np.ndarray]
    restrike: np.ndarray  # (3,): share of a lower voice's held steps struck again

    def distance(self, other: Texture) -> dict[str, float]:
        """Summed absolute difference per table, and of the restrike shares."""
        out = {k: float(np.abs(self.tables[k] - other.tables[k]).sum()) for k in TABLES}
        out["restrike"] = float(np.abs(self.restrike - other.restrike).sum())
        return out


def _shares(counts: np.ndarray, totals: np.ndarray) -> np.ndarray:
    return counts / np.maximum(totals, 1)


def texture_statistics(scores: Sequence[Score]) -> Texture:
    """The texture of four-voice scores, pooled over all of them (see the module docstring)."""
    vertical = np.zeros((len(PAIRS), 12))
    both_steps = np.zeros(len(PAIRS))
    wide = np.zeros(len(PAIRS))
    crossed = np.zeros(len(PAIRS))
    moves = np.zeros((3, MOVE_BINS))
    voice_steps = np.zeros(3)
    degrees = np.zeros((2, 3, 12))
    motion = np.zeros((len(PAIRS), 4))
    held = np.zeros(3)
    struck = np.zeros(3)
    resting = np.zeros(3)
    melody_steps = 0
    for score in scores:
        p = score.pitches[:4].astype(np.int64)
        o = score.onsets[:4]
        mode = 0 if score.mode == "major" else 1
        melody = p[0] != REST
        melody_steps += int(melody.sum())
        resting += [(melody & (p[v] == REST)).sum() for v in LOWER]
        for n, (i, j) in enumerate(PAIRS):
            both = (p[i] != REST) & (p[j] != REST)
            gap = (p[i] - p[j])[both]
            vertical[n] += np.bincount(gap % 12, minlength=12)
            both_steps[n] += both.sum()
            wide[n] += (gap > 12).sum()
            crossed[n] += (gap < 0).sum()
            pair = both[:-1] & both[1:]
            da, db = np.diff(p[i])[pair], np.diff(p[j])[pair]
            kept = (p[i, :-1] - p[j, :-1])[pair] == (p[i, 1:] - p[j, 1:])[pair]
            moving = (da != 0) & (db != 0)
            same = np.sign(da) == np.sign(db)
            motion[n] += [
                (moving & same & kept).sum(),
                (moving & same & ~kept).sum(),
                (moving & ~same).sum(),
                ((da != 0) ^ (db != 0)).sum(),
            ]
        for v in LOWER:
            before, after = p[v, :-1], p[v, 1:]
            sounding = (before != REST) & (after != REST)
            move = (after - before)[sounding]
            moves[v - 1] += np.bincount(move_bin(move[move != 0]), minlength=MOVE_BINS)
            voice_steps[v - 1] += sounding.sum()
            on = p[v] != REST
            degrees[mode, v - 1] += np.bincount((p[v][on] - score.tonic) % 12, minlength=12)
            hold = sounding & (before == after)
            held[v - 1] += hold.sum()
            struck[v - 1] += (hold & o[v, 1:]).sum()
    tables = {
        "vertical": _shares(vertical, both_steps[:, None]),
        "wide": _shares(wide, both_steps),
        "crossed": _shares(crossed, both_steps),
        "moves": _shares(moves, voice_steps[:, None]),
        "degrees": _shares(degrees, degrees.sum(axis=-1, keepdims=True)),
        "motion": _shares(motion, motion.sum(axis=-1, keepdims=True)),
        "rests": _shares(resting, np.array(melody_steps)),
    }
    return Texture(tables, _shares(struck, held))


def _one_line(match: re.Match[str]) -> str:
    return "[" + ", ".join(x.strip() for x in match.group(1).split(",")) + "]"


def _nested(values: np.ndarray) -> Any:
    if values.ndim == 1:
        return tuple(round(float(v), 4) for v in values)
    return tuple(_nested(row) for row in values)


@dataclass
class StylePrior:
    tables: dict[str, np.ndarray]  # the decoder's texture weights, by VoiceLeadingRules field
    strike: np.ndarray  # (3,) strike-logit thresholds of alto, tenor and bass
    meta: dict[str, Any] = field(default_factory=dict)  # how it was fitted

    @classmethod
    def zero(cls) -> StylePrior:
        """No prior: every weight 0, every threshold at even odds."""
        texture = texture_statistics([])
        return cls({k: np.zeros_like(v) for k, v in texture.tables.items()}, np.zeros(3))

    @property
    def strike_at(self) -> tuple[float, float, float]:
        """The strike thresholds of alto, tenor and bass, as the GAN's decoding takes them."""
        alto, tenor, bass = (float(x) for x in self.strike)
        return alto, tenor, bass

    def rules(self, base: VoiceLeadingRules) -> VoiceLeadingRules:
        """`base` with this prior's texture weights."""
        return replace(base, **{k: _nested(np.asarray(v)) for k, v in self.tables.items()})

    def save(self, path: str | Path) -> None:
        blob = {
            "tables": {k: np.asarray(v).round(4).tolist() for k, v in self.tables.items()},
            "strike": np.asarray(self.strike).round(4).tolist(),
            "meta": self.meta,
        }
        text = json.dumps(blob, indent=1)
        # One line per row of numbers, so the file reads as the tables it holds.
        text = re.sub(r"\[\s*(-?[\d.e-]+(?:,\s*-?[\d.e-]+)*)\s*\]", _one_line, text)
        Path(path).write_text(text + "\n")

    @classmethod
    def load(cls, path: str | Path) -> StylePrior:
        blob = json.loads(Path(path).read_text())
        zero = cls.zero().tables  # a table the file lacks weighs nothing
        tables = {k: np.asarray(blob["tables"].get(k, zero[k]), dtype=float) for k in TABLES}
        return cls(tables, np.asarray(blob["strike"], dtype=float), blob.get("meta", {}))


def load_style_prior(path: str | Path) -> StylePrior:
    """The prior saved at `path`, or no prior where there is no such file."""
    return StylePrior.load(path) if Path(path).exists() else StylePrior.zero()
