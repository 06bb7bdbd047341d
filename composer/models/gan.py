"""The GAN harmonizer: a melody (soprano) and noise in, alto, tenor and bass out.

MuseGAN/DeepComposer lineage, with their weaknesses fixed:
- Fully convolutional over time (a 1-D U-Net on the 16th-note grid), so a 4-bar tune and a 40-bar
  tune go through in one pass with no windows and no seams.
- Each voice is a softmax over 46 pitches + rest per step, masked to the voice's range: every voice
  is monophonic and in range by construction. A second head per voice says whether a held pitch
  is struck again (13 % of Bach's inner-voice onsets are repeated notes).
- The soprano is an input, never an output: it comes back exactly as given.
- The voices are decoded jointly (`composer.models.decoding`): the generator's most likely notes
  that avoid parallel fifths/octaves and crossings, holding notes rather than flickering.
- The critic judges all four voices with the position and key features; it sees the generator's
  voices as straight-through Gumbel samples, so it judges real notes, not blurred probabilities.

Only torch and numpy (and composer's numpy modules) are imported, so training runs on a bare
GPU machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from composer.constants import LOWEST_PITCH, REST, VOICE_RANGES, VOICES
from composer.models.decoding import VoiceLeadingRules, decode_voices
from composer.models.features import (
    N_CLASSES,
    N_KEY,
    N_POSITION,
    REST_CLASS,
    classes_to_grid,
    key_features,
    position_features,
    voice_classes,
)
from composer.models.style_prior import load_style_prior
from composer.models.weights import load_once, read_weights, save_weights
from composer.score import Score

WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "weights"
SHIPPED_GAN = WEIGHTS_DIR / "gan.pt"
# Bach's texture fitted to the GAN's voices (composer.training.style_prior): the decoder's
# default rules, and the strike logit above which each lower voice strikes a held pitch again.
SHIPPED_STYLE_PRIOR = WEIGHTS_DIR / "gan-style-prior.json"
STYLE_PRIOR = load_style_prior(SHIPPED_STYLE_PRIOR)
DEFAULT_RULES = STYLE_PRIOR.rules(VoiceLeadingRules())
STRIKE_LOGITS = STYLE_PRIOR.strike_at
LOWER_VOICES = (1, 2, 3)  # alto, tenor, bass
STRIDE = 4  # the U-Net halves time twice: lengths are padded to a multiple of 4
COND_CHANNELS = N_CLASSES + 1 + N_POSITION + N_KEY  # soprano one-hot, its onsets, position, key
VOICE_CHANNELS = N_CLASSES + 1  # one-hot pitch-or-rest, onset


@dataclass
class GanConfig:
    channels: int = 96
    mid_channels: int = 160
    mid_dilations: tuple[int, ...] = (1, 2, 4, 8, 1, 2, 4, 8)
    noise_channels: int = 16
    critic_channels: int = 96


def range_mask(voices: tuple[int, ...] = LOWER_VOICES) -> torch.Tensor:
    """(voices, N_CLASSES) bool: the classes each voice may use (its range, and the rest)."""
    mask = torch.zeros(len(voices), N_CLASSES, dtype=torch.bool)
    for row, voice in enumerate(voices):
        low, high = VOICE_RANGES[VOICES[voice]]
        mask[row, low - LOWEST_PITCH : high - LOWEST_PITCH + 1] = True
        mask[row, REST_CLASS] = True
    return mask


class ChannelNorm(nn.Module):
    """Layer norm over channels at each step: independent of length and batch."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(x.transpose(1, 2)).transpose(1, 2)


class ResBlock(nn.Module):
    def __init__(self, channels: int, dilation: int = 1, norm: bool = True) -> None:
        super().__init__()
        self.norm1 = ChannelNorm(channels) if norm else nn.Identity()
        self.conv1 = nn.Conv1d(channels, channels, 3, padding=dilation, dilation=dilation)
        self.norm2 = ChannelNorm(channels) if norm else nn.Identity()
        self.conv2 = nn.Conv1d(channels, channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.gelu(self.norm1(x)))
        return x + self.conv2(F.gelu(self.norm2(h)))


