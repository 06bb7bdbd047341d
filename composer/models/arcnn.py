"""The AR-CNN: Coconet's orderless infilling net, with DeepComposer's embellishing controls.

The score is an image over (time × pitch) with the four voices as channels, so a convolution
along the pitch axis sees intervals, not absolute pitches: the net is transposition-equivariant
except for one pitch-height plane that lets it learn the voices' registers.

Input planes, at each step t and pitch row p (p = 0..45 for MIDI 36..81):
- per voice (4 × 4 planes): the one-hot pitch of the cells that are known, 1 across the row where
  the known cell is a rest (a rest has no pitch row: it is all-zero in the one-hot), 1 across the
  row where the known cell re-strikes the pitch it held, and the mask (1 where the cell is hidden);
- the key, equivariantly: 1 where p's pitch class is the tonic, 1 where it is in the key's scale,
  1 everywhere in minor;
- pitch height (-1 at MIDI 36 … 1 at MIDI 81).
The position in bar and piece (composer.models.features.position_features) is added to the first
layer's activations as a per-step bias, the same across pitch.

Output, per voice and step, a softmax over the 47 classes of composer.models.features (46 pitches
and
the rest): the pitch logits come from a 1×1 convolution at each pitch row, the rest logit from the
features pooled over pitch. Logits outside a voice's range (composer.constants.VOICE_RANGES) are
masked, so every sample is in range, and each voice is monophonic by construction. A second
pooled head gives the chance that a pitch held from the previous step is struck again.

The body is residual blocks of two 3×3 convolutions, the first dilated in time (1, 2, 4, 8, 16, …),
so about six bars of context reach each cell through a net cheap enough to train on two CPU
cores. (Depthwise-separable convolutions were measured slower here: they are memory-bound on the
CPU, while oneDNN runs full 3×3 convolutions in channels-last layout near peak.)

Training (composer.training.arcnn) is Coconet's: for each crop a mask size drawn uniformly, that
many
random cells hidden, cross-entropy on the hidden cells only, averaged over them (the loss rescaled
by the inverse of the mask's share). Sampling is annealed independent blocked Gibbs with Yao's
schedule; `harmonize`, `refine` and `embellish` are its three uses. torch and numpy only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from composer.constants import (
    HIGHEST_PITCH,
    LOWEST_PITCH,
    N_PITCHES,
    N_VOICES,
    REST,
    VOICE_RANGES,
    VOICES,
)
from composer.metrics import NOTEWISE_NLL
from composer.models.decoding import VoiceLeadingRules, decode_voices
from composer.models.features import (
    N_CLASSES,
    N_POSITION,
    REST_CLASS,
    classes_to_grid,
    key_features,
    position_features,
    rearticulations,
    voice_classes,
)
from composer.models.weights import load_once, read_weights, save_weights
from composer.score import Score
from composer.theory import MAJOR_SCALE, MINOR_SCALE

WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "weights"
SHIPPED_ARCNN = WEIGHTS_DIR / "arcnn.pt"
LOWER_VOICES = (1, 2, 3)
IN_PLANES = 4 * N_VOICES + 3 + 1  # per-voice pitch/rest/strike/mask, key, height
# Gibbs steps of the registered harmonizer: a chorale-length melody in under 2 s on 2 CPU cores.
SHIPPED_ITERATIONS = 24
DEFAULT_RULES = VoiceLeadingRules()  # the GAN's: one voice-leading standard for both models
# Yao et al.'s annealing schedule, as Coconet uses it.
PMIN, PMAX, ALPHA = 0.1, 0.9, 0.7


@dataclass
class ArcnnConfig:
    channels: int = 64
    # One residual block (two 3×3 convolutions) per entry: the first conv's dilation in time.
    dilations: tuple[int, ...] = (1, 2, 4, 8, 16, 1, 2, 4)


def range_mask() -> torch.Tensor:
    """(4, N_CLASSES) bool: the classes each voice may sing (its range, and the rest)."""
    mask = torch.zeros(N_VOICES, N_CLASSES, dtype=torch.bool)
    for voice, name in enumerate(VOICES):
        low, high = VOICE_RANGES[name]
        mask[voice, low - LOWEST_PITCH : high - LOWEST_PITCH + 1] = True
    mask[:, REST_CLASS] = True
    return mask


def _scale_table() -> torch.Tensor:
    """(2, 12, 12): [mode, tonic, pitch class] 1.0 where the pitch class is in the key's scale."""
    table = torch.zeros(2, 12, 12)
    for mode, scale in enumerate((MAJOR_SCALE, MINOR_SCALE)):
        for tonic in range(12):
            for degree in scale:
                table[mode, tonic, (tonic + degree) % 12] = 1.0
    return table


