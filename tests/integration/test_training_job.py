"""A team trains its own tiny GAN through the real broker and worker, watches it learn, and
composes with it."""

from __future__ import annotations

import os
import time

import pytest
from django.conf import settings as django_settings

from arena.accounts.models import User
from arena.demo.services import demo_seed
from arena.events.models import Team
from arena.jobs.models import Job, JobStatus
from arena.submissions.services import composition_create
from arena.training.services import training_start

# Read by the worker started in conftest.py (after collection): stand-ins for composer's shipped
# models while their weights are not there (the team's own model is always the real one).
_modules = os.environ.get("ARENA_HARMONIZER_MODULES", "tests.integration.stand_in_models")
if "stand_in_shipped_models" not in _modules:
    os.environ["ARENA_HARMONIZER_MODULES"] = f"{_modules},tests.integration.stand_in_shipped_models"

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _wait(job: Job, seconds: float = 150) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job still {job.status} after {seconds} s")


def test_a_team_trains_a_model_and_composes_with_it(celery_worker, media_root, settings):
    settings.MEDIA_ROOT = media_root
    demo = demo_seed(password=django_settings.DEMO_PASSWORD)
    team = Team.objects.get(event=demo["live"], name="Fugue State")
    alice = User.objects.get(username="alice")
    training = training_start(
        team=team, user=alice, size="tiny", steps=20, learning_rate=3e-3, noise_channels=4
    )
    job = _wait(training.job)
    assert job.status == JobStatus.DONE, job.error
    training.refresh_from_db()
    assert training.is_ready and training.step == 20 and job.attempts == 1
    assert [row["step"] for row in training.metrics] == [5, 10, 15, 20]
    assert training.reference and training.device.startswith(("CPU", "NVIDIA"))
    first, last = training.losses[0], training.losses[-1]
    assert last[0] == 20 and last[3] < first[3]  # the reconstruction loss went down
    assert len(training.samples) == 4
    assert (media_root / training.weights.name).stat().st_size > 1000

    composition = composition_create(
        melody=team.melodies.get(), user=alice, model=training.model_key, seconds=10
    )
    job = _wait(composition.job)
    assert job.status == JobStatus.DONE, job.error
    composition.refresh_from_db()
    assert composition.team_model == training
    assert job.result["models"].startswith("custom harmonizer")
    assert (media_root / composition.midi.name).read_bytes()[:4] == b"MThd"