class Generator(nn.Module):
    """(condition, noise) over time -> pitch logits and re-strike logits for alto, tenor, bass."""

    def __init__(self, config: GanConfig) -> None:
        super().__init__()
        c, m = config.channels, config.mid_channels
        self.config = config
        self.inp = nn.Conv1d(COND_CHANNELS + config.noise_channels, c, 3, padding=1)
        self.enc1 = ResBlock(c)
        self.down1 = nn.Conv1d(c, c, 4, stride=2, padding=1)
        self.enc2 = ResBlock(c)
        self.down2 = nn.Conv1d(c, m, 4, stride=2, padding=1)
        self.mid = nn.Sequential(*[ResBlock(m, d) for d in config.mid_dilations])
        self.up2 = nn.ConvTranspose1d(m, c, 4, stride=2, padding=1)
        self.dec2 = ResBlock(c)
        self.up1 = nn.ConvTranspose1d(c, c, 4, stride=2, padding=1)
        self.dec1 = ResBlock(c)
        self.out = nn.Sequential(ChannelNorm(c), nn.GELU(), nn.Conv1d(c, 3 * VOICE_CHANNELS, 1))
        self.register_buffer("allowed", range_mask(), persistent=False)

    def forward(self, cond: torch.Tensor, noise: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """cond (B, COND_CHANNELS, T), noise (B, noise_channels, T), T a multiple of 4.

        Returns pitch logits (B, 3, T, N_CLASSES), masked to each voice's range, and re-strike
        logits (B, 3, T).
        """
        h1 = self.enc1(self.inp(torch.cat([cond, noise], dim=1)))
        h2 = self.enc2(self.down1(h1))
        h = self.mid(self.down2(h2))
        h = self.dec2(self.up2(h) + h2)
        h = self.dec1(self.up1(h) + h1)
        batch, _, steps = h.shape
        out = self.out(h).view(batch, 3, VOICE_CHANNELS, steps).permute(0, 1, 3, 2)
        logits = out[..., :N_CLASSES].masked_fill(~self.allowed[None, :, None, :], -1e4)
        return logits, out[..., N_CLASSES]


class Critic(nn.Module):
    """All four voices with the position and key features -> one realness score per piece."""

    def __init__(self, config: GanConfig) -> None:
        super().__init__()
        c = config.critic_channels
        self.inp = nn.Conv1d(4 * VOICE_CHANNELS + N_POSITION + N_KEY, c, 3, padding=1)
        self.body = nn.Sequential(
            ResBlock(c, norm=False),
            nn.Conv1d(c, 2 * c, 4, stride=2, padding=1),
            ResBlock(2 * c, norm=False),
            nn.Conv1d(2 * c, 2 * c, 4, stride=2, padding=1),
            ResBlock(2 * c, 1, norm=False),
            ResBlock(2 * c, 2, norm=False),
            ResBlock(2 * c, 4, norm=False),
            nn.Conv1d(2 * c, 1, 1),
        )

    def forward(self, voices: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        """voices (B, 4 * VOICE_CHANNELS, T), context (B, N_POSITION + N_KEY, T) -> (B,)."""
        h = F.leaky_relu(self.inp(torch.cat([voices, context], dim=1)), 0.2)
        return self.body(h).mean(dim=(1, 2))


# --- tensors from scores -------------------------------------------------------------------


def condition_arrays(score: Score) -> tuple[np.ndarray, np.ndarray]:
    """The generator's condition (COND_CHANNELS, T) and the critic's context (position + key)."""
    steps = score.n_steps
    soprano = voice_classes(score.pitches[0])
    onehot = np.zeros((N_CLASSES, steps), dtype=np.float32)
    onehot[soprano, np.arange(steps)] = 1.0
    position = position_features(score)
    key = np.repeat(key_features(score)[:, None], steps, axis=1)
    onset = score.onsets[0:1].astype(np.float32)
    context = np.concatenate([position, key])
    return np.concatenate([onehot, onset, context]), context


def voices_onehot(classes: torch.Tensor, onsets: torch.Tensor) -> torch.Tensor:
    """classes (B, V, T) long, onsets (B, V, T) -> (B, V * VOICE_CHANNELS, T) for the critic."""
    onehot = F.one_hot(classes, N_CLASSES).float()
    return _pack(onehot, onsets.float())


def _pack(onehot: torch.Tensor, onsets: torch.Tensor) -> torch.Tensor:
    batch, voices, steps, _ = onehot.shape
    both = torch.cat([onehot, onsets[..., None]], dim=-1)  # (B, V, T, C)
    return both.permute(0, 1, 3, 2).reshape(batch, voices * VOICE_CHANNELS, steps)


def sampled_voices(
    logits: torch.Tensor, strike_logits: torch.Tensor, tau: float = 1.0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Straight-through Gumbel samples of the generated voices and their onsets.

    Returns one-hot (B, 3, T, N_CLASSES) and onsets (B, 3, T); gradients flow through both.
    """
    onehot = F.gumbel_softmax(logits, tau=tau, hard=True, dim=-1)
    strike = torch.sigmoid(strike_logits)
    strike = strike + ((torch.rand_like(strike) < strike).float() - strike).detach()
    previous = F.pad(onehot, (0, 0, 1, 0))[:, :, :-1]
    changed = 1.0 - (onehot * previous).sum(-1)
    sounding = 1.0 - onehot[..., REST_CLASS]
    onsets = sounding * (1.0 - (1.0 - changed) * (1.0 - strike))
    return onehot, onsets


def fake_voices(soprano: torch.Tensor, onehot: torch.Tensor, onsets: torch.Tensor) -> torch.Tensor:
    """The critic's input for generated A/T/B under a given soprano (B, VOICE_CHANNELS, T)."""
    lower = _pack(onehot, onsets)
    return torch.cat([soprano, lower], dim=1)


# --- inference -----------------------------------------------------------------------------


def _pad_to_stride(score: Score) -> int:
    return (-score.n_steps) % STRIDE


def _padded(score: Score, extra: int) -> Score:
    if extra == 0:
        return score
    pitches = np.pad(score.pitches, ((0, 0), (0, extra)), constant_values=REST)
    onsets = np.pad(score.onsets, ((0, 0), (0, extra)))
    return score.with_pitches(pitches, onsets)


@torch.no_grad()
def harmonize(
    generator: Generator,
    melody: Score,
    seed: int = 0,
    device: str | torch.device = "cpu",
    rules: VoiceLeadingRules | None = DEFAULT_RULES,
) -> Score:
    """Alto, tenor and bass for a melody of any length, in one pass; the soprano is kept as is.

    With `rules` (the default) the voices are decoded jointly by `composer.models.decoding`: the
    generator's most likely notes that avoid parallels and crossings. `rules=None` takes each
    voice's most likely class per step on its own (the raw generator, for comparison).
    """
    log_probs, strike_logits = voice_distributions(generator, melody, seed=seed, device=device)
    return decoded(melody, log_probs, strike_logits, rules, STRIKE_LOGITS)


@torch.no_grad()
def voice_distributions(
    generator: Generator, melody: Score, seed: int = 0, device: str | torch.device = "cpu"
) -> tuple[np.ndarray, np.ndarray]:
    """The generator's log-probabilities (3, T, classes) of alto, tenor and bass at every step
    under the melody, and its strike logits (3, T), for noise seeded with `seed`."""
    extra = _pad_to_stride(melody)
    padded = _padded(melody.with_pitches(melody.pitches[:1], melody.onsets[:1]), extra)
    cond, _ = condition_arrays(padded)
    cond_t = torch.from_numpy(cond)[None].to(device)
    rng = torch.Generator().manual_seed(seed)
    noise = noise_like(generator.config, cond_t.shape[-1], 1, rng).to(device)
    logits, strike_logits = generator(cond_t, noise)
    log_probs = torch.log_softmax(logits[0].float(), dim=-1).cpu().numpy()[:, : melody.n_steps]
    return log_probs, strike_logits[0].float().cpu().numpy()[:, : melody.n_steps]


def decoded(
    melody: Score,
    log_probs: np.ndarray,
    strike_logits: np.ndarray,
    rules: VoiceLeadingRules | None,
    strike_at: tuple[float, float, float] = (0.0, 0.0, 0.0),
) -> Score:
    """The four-voice score from the generator's outputs: with `rules` the voices decoded jointly,
    else each voice's likeliest class per step; a held pitch struck again where its voice's
    strike logit exceeds `strike_at`."""
    if rules is None:
        classes = log_probs.argmax(-1)
    else:
        classes = decode_voices(
            log_probs,
            melody.pitches[0],
            rules,
            key=(melody.tonic, melody.mode),
            pickup_steps=melody.pickup_steps,
        )
    strikes = strike_logits > np.asarray(strike_at)[:, None]
    lower_pitches, lower_onsets = classes_to_grid(classes, strikes)
    pitches = np.concatenate([melody.pitches[:1], lower_pitches])
    onsets = np.concatenate([melody.onsets[:1], lower_onsets])
    return melody.with_pitches(pitches, onsets)


def noise_like(
    config: GanConfig, steps: int, batch: int, rng: torch.Generator | None = None
) -> torch.Tensor:
    """Noise that changes once per quarter note (STRIDE steps): it shapes phrases, not jitter."""
    beats = steps // STRIDE
    z = torch.randn(batch, config.noise_channels, beats, generator=rng)
    return z.repeat_interleave(STRIDE, dim=-1)


# --- weights -------------------------------------------------------------------------------


def save_generator(generator: Generator, path: str | Path, meta: dict[str, object]) -> None:
    save_weights(generator, path, meta)


def load_generator(path: str | Path = SHIPPED_GAN, device: str = "cpu") -> Generator:
    blob = read_weights(path, device)
    config = blob["config"] | {"mid_dilations": tuple(blob["config"]["mid_dilations"])}
    generator = Generator(GanConfig(**config))
    generator.load_state_dict(blob["state"])
    return generator.eval().to(device)


def shipped_generator(device: str = "cpu") -> Generator:
    """The shipped generator, loaded once per process and device (every caller shares it)."""
    return load_once(SHIPPED_GAN, load_generator, device)


def shipped_harmonizer(
    melody: Score,
    seed: int = 0,
    rules: VoiceLeadingRules | None = DEFAULT_RULES,
    device: str = "cpu",
) -> Score:
    """Harmonize with the weights that ship with composer (loaded once per process and device)."""
    return harmonize(shipped_generator(device), melody, seed=seed, device=device, rules=rules)
