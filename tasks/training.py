"""The `train_gan` job: a team's GAN trained with composer.train, watched live by the site.

Thin glue between `composer.train.train_gan` and the arena services: losses about once a second,
a validation row and a sample harmonization of a fixed melody at each validation, a stop at the
time budget (the run ends with the model it has then) and at a cancel (it ends without one). The
run checkpoints under MEDIA_ROOT, and every attempt resumes from there, so a job redelivered
after its worker was lost continues where the checkpoint left it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.conf import settings

from arena.jobs.models import Job
from arena.training import services
from arena.training.models import TrainingRun, training_folder_name
from arena.training.recipes import SIZES, eval_every
from composer.errors import InputError

SAMPLE_MELODY = "ode-to-joy"  # one fixed tune, so the samples show what the model learnt
REPORT_EVERY_S = 1.0
CANCEL_CHECK_EVERY_S = 2.0


class TrainingCancelled(InputError):
    """Raised out of the training loop when the team or an organiser cancels; the job records
    its message as the error, without a traceback."""


def gan_configs(config: dict[str, Any], device: str) -> tuple[Any, Any]:
    """The shipped CPU recipe with the team's choices, and the model of the chosen size."""
    from composer.gan import GanConfig
    from composer.train import RECIPES

    size = dict(SIZES[config["size"]])
    size["mid_dilations"] = tuple(size["mid_dilations"])
    train_config = replace(
        RECIPES["cpu"],
        steps=config["steps"],
        lr_generator=config["learning_rate"],
        lr_critic=config["learning_rate"],
        critic_steps=config["critic_steps"],
        augment=config["augment"],
        seed=config["seed"],
        eval_every=eval_every(config["steps"]),
        device=device,
    )
    return train_config, GanConfig(noise_channels=config["noise_channels"], **size)


def _sample_melody():  # type: ignore[no-untyped-def]
    from composer.melody import extract_melody
    from composer.samples import sample_melodies

    sample = next(s for s in sample_melodies() if s.slug == SAMPLE_MELODY)
    return extract_melody(sample.path, name=sample.slug).score


def _write_sample(generator: Any, melody: Any, folder: Path, step: int, seed: int, device: str):  # type: ignore[no-untyped-def]
    """The fixed melody harmonized by the model as it is now: MIDI, and audio when it renders."""
    from composer.gan import harmonize
    from composer.midi_io import write_midi
    from composer.render_audio import RenderError, render_wav

    samples = folder / "samples"
    samples.mkdir(parents=True, exist_ok=True)
    midi = write_midi(
        harmonize(generator, melody, seed=seed, device=device), samples / f"{step}.mid"
    )
    try:
        audio: Path | None = render_wav(midi, samples / f"{step}.wav")
    except RenderError:
        audio = None
    media = Path(settings.MEDIA_ROOT)
    return {
        "step": step,
        "midi": str(midi.relative_to(media)),
        "audio": str(audio.relative_to(media)) if audio else None,
    }


def train_team_model(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    import torch

    from composer.chorales import load_chorales
    from composer.train import _device_name, reference_metrics, train_gan
    from composer.weights_io import read_weights

    training = TrainingRun.objects.select_related("team").get(job=job)
    if training.cancel_requested_at:
        raise TrainingCancelled(f"Cancelled by {training.cancelled_by or 'an organiser'}.")
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train_config, model_config = gan_configs(training.config, device)
    folder = Path(settings.MEDIA_ROOT) / training_folder_name(training.pk)
    services.training_began(
        training_id=training.pk,
        device=_device_name(device),
        reference=reference_metrics(load_chorales("valid")),
    )
    melody = _sample_melody()
    # The budget counts the time earlier attempts already spent on this run.
    deadline = time.monotonic() + training.budget_seconds - training.seconds
    began = time.monotonic() - training.seconds
    window: list[list[float]] = []
    last = {"report": 0.0, "cancel": time.monotonic()}
    total = train_config.steps

    def on_step(step: int, losses: dict[str, float]) -> None:
        window.append(
            [losses["loss_critic"], losses["loss_generator"], losses["loss_reconstruction"]]
        )
        now = time.monotonic()
        if now - last["report"] >= REPORT_EVERY_S or step == total:
            mean = [round(sum(col) / len(col), 5) for col in zip(*window, strict=True)]
            services.training_progress_record(
                training_id=training.pk, step=step, seconds=round(now - began, 1), losses=mean
            )
            progress(0.98 * step / total, f"step {step} of {total}")
            window.clear()
            last["report"] = now

    def should_stop() -> bool:
        now = time.monotonic()
        if now - last["cancel"] >= CANCEL_CHECK_EVERY_S:
            last["cancel"] = now
            if services.training_cancel_requested(training_id=training.pk):
                training.refresh_from_db(fields=["cancelled_by", "step"])
                who = training.cancelled_by or "an organiser"
                raise TrainingCancelled(f"Cancelled by {who} at step {training.step}.")
        return now >= deadline

    def on_eval(step: int, row: dict[str, float], generator: Any) -> None:
        sample = _write_sample(generator, melody, folder, step, training.config["seed"], device)
        services.training_eval_record(training_id=training.pk, row=row, sample=sample)

    weights = train_gan(
        train_config,
        folder,
        resume=True,
        model_config=model_config,
        command=f"arena training #{training.pk}",
        on_eval=on_eval,
        should_stop=should_stop,
        on_step=on_step,
    )
    meta = read_weights(weights)["meta"]
    training = services.training_finish(
        training_id=training.pk,
        weights_name=str(weights.relative_to(Path(settings.MEDIA_ROOT))),
        step=int(meta["steps"]),
        seconds=float(meta["seconds"] or 0.0),
        stopped_early=bool(meta["stopped_early"]),
    )
    return {
        "training_id": training.pk,
        "weights": training.weights.name,
        "steps": training.step,
        "seconds": training.seconds,
        "stopped_early": training.stopped_early,
        "valid_metrics": training.final_metrics,
    }


_loaded: dict[int, Any] = {}


def team_model_register(training: TrainingRun) -> str:
    """Register the team's model as harmonizer `team:<id>` (weights loaded once per worker)."""
    from composer.evaluate import register_harmonizer
    from composer.gan import harmonize, load_generator

    if training.pk not in _loaded:
        _loaded[training.pk] = load_generator(training.weights.path)
    generator = _loaded[training.pk]

    def harmonizer(melody, seed: int = 0):  # type: ignore[no-untyped-def]
        return harmonize(generator, melody, seed=seed)

    register_harmonizer(training.model_key, harmonizer)
    return training.model_key
