"""The `train_gan` job on the worker: a team's GAN trained with composer.training.gan.

Only the wiring of composer's training loop lives here; the run's bookkeeping (live losses, the
validations and their samples, the time budget, cancelling, the model kept) is the site's, in
`arena.training.reporting`. The run trains in a local temporary folder; its checkpoint is stored
after every validation through the storage API (shared by every machine) and every attempt
resumes from it, so a job redelivered after its worker was lost continues where it stopped, on
any worker.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from arena.jobs.handlers import Progress
from arena.jobs.models import Job
from arena.training.recipes import SIZES, eval_every
from arena.training.reporting import training_reporter_start

SAMPLE_MELODY = "ode-to-joy"  # one fixed tune, so the samples show what the model learnt


def gan_configs(config: dict[str, Any], device: str) -> tuple[Any, Any]:
    """The shipped CPU recipe with the team's choices, and the model of the chosen size."""
    from composer.models.gan import GanConfig
    from composer.training.gan import RECIPES

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
    from composer.data.samples import sample_melodies
    from composer.midi.melody import extract_melody

    sample = next(s for s in sample_melodies() if s.slug == SAMPLE_MELODY)
    return extract_melody(sample.path, name=sample.slug).score


def _write_sample(  # type: ignore[no-untyped-def]
    generator: Any, melody: Any, folder: Path, step: int, seed: int, device: str
):
    """The fixed melody harmonized by the model as it is now: MIDI, and audio when it renders."""
    from composer.midi.io import write_midi
    from composer.models.gan import harmonize
    from composer.render.audio import RenderError, render_midi_file

    midi = write_midi(
        harmonize(generator, melody, seed=seed, device=device), folder / f"{step}.mid"
    )
    try:
        audio: Path | None = render_midi_file(midi, folder / f"{step}.wav")
    except RenderError:
        audio = None
    return midi, audio


def train_gan(job: Job, progress: Progress) -> dict[str, Any]:
    """Train the team's GAN of the job on the worker's device, reporting to the site."""
    with tempfile.TemporaryDirectory(prefix="train-") as folder:
        return _train_in(job, progress, Path(folder))


def _train_in(job: Job, progress: Progress, folder: Path) -> dict[str, Any]:
    """Train in the local `folder`, where the run's stored checkpoint was restored."""
    from composer.data.chorales import load_chorales
    from composer.models.device import best_device, device_name
    from composer.models.weights import read_weights
    from composer.training.common import reference_metrics
    from composer.training.gan import train_gan as train

    reporter = training_reporter_start(job=job, progress=progress, folder=folder)
    training = reporter.training
    device = best_device()
    train_config, model_config = gan_configs(training.config, device)
    reference = reference_metrics(load_chorales("valid"))
    melody = _sample_melody()
    reporter.begin(device=device_name(device), reference=reference)

    def on_eval(step: int, row: dict[str, float], generator: Any) -> None:
        folder = reporter.samples_folder
        midi, audio = _write_sample(generator, melody, folder, step, train_config.seed, device)
        reporter.on_eval(step=step, row=row, midi=midi, audio=audio)

    weights = train(
        train_config,
        reporter.folder,
        resume=True,
        model_config=model_config,
        command=f"arena training #{training.pk}",
        on_eval=on_eval,
        should_stop=reporter.should_stop,
        on_step=reporter.on_step,
    )
    meta = read_weights(weights)["meta"]
    return reporter.finish(
        weights=weights,
        step=int(meta["steps"]),
        seconds=float(meta["seconds"] or 0.0),
        stopped_early=bool(meta["stopped_early"]),
    )
