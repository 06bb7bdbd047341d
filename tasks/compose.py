"""The `compose` job on the worker: composer composes the team's piece on the worker's device,
and arena stores it. The row, the model's name and what is kept come from arena's services."""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings

from arena.jobs.handlers import Progress
from arena.jobs.models import Job
from arena.jobs.stage_clock import StageClock
from arena.submissions.selectors import composition_for_job
from arena.submissions.services import composition_finish
from arena.training.models import TrainingRun
from tasks.warm_up import worker_ready_wait


def compose(job: Job, progress: Progress) -> dict[str, Any]:
    """Compose the job's piece with the chosen model and style (composer.render.piece)."""
    import pretty_midi

    from composer.metrics import jsonable
    from composer.midi.io import midi_to_score
    from composer.models.device import best_device
    from composer.render.piece import compose_piece

    clock = StageClock(progress)  # the time of each stage, kept in the job's result
    worker_ready_wait()  # this process's warm-up loads the models: never twice
    clock(0.02, "reading the melody")
    composition = composition_for_job(job=job)
    with composition.melody.midi.open("rb") as handle:  # any storage backend, not only disks
        melody = midi_to_score(pretty_midi.PrettyMIDI(handle))
    _import_harmonizer_modules()
    device = best_device()
    model = composition.model
    if composition.team_model is not None:  # a team's own GAN, registered on demand
        model = team_model_register(composition.team_model, device)
    with tempfile.TemporaryDirectory(prefix="compose-") as folder:
        piece = compose_piece(
            melody,
            folder,
            model=model,
            style=composition.style,
            risk=composition.risk,
            seed=composition.seed,
            seconds=composition.seconds,
            title=composition.melody.title,
            progress=clock,
            device=device,
        )
        clock(0.95, "saving")
        result = composition_finish(
            composition_id=composition.pk,
            midi=piece.midi,
            roll=piece.roll,
            audio=piece.audio,
            sheet_music=piece.sheet_music if piece.sheet_music.exists() else None,
            metrics=jsonable(piece.metrics),
            seconds=piece.seconds,
            summary=piece.summary,
            models=piece.models,
            warnings=piece.warnings,
            audio_compressed=piece.audio_compressed,
            sections=piece.sections,
        )
    return {**result, "stages": clock.stages()}


def _import_harmonizer_modules() -> None:
    """Import the modules of ARENA_HARMONIZER_MODULES: each registers harmonizers with
    composer.models.registry (a deployment's own models, or a stand-in for tests)."""
    for module in settings.ARENA_HARMONIZER_MODULES:
        importlib.import_module(module)


def team_model_register(training: TrainingRun, device: str) -> str:
    """Register the team's model as harmonizer `team:<id>` on `device` (its weights loaded once
    per worker, in composer's one model cache, from a copy on this machine)."""
    from composer.models.gan import harmonize, load_generator
    from composer.models.registry import register_harmonizer
    from composer.models.weights import load_once

    generator = load_once(team_weights_local(training), load_generator, device)
    register_harmonizer(training.model_key, partial(harmonize, generator, device=device))
    return training.model_key


def team_weights_local(training: TrainingRun) -> Path:
    """The team model's weights as a file on this machine: fetched once from the shared storage
    (any backend) into the machine's temporary folder, under a name no other run shares."""
    stamp = f"{training.pk}-{training.created_at.timestamp():.6f}".replace(".", "_")
    local = Path(tempfile.gettempdir()) / "arena-team-weights" / f"{stamp}.pt"
    if not local.exists():
        local.parent.mkdir(parents=True, exist_ok=True)
        partial = local.with_name(f"{local.name}.{os.getpid()}.part")
        with training.weights.open("rb") as source, partial.open("wb") as target:
            shutil.copyfileobj(source, target)
        partial.replace(local)  # atomic: a worker beside this one never reads half a file
    return local
