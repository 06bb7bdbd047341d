"""The site's side of a training run while a worker trains it: the bookkeeping of the run.

The worker (`tasks.training`) wires composer's training loop to a `TrainingReporter`: it hands
on the losses of every step (recorded about once a second, averaged), each validation row with
the sample harmonization made then, and asks before each step whether to stop: at the time
budget (the run ends with the model it has then) or at a cancel (it ends without one). The
budget counts the time earlier attempts of the run already spent, so a job redelivered after its
worker was lost stops when the run's budget is used, not later.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arena.jobs.handlers import Progress
from arena.jobs.models import Job
from arena.training import services
from arena.training.models import TrainingRun
from arena.training.run_files import (
    run_files_restore,
    run_files_store,
    run_sample_store,
    run_weights_store,
)
from composer.errors import InputError

REPORT_EVERY_S = 1.0
CANCEL_CHECK_EVERY_S = 2.0


class TrainingCancelled(InputError):
    """Raised out of the training loop when the team or an organiser cancels; the job records
    its message as the error, without a traceback."""


@dataclass
class TrainingReporter:
    training: TrainingRun
    progress: Progress
    # The local folder composer trains in (the worker's own); the run's files are stored from
    # it through the storage API (arena.training.run_files), which every machine shares.
    folder: Path
    # Monotonic times, set when training begins: when the run would have begun had it never
    # been interrupted, and when its budget is spent.
    began: float = 0.0
    deadline: float = math.inf
    _window: list[list[float]] = field(default_factory=list)
    _reported_at: float = 0.0
    _cancel_checked_at: float = 0.0

    @property
    def samples_folder(self) -> Path:
        folder = self.folder / "samples"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def begin(self, *, device: str, reference: dict[str, float]) -> None:
        """Training begins now on `device`; `reference` holds Bach's metrics, drawn beside the
        run's validations. The budget's clock starts here."""
        services.training_began(training_id=self.training.pk, device=device, reference=reference)
        now = time.monotonic()
        self.began = now - self.training.seconds
        self.deadline = now + self.training.budget_seconds - self.training.seconds
        self._cancel_checked_at = now

    def on_step(self, step: int, losses: dict[str, float]) -> None:
        self._window.append(
            [losses["loss_critic"], losses["loss_generator"], losses["loss_reconstruction"]]
        )
        now = time.monotonic()
        total = self.training.steps
        if now - self._reported_at >= REPORT_EVERY_S or step == total:
            mean = [round(sum(col) / len(col), 5) for col in zip(*self._window, strict=True)]
            services.training_progress_record(
                training_id=self.training.pk,
                step=step,
                seconds=round(now - self.began, 1),
                losses=mean,
            )
            self.progress(0.98 * step / total, f"step {step} of {total}")
            self._window.clear()
            self._reported_at = now

    def should_stop(self) -> bool:
        """True once the budget is spent; raises TrainingCancelled once someone cancelled."""
        now = time.monotonic()
        if now - self._cancel_checked_at >= CANCEL_CHECK_EVERY_S:
            self._cancel_checked_at = now
            if services.training_cancel_requested(training_id=self.training.pk):
                self.training.refresh_from_db(fields=["cancelled_by", "step"])
                who = self.training.cancelled_by or "an organiser"
                raise TrainingCancelled(f"Cancelled by {who} at step {self.training.step}.")
        return now >= self.deadline

    def on_eval(self, *, step: int, row: dict[str, float], midi: Path, audio: Path | None) -> None:
        """A validation row, and the sample the model harmonized then (local files, stored with
        the checkpoint written just before, so the next attempt resumes from here)."""
        pk = self.training.pk
        run_files_store(training_id=pk, folder=self.folder)
        sample = {
            "step": step,
            "midi": run_sample_store(training_id=pk, step=step, path=midi),
            "audio": run_sample_store(training_id=pk, step=step, path=audio) if audio else None,
        }
        services.training_eval_record(training_id=pk, row=row, sample=sample)

    def finish(
        self, *, weights: Path, step: int, seconds: float, stopped_early: bool
    ) -> dict[str, Any]:
        """Record the trained model; returns the job's result."""
        training = services.training_finish(
            training_id=self.training.pk,
            weights_name=run_weights_store(training_id=self.training.pk, path=weights),
            step=step,
            seconds=seconds,
            stopped_early=stopped_early,
        )
        return {
            "training_id": training.pk,
            "weights": training.weights.name,
            "steps": training.step,
            "seconds": training.seconds,
            "stopped_early": training.stopped_early,
            "valid_metrics": training.final_metrics,
        }


def training_reporter_start(*, job: Job, progress: Progress, folder: Path) -> TrainingReporter:
    """The reporter of the run a `train_gan` job trains in the local `folder`, where the run's
    stored checkpoint is restored first; TrainingCancelled when the run was cancelled before
    its job started."""
    training = TrainingRun.objects.select_related("team").get(job=job)
    if training.cancel_requested_at:
        raise TrainingCancelled(f"Cancelled by {training.cancelled_by or 'an organiser'}.")
    run_files_restore(training_id=training.pk, folder=folder)
    return TrainingReporter(training=training, progress=progress, folder=folder)
