"""Training batches from the chorale dataset: random crops of whole chorales, transposed.

Everything is kept as small integer tensors on the training device, and a batch is cut, shifted
and one-hot encoded there, so the GPU is not starved by Python. torch and numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from composer.constants import HIGHEST_PITCH, LOWEST_PITCH, REST
from composer.models.features import (
    N_CLASSES,
    N_KEY,
    REST_CLASS,
    key_features,
    position_features,
    rearticulations,
    voice_classes,
)
from composer.score import Score


@dataclass
class Batch:
    classes: torch.Tensor  # (B, 4, L) long, pitch-or-rest class per voice
    onsets: torch.Tensor  # (B, 4, L) float
    strikes: torch.Tensor  # (B, 4, L) float, 1 where a held pitch is struck again
    context: torch.Tensor  # (B, N_POSITION + N_KEY, L) float
    valid: torch.Tensor  # (B, L) bool, False on padding past a chorale's end


class ChoraleBatches:
    """Samples crops of `length` steps (a multiple of 4 from the chorale's start) with a random
    transposition in ±`max_shift` semitones that keeps every voice within MIDI 36–81."""

    def __init__(
        self,
        chorales: list[Score],
        length: int,
        device: str | torch.device = "cpu",
        max_shift: int = 6,
        seed: int = 0,
    ) -> None:
        self.length = length
        self.device = torch.device(device)
        self.rng = np.random.default_rng(seed)
        total = sum(s.n_steps for s in chorales)
        self.weights = np.array([s.n_steps / total for s in chorales])
        self.pieces = []
        for score in chorales:
            sounding = score.pitches[score.pitches != REST]
            low = max(-max_shift, LOWEST_PITCH - int(sounding.min()))
            high = min(max_shift, HIGHEST_PITCH - int(sounding.max()))
            pad = max(0, length - score.n_steps)
            self.pieces.append(
                {
                    "classes": _tensor(
                        np.pad(
                            voice_classes(score.pitches),
                            ((0, 0), (0, pad)),
                            constant_values=REST_CLASS,
                        ),
                        self.device,
                    ),
                    "onsets": _tensor(
                        np.pad(score.onsets.astype(np.float32), ((0, 0), (0, pad))), self.device
                    ),
                    "strikes": _tensor(
                        np.pad(rearticulations(score.pitches, score.onsets), ((0, 0), (0, pad))),
                        self.device,
                    ),
                    "position": _tensor(
                        np.pad(position_features(score), ((0, 0), (0, pad))), self.device
                    ),
                    "key": key_features(score),
                    "steps": score.n_steps,
                    "shifts": (low, high),
                }
            )

    def sample(self, batch_size: int, augment: bool = True) -> Batch:
        picks = self.rng.choice(len(self.pieces), size=batch_size, p=self.weights)
        parts: dict[str, list[torch.Tensor]] = {k: [] for k in Batch.__dataclass_fields__}
        for index in picks:
            piece = self.pieces[index]
            room = max(0, piece["steps"] - self.length)
            start = 4 * int(self.rng.integers(0, room // 4 + 1))
            window = slice(start, start + self.length)
            low, high = piece["shifts"]
            shift = int(self.rng.integers(low, high + 1)) if augment else 0
            classes = piece["classes"][:, window]
            classes = torch.where(classes == REST_CLASS, classes, classes + shift)
            key = np.roll(piece["key"][:12], shift)
            key_row = torch.tensor(np.append(key, piece["key"][12]), dtype=torch.float32)
            key_t = key_row.to(self.device)[:, None].expand(N_KEY, self.length)
            parts["classes"].append(classes)
            parts["onsets"].append(piece["onsets"][:, window])
            parts["strikes"].append(piece["strikes"][:, window])
            parts["context"].append(torch.cat([piece["position"][:, window], key_t]))
            valid = torch.arange(start, start + self.length, device=self.device) < piece["steps"]
            parts["valid"].append(valid)
        return Batch(**{k: torch.stack(v) for k, v in parts.items()})


def _tensor(array: np.ndarray, device: torch.device) -> torch.Tensor:
    dtype = torch.long if array.dtype.kind in "iu" else torch.float32
    return torch.as_tensor(array, dtype=dtype, device=device)


def soprano_condition(batch: Batch) -> torch.Tensor:
    """The generator's condition for a batch: soprano one-hot, its onsets, position and key."""
    onehot = F.one_hot(batch.classes[:, 0], N_CLASSES).float().transpose(1, 2)
    return torch.cat([onehot, batch.onsets[:, 0:1], batch.context], dim=1)
