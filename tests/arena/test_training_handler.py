"""The `train_gan` job handler run directly on a tiny model: it reports live, finishes with a
model the team composes with, stops at a cancel or its time budget, and resumes from its
checkpoint after a lost worker."""

from __future__ import annotations

import pytest

from arena.accounts.models import User
from arena.events.models import Team
from arena.jobs.models import JobKind, JobStatus
from arena.jobs.services import job_start
from arena.submissions.services import composition_create
from arena.training import reporting, services
from arena.training.models import TrainingRun
from arena.training.services import training_cancel, training_start
from composer.models import shipped
from tasks.compose import compose
from tasks.jobs import run_job
from tasks.training import train_gan
from tests.factories.accounts import UserFactory
from tests.factories.events import TeamFactory
from tests.factories.submissions import MelodyFactory
from tests.integration.stand_in_shipped_models import stand_in_models


@pytest.fixture
def team(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    team = TeamFactory(
        members=[UserFactory(username="alice"), UserFactory(username="bob", display_name="Bob")]
    )
    MelodyFactory(team=team)
    return team


def _start(team: Team, steps: int = 10, *, running: bool = True) -> TrainingRun:
    training = training_start(
        team=team,
        user=User.objects.get(username="alice"),
        size="tiny",
        steps=steps,
        learning_rate=3e-3,
    )
    if running:  # as run_job leaves it before calling the handler
        job_start(job_id=training.job_id)
        training.job.refresh_from_db()
    return training


class WorkerLost(Exception):
    pass


def test_a_run_reports_live_and_its_model_composes(team, tmp_path, monkeypatch):
    training = _start(team, running=False)
    run_job(training.job_id, JobKind.TRAIN_GAN)
    training.refresh_from_db()
    assert training.job.status == JobStatus.DONE, training.job.error
    assert training.is_ready and training.job.result["steps"] == 10
    assert not training.stopped_early and training.job.progress == 1.0
    assert [row["step"] for row in training.metrics] == [5, 10]
    assert training.losses and training.losses[-1][0] == 10
    assert training.losses[-1][3] < training.losses[0][3]  # the reconstruction loss went down
    assert set(training.reference) >= {"in_scale_rate", "parallel_5ths_8ves_per_bar"}
    assert [s["step"] for s in training.samples] == [5, 10]
    sample = training.samples[-1]
    assert (tmp_path / sample["midi"]).read_bytes()[:4] == b"MThd"
    assert sample["audio"] is None or (tmp_path / sample["audio"]).stat().st_size > 44
    assert (tmp_path / f"training/{training.pk}/ckpt.pt").exists()
    assert training.device

    # The embellished variations come from the shipped models: stand-ins keep the test fast.
    monkeypatch.setattr(shipped, "load_models", lambda device="cpu": stand_in_models())
    composition = composition_create(
        melody=team.melodies.first(),
        user=User.objects.get(username="alice"),
        model=training.model_key,
        seconds=10,
    )
    job_start(job_id=composition.job_id)
    composition.job.refresh_from_db()
    done = compose(composition.job, lambda fraction, message: None)
    assert done["metrics"]["polyphony"] > 1
    assert done["models"].startswith("custom harmonizer")


def test_a_lost_worker_resumes_from_the_checkpoint(team, monkeypatch):
    training = _start(team)
    monkeypatch.setattr(reporting, "REPORT_EVERY_S", 0.0)
    record = services.training_progress_record
    steps: list[int] = []
    lost = []

    def lost_at_step_7(*, training_id: int, step: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
        steps.append(step)
        if step == 7 and not lost:
            lost.append(step)
            raise WorkerLost
        record(training_id=training_id, step=step, **kwargs)

    monkeypatch.setattr(services, "training_progress_record", lost_at_step_7)
    with pytest.raises(WorkerLost):
        train_gan(training.job, lambda fraction, message: None)
    training.refresh_from_db()
    assert not training.weights and [r["step"] for r in training.metrics] == [5]
    steps.clear()
    train_gan(training.job, lambda fraction, message: None)  # the redelivered job
    training.refresh_from_db()
    assert steps == [6, 7, 8, 9, 10]  # continued after the checkpoint at step 5
    assert [r["step"] for r in training.metrics] == [5, 10]
    assert [p[0] for p in training.losses] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert training.weights


def test_cancel_stops_a_running_training_without_a_model(team, monkeypatch):
    training = _start(team, steps=200)
    monkeypatch.setattr(reporting, "CANCEL_CHECK_EVERY_S", 0.0)
    monkeypatch.setattr(reporting, "REPORT_EVERY_S", 0.0)
    record = services.training_progress_record

    def bob_cancels_at_step_3(*, training_id: int, step: int, **kwargs) -> None:  # type: ignore[no-untyped-def]
        record(training_id=training_id, step=step, **kwargs)
        if step == 3:
            training_cancel(training=training, user=User.objects.get(username="bob"))

    monkeypatch.setattr(services, "training_progress_record", bob_cancels_at_step_3)
    run_job(training.job_id, JobKind.TRAIN_GAN)
    training.refresh_from_db()
    training.job.refresh_from_db()
    assert training.status == "cancelled" and training.job.status == JobStatus.FAILED
    assert training.job.error == "Cancelled by Bob at step 3."
    assert not training.weights


def test_the_time_budget_ends_the_run_with_the_model_it_has(team):
    training = _start(team, steps=5000)
    TrainingRun.objects.filter(pk=training.pk).update(budget_seconds=2)
    train_gan(training.job, lambda fraction, message: None)
    training.refresh_from_db()
    assert training.weights and training.stopped_early
    assert 0 < training.step < 5000 and training.metrics[-1]["step"] == training.step