class ResBlock(nn.Module):
    """x + conv(gelu(norm(conv_dilated(gelu(norm(x)))))): 3×3 convolutions, the first dilated in
    time only, so pitch neighbours (a semitone, a tone) stay adjacent while the context grows."""

    def __init__(self, channels: int, dilation: int) -> None:
        super().__init__()
        self.norm1 = nn.BatchNorm2d(channels)
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=(dilation, 1), dilation=(dilation, 1))
        self.norm2 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.gelu(self.norm1(x)))
        return x + self.conv2(F.gelu(self.norm2(h)))


class Arcnn(nn.Module):
    """(classes, strikes, known, context) -> class logits (B, 4, T, 47), strike logits (B, 4, T)."""

    def __init__(self, config: ArcnnConfig) -> None:
        super().__init__()
        self.config = config
        c = config.channels
        self.inp = nn.Conv2d(IN_PLANES, c, 3, padding=1)
        self.position = nn.Conv1d(N_POSITION, c, 1)
        self.body = nn.Sequential(*[ResBlock(c, d) for d in config.dilations])
        self.out_norm = nn.BatchNorm2d(c)
        self.pitch_head = nn.Conv2d(c, N_VOICES, 1)
        self.pooled_head = nn.Conv1d(2 * c, 2 * N_VOICES, 1)  # rest and strike logits
        self.register_buffer("allowed", range_mask(), persistent=False)
        self.register_buffer("scales", _scale_table(), persistent=False)
        height = torch.linspace(-1.0, 1.0, N_PITCHES)
        self.register_buffer("height", height, persistent=False)
        self.to(memory_format=torch.channels_last)

    def planes(
        self, classes: torch.Tensor, strikes: torch.Tensor, known: torch.Tensor, key: torch.Tensor
    ) -> torch.Tensor:
        """The input image (B, IN_PLANES, T, 46); key (B, N_KEY) as key_features gives it."""
        batch, _, steps = classes.shape
        k = known.float()
        onehot = F.one_hot(classes, N_CLASSES)[..., :N_PITCHES].float() * k[..., None]
        rest = ((classes == REST_CLASS).float() * k)[..., None].expand(-1, -1, -1, N_PITCHES)
        strike = (strikes.float() * k)[..., None].expand(-1, -1, -1, N_PITCHES)
        hidden = (1.0 - k)[..., None].expand(-1, -1, -1, N_PITCHES)
        voices = torch.stack([onehot, rest, strike, hidden], dim=2).flatten(1, 2)
        pitch_class = (torch.arange(N_PITCHES, device=key.device) + LOWEST_PITCH) % 12
        tonic = key[:, :12]
        minor = key[:, 12]
        in_scale = torch.einsum("bt,btp->bp", tonic, self.scales[minor.long()])
        key_rows = torch.stack(
            [tonic[:, pitch_class], in_scale[:, pitch_class], minor[:, None].expand(-1, N_PITCHES)],
            dim=1,
        )  # (B, 3, 46)
        key_planes = key_rows[:, :, None, :].expand(-1, -1, steps, -1)
        height = self.height.expand(batch, 1, steps, N_PITCHES)
        return torch.cat([voices, key_planes, height], dim=1)

    def forward(
        self,
        classes: torch.Tensor,
        strikes: torch.Tensor,
        known: torch.Tensor,
        context: torch.Tensor,
        in_range: bool = False,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """classes (B, 4, T) long (hidden cells may hold anything), strikes and known (B, 4, T),
        context (B, N_POSITION + N_KEY, T) as ChoraleBatches gives it.

        With `in_range` the logits outside each voice's range are masked (sampling); without,
        the model's full distribution is returned (training and NLL: Bach's voices, transposed,
        leave the comfortable ranges now and then)."""
        key = context[:, N_POSITION:, 0]
        # Channels-last: oneDNN's 3×3 convolutions run about twice as fast on the CPU.
        x = self.planes(classes, strikes, known, key).contiguous(memory_format=torch.channels_last)
        h = self.inp(x) + self.position(context[:, :N_POSITION])[..., None]
        h = F.gelu(self.out_norm(self.body(h)))
        pitch = self.pitch_head(h)  # (B, 4, T, 46)
        pooled = torch.cat([h.mean(dim=3), h.amax(dim=3)], dim=1)
        rest, strike = self.pooled_head(pooled).split(N_VOICES, dim=1)  # (B, 4, T) each
        logits = torch.cat([pitch, rest[..., None]], dim=-1)
        if in_range:
            logits = logits.masked_fill(~self.allowed[None, :, None, :], -1e4)
        return logits, strike


# --- training loss -------------------------------------------------------------------------


def orderless_mask(valid: torch.Tensor, generator: torch.Generator | None = None) -> torch.Tensor:
    """(B, 4, T) bool hidden cells: per crop a count drawn uniformly from 1..(valid cells), and
    that many cells chosen at random among the valid ones (Coconet's orderless NADE masks)."""
    batch, steps = valid.shape
    cells = valid[:, None, :].expand(batch, N_VOICES, steps).reshape(batch, -1)
    noise = torch.rand(cells.shape, generator=generator).to(valid.device)
    noise = noise.masked_fill(~cells, 2.0)  # padding sorts last and is never hidden
    ranks = noise.argsort(dim=1).argsort(dim=1)
    count = cells.sum(dim=1, keepdim=True)
    size = (torch.rand(batch, 1, generator=generator).to(valid.device) * count).long() + 1
    return (ranks < size).view(batch, N_VOICES, steps)


def masked_loss(
    model: Arcnn,
    classes: torch.Tensor,
    strikes: torch.Tensor,
    context: torch.Tensor,
    hidden: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Coconet's loss: cross-entropy on the hidden cells only, averaged over them per crop (the
    sum rescaled by the inverse mask share), then over crops; and the re-strike loss on hidden
    cells whose pitch is held from the previous step."""
    logits, strike_logits = model(classes, strikes, ~hidden, context)
    nll = F.cross_entropy(logits.permute(0, 3, 1, 2), classes, reduction="none")  # (B, 4, T)
    per_crop = (nll * hidden).sum(dim=(1, 2)) / hidden.sum(dim=(1, 2)).clamp(min=1)
    held = torch.zeros_like(hidden)
    held[..., 1:] = (classes[..., 1:] == classes[..., :-1]) & (classes[..., 1:] != REST_CLASS)
    held &= hidden
    bce = F.binary_cross_entropy_with_logits(strike_logits, strikes.float(), reduction="none")
    strike_loss = (bce * held).sum() / held.sum().clamp(min=1)
    return per_crop.mean(), strike_loss


# --- tensors from scores -------------------------------------------------------------------


def _context(score: Score) -> torch.Tensor:
    position = position_features(score)
    key = np.repeat(key_features(score)[:, None], score.n_steps, axis=1)
    return torch.from_numpy(np.concatenate([position, key]))


def _four_voices(score: Score) -> Score:
    """The score with rests added below its voices up to four."""
    if score.n_voices > N_VOICES:
        raise ValueError(f"the AR-CNN takes at most {N_VOICES} voices, got {score.n_voices}")
    extra = N_VOICES - score.n_voices
    pitches = np.pad(score.pitches, ((0, extra), (0, 0)), constant_values=REST)
    onsets = np.pad(score.onsets, ((0, extra), (0, 0)))
    return score.with_pitches(pitches, onsets)


def _classes(score: Score) -> np.ndarray:
    sounding = score.pitches[score.pitches != REST]
    if sounding.size and (sounding.min() < LOWEST_PITCH or sounding.max() > HIGHEST_PITCH):
        raise ValueError(f"pitches must lie in MIDI {LOWEST_PITCH}-{HIGHEST_PITCH}")
    return voice_classes(score.pitches)


# --- sampling: annealed blocked Gibbs ------------------------------------------------------


def yao_schedule(
    n: int, iterations: int, pmin: float = PMIN, pmax: float = PMAX, alpha: float = ALPHA
) -> float:
    """The share of cells re-masked at Gibbs step n of `iterations`:
    p_n = max(pmin, pmax - (pmax - pmin) * n / (alpha * iterations))."""
    return max(pmin, pmax - (pmax - pmin) * n / (alpha * iterations))


def _restrikes(classes: torch.Tensor, flags: torch.Tensor) -> torch.Tensor:
    """Re-strike flags kept only where the pitch is held from the previous step."""
    same = torch.zeros_like(flags)
    same[..., 1:] = (classes[..., 1:] == classes[..., :-1]) & (classes[..., 1:] != REST_CLASS)
    return flags & same


@torch.no_grad()
def gibbs(
    model: Arcnn,
    classes: torch.Tensor,
    strikes: torch.Tensor,
    context: torch.Tensor,
    region: torch.Tensor,
    *,
    iterations: int,
    temperature: float,
    seed: int,
    pmax: float = PMAX,
    pmin: float = PMIN,
    from_scratch: bool = True,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Resample the cells in `region` (B, 4, T) bool by annealed independent blocked Gibbs.

    Step 0 hides the whole region when `from_scratch`, else a share pmax of it; step n hides each
    region cell with probability yao_schedule(n) and samples all hidden cells at once from the
    model's softmax at `temperature` (0 = the most likely class). Cells outside the region are
    never changed. Random numbers come from a CPU generator seeded with `seed`, so a seed gives
    the same music on any device.
    """
    model.eval()
    device = classes.device
    rng = torch.Generator().manual_seed(seed)
    classes, strikes = classes.clone(), strikes.clone().bool()
    for n in range(max(1, iterations)):
        share = 1.0 if (n == 0 and from_scratch) else yao_schedule(n, iterations, pmin, pmax)
        draw = torch.rand(region.shape, generator=rng).to(device)
        hidden = region & (draw < share)
        known = ~hidden
        logits, strike_logits = model(classes, _restrikes(classes, strikes), known, context, True)
        sample = _sample(logits, temperature, rng)
        flags = torch.rand(strike_logits.shape, generator=rng).to(device)
        flags = flags < torch.sigmoid(strike_logits)
        classes = torch.where(hidden, sample, classes)
        strikes = torch.where(hidden, flags, strikes)
    return classes, _restrikes(classes, strikes)


def _sample(logits: torch.Tensor, temperature: float, rng: torch.Generator) -> torch.Tensor:
    if temperature <= 0:
        return logits.argmax(-1)
    uniform = torch.rand(logits.shape, generator=rng).to(logits.device)
    gumbel = -torch.log(-torch.log(uniform.clamp(1e-10, 1.0 - 1e-7)))
    return (logits / temperature + gumbel).argmax(-1)


def _device(model: Arcnn) -> torch.device:
    return next(model.parameters()).device


def _tensors(score: Score, device: torch.device) -> tuple[torch.Tensor, ...]:
    classes = torch.from_numpy(_classes(score))[None].to(device)
    strikes = torch.from_numpy(rearticulations(score.pitches, score.onsets) > 0)[None].to(device)
    return classes, strikes, _context(score)[None].to(device)


def _as_score(template: Score, classes: torch.Tensor, strikes: torch.Tensor) -> Score:
    pitches, onsets = classes_to_grid(classes[0].cpu().numpy(), strikes[0].cpu().numpy())
    return template.with_pitches(pitches, onsets)


def _with_kept(out: Score, source: Score, voices: tuple[int, ...]) -> Score:
    """`out` with the given voices' pitches and onsets exactly as in `source`."""
    pitches, onsets = out.pitches.copy(), out.onsets.copy()
    pitches[list(voices)] = source.pitches[list(voices)]
    onsets[list(voices)] = source.onsets[list(voices)]
    return out.with_pitches(pitches, onsets)


@torch.no_grad()
def voice_log_probs(
    model: Arcnn, classes: torch.Tensor, strikes: torch.Tensor, context: torch.Tensor
) -> np.ndarray:
    """(3, T, classes): each lower voice's log-probabilities at every step given the other three
    voices as they stand (one pass per voice, that voice hidden)."""
    out = []
    for voice in LOWER_VOICES:
        known = torch.ones_like(classes, dtype=torch.bool)
        known[:, voice] = False
        logits, _ = model(classes, _restrikes(classes, strikes), known, context, True)
        out.append(torch.log_softmax(logits[0, voice].float(), dim=-1))
    return torch.stack(out).cpu().numpy()


def _decoded(
    model: Arcnn,
    classes: torch.Tensor,
    strikes: torch.Tensor,
    context: torch.Tensor,
    score: Score,
    rules: VoiceLeadingRules,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The sample's lower voices re-chosen jointly among the model's likeliest notes for each,
    avoiding the teacher's faults (composer.models.decoding), as the GAN's are."""
    lower = decode_voices(
        voice_log_probs(model, classes, strikes, context),
        score.pitches[0],
        rules,
        key=(score.tonic, score.mode),
        pickup_steps=score.pickup_steps,
    )
    classes = classes.clone()
    classes[0, 1:] = torch.from_numpy(lower).to(classes.device)
    return classes, _restrikes(classes, strikes)


def _resample_lower_voices(
    model: Arcnn, score: Score, rules: VoiceLeadingRules | None = None, **sampling: Any
) -> Score:
    """The four-voice score with alto, tenor and bass resampled by `gibbs(**sampling)`, then,
    with `rules`, decoded for voice leading; the melody (voice 0) is kept exactly."""
    classes, strikes, context = _tensors(score, _device(model))
    region = torch.zeros_like(classes, dtype=torch.bool)
    region[:, 1:] = True
    classes, strikes = gibbs(model, classes, strikes, context, region, **sampling)
    if rules is not None:
        classes, strikes = _decoded(model, classes, strikes, context, score, rules)
    return _with_kept(_as_score(score, classes, strikes), score, (0,))


def harmonize(
    model: Arcnn,
    melody: Score,
    *,
    iterations: int = 64,
    temperature: float = 0.99,
    seed: int = 0,
    rules: VoiceLeadingRules | None = None,
) -> Score:
    """Alto, tenor and bass sampled from scratch under the melody (voice 0, kept exactly), for a
    melody of any length in one pass per Gibbs step; with `rules`, the sample's voices are then
    decoded for voice leading (three more passes)."""
    score = _four_voices(melody.with_pitches(melody.pitches[:1], melody.onsets[:1]))
    return _resample_lower_voices(
        model, score, rules, iterations=iterations, temperature=temperature, seed=seed
    )


def refine(
    model: Arcnn,
    draft: Score,
    *,
    share: float = 0.5,
    iterations: int = 32,
    temperature: float = 0.99,
    seed: int = 0,
) -> Score:
    """A four-voice draft (e.g. the GAN's) with its alto, tenor and bass partly resampled: step n
    re-masks a share decreasing from `share` to min(0.1, share) (Yao's schedule)."""
    return _resample_lower_voices(
        model,
        _four_voices(draft),
        iterations=iterations,
        temperature=temperature,
        seed=seed,
        pmax=share,
        pmin=min(PMIN, share),
        from_scratch=False,
    )


# --- embellish: DeepComposer's controls ----------------------------------------------------

Note = tuple[int, int, int]  # start, end (exclusive), pitch


def note_changes(before: Score, after: Score) -> tuple[int, int]:
    """(input notes removed, notes added): notes of `before` not in `after` and the reverse, a note
    being the same voice, start, end and pitch."""
    removed = added = 0
    for voice in range(max(before.n_voices, after.n_voices)):
        old = set(before.notes(voice)) if voice < before.n_voices else set()
        new = set(after.notes(voice)) if voice < after.n_voices else set()
        removed += len(old - new)
        added += len(new - old)
    return removed, added


def _edits(before: np.ndarray, after: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs (start, end) of steps where one voice's row differs."""
    diff = np.concatenate([[False], before != after, [False]])
    edges = np.flatnonzero(diff[1:] != diff[:-1])
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def _voice_changes(old: set[Note], pitches: np.ndarray, onsets: np.ndarray) -> tuple[int, int]:
    new = set(Score(pitches=pitches[None], onsets=onsets[None]).notes(0))
    return len(old - new), len(new - old)


def _within_budget(
    original: Score, proposal: Score, max_removed: int, max_added: int, seed: int
) -> Score:
    """The proposal's edits (runs of changed steps per voice), accepted one by one in a seeded
    random order while the exact counts of removed and added notes stay within the budgets;
    rejected edits fall back to the original."""
    rng = np.random.default_rng(seed)
    pitches, onsets = original.pitches.copy(), original.onsets.copy()
    edits = [
        (voice, start, end)
        for voice in range(original.n_voices)
        for start, end in _edits(_row_key(original, voice), _row_key(proposal, voice))
    ]
    old_notes = [set(original.notes(v)) for v in range(original.n_voices)]
    per_voice = [(0, 0)] * original.n_voices
    for index in rng.permutation(len(edits)):
        voice, start, end = edits[index]
        row_p, row_o = pitches[voice].copy(), onsets[voice].copy()
        row_p[start:end] = proposal.pitches[voice, start:end]
        row_o[start:end] = proposal.onsets[voice, start:end]
        counts = _voice_changes(old_notes[voice], row_p, row_o)
        removed = sum(c[0] for c in per_voice) - per_voice[voice][0] + counts[0]
        added = sum(c[1] for c in per_voice) - per_voice[voice][1] + counts[1]
        if removed <= max_removed and added <= max_added:
            pitches[voice], onsets[voice] = row_p, row_o
            per_voice[voice] = counts
    return original.with_pitches(pitches, onsets)


def _row_key(score: Score, voice: int) -> np.ndarray:
    """A voice's pitches with onsets folded in, so a re-struck note differs from a held one."""
    return score.pitches[voice].astype(np.int32) * 2 + score.onsets[voice]


def embellish(
    model: Arcnn,
    score: Score,
    *,
    remove: float = 0.3,
    add: int = 40,
    iterations: int = 64,
    risk: float = 1.0,
    protect_melody: bool = True,
    seed: int = 0,
) -> Score:
    """DeepComposer's AR-CNN controls on a score of one to four voices (missing voices start as
    rests): at most `remove` × the input's notes are removed, at most `add` notes are added,
    `iterations` Gibbs steps re-mask a share decreasing from 0.9 to 0.1 of the editable cells,
    `risk` is the sampling temperature, and with `protect_melody` voice 0 is never touched."""
    if not 0.0 <= remove <= 1.0:
        raise ValueError("remove must be a share between 0 and 1")
    if add < 0:
        raise ValueError("add must be a count of notes, 0 or more")
    original = _four_voices(score)
    classes, strikes, context = _tensors(original, _device(model))
    region = torch.ones_like(classes, dtype=torch.bool)
    if protect_melody:
        region[:, 0] = False
    classes, strikes = gibbs(
        model,
        classes,
        strikes,
        context,
        region,
        iterations=iterations,
        temperature=risk,
        seed=seed,
        from_scratch=False,
    )
    proposal = _as_score(original, classes, strikes)
    if protect_melody:
        proposal = _with_kept(proposal, original, (0,))
    n_notes = sum(len(original.notes(v)) for v in range(original.n_voices))
    return _within_budget(original, proposal, math.floor(remove * n_notes), add, seed)


# --- notewise NLL --------------------------------------------------------------------------


@torch.no_grad()
def chorale_nll(model: Arcnn, chorale: Score, passes: int = 8, seed: int = 0) -> float:
    """Mean -log p (nats) over the chorale's cells (all four voices, every step) under Coconet's
    orderless protocol: see `notewise_nll`."""
    model.eval()
    device = _device(model)
    classes, strikes, context = _tensors(chorale, device)
    cells = N_VOICES * chorale.n_steps
    rng = torch.Generator().manual_seed(seed)
    # Stratified mask sizes: pass k hides a count drawn from the k-th of `passes` equal slices
    # of 1..cells, so every stage of an ordering (few cells known … all but one) is represented.
    edges = np.linspace(0, cells, passes + 1)
    u = torch.rand(passes, generator=rng).numpy()
    sizes = np.clip((edges[:-1] + u * (edges[1:] - edges[:-1])).astype(int) + 1, 1, cells)
    ranks = torch.rand(passes, cells, generator=rng).argsort(dim=1).argsort(dim=1)
    hidden = (ranks < torch.from_numpy(sizes)[:, None]).view(passes, N_VOICES, -1).to(device)
    batch = classes.expand(passes, -1, -1)
    logits, _ = model(
        batch, strikes.expand(passes, -1, -1), ~hidden, context.expand(passes, -1, -1)
    )
    nll = F.cross_entropy(logits.permute(0, 3, 1, 2), batch, reduction="none")
    per_pass = (nll * hidden).sum(dim=(1, 2)) / hidden.sum(dim=(1, 2))
    return float(per_pass.mean())


def notewise_nll(
    model: Arcnn, chorales: list[Score], passes: int = 8, seed: int = 0
) -> dict[str, float]:
    """Coconet's notewise NLL (magenta's NoteEvaluator), in nats, as {NOTEWISE_NLL: value}.

    Coconet's protocol: for each chorale, draw a random ordering of all its cells (4 voices ×
    every 16th-note step, rests included as a class); predict each cell from Bach's values of the
    cells before it in the ordering, the later ones hidden; average -log p over the cells, then
    over chorales. The known cells carry their re-strike flags too (as in training), so a known
    repeated note tells that the cell before it holds the same pitch; Coconet had no onsets.

    When the cell at place k of N is predicted, it and the N - k later cells are hidden: it is a
    uniformly random cell of a random mask of N - k + 1 cells. So the expectation over orderings
    is the mean, over mask sizes m = 1..N uniformly, of the average -log p over the hidden cells
    of a random m-cell mask. We estimate it with `passes` masks per chorale at stratified sizes
    (one batched forward pass per chorale) instead of N sequential predictions; the estimate is
    unbiased up to the rounding of the sizes, and repeatable for a seed.
    """
    values = [chorale_nll(model, c, passes, seed + i) for i, c in enumerate(chorales)]
    return {NOTEWISE_NLL: float(np.mean(values))}


# --- weights -------------------------------------------------------------------------------


def save_arcnn(model: Arcnn, path: str | Path, meta: dict[str, object]) -> None:
    save_weights(model, path, meta)


def load_arcnn(path: str | Path = SHIPPED_ARCNN, device: str = "cpu") -> Arcnn:
    blob = read_weights(path, device)
    config = blob["config"] | {"dilations": tuple(blob["config"]["dilations"])}
    model = Arcnn(ArcnnConfig(**config))
    model.load_state_dict(blob["state"])
    return model.eval().to(device)


def shipped_arcnn(device: str = "cpu") -> Arcnn:
    """The shipped AR-CNN, loaded once per process and device (every caller shares it)."""
    return load_once(SHIPPED_ARCNN, load_arcnn, device)


def shipped_harmonizer(
    melody: Score,
    seed: int = 0,
    rules: VoiceLeadingRules | None = DEFAULT_RULES,
    device: str = "cpu",
) -> Score:
    """Harmonize with the weights that ship with composer (loaded once per process and device),
    decoded for voice leading unless `rules` is None (the raw sample, for comparison)."""
    model = shipped_arcnn(device)
    return harmonize(model, melody, iterations=SHIPPED_ITERATIONS, seed=seed, rules=rules)
