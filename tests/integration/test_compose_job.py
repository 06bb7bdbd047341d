"""A composition goes through the real broker and worker to `done`, with its files stored."""

from __future__ import annotations

import os
import time

import pytest
from django.conf import settings as django_settings

from arena.accounts.models import User
from arena.demo.services import demo_seed
from arena.events.models import Team
from arena.jobs.models import JobStatus
from arena.submissions.models import Composition
from arena.submissions.services import composition_create

# Read by the worker started in conftest.py (after collection): it registers the stand-in "gan"
# unless the trained weights are shipped.
os.environ.setdefault("ARENA_HARMONIZER_MODULES", "tests.integration.stand_in_models")

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _wait(composition: Composition, seconds: float = 90) -> Composition:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        composition.job.refresh_from_db()
        if composition.job.status in (JobStatus.DONE, JobStatus.FAILED):
            composition.refresh_from_db()
            return composition
        time.sleep(0.25)
    raise AssertionError(f"composition still {composition.job.status} after {seconds} s")


def test_a_composition_is_composed_by_the_worker(celery_worker, media_root, settings):
    settings.MEDIA_ROOT = media_root
    demo = demo_seed(password=django_settings.DEMO_PASSWORD)
    team = Team.objects.get(event=demo["live"], name="Fugue State")
    composition = composition_create(
        melody=team.melodies.get(), user=User.objects.get(username="alice"), seconds=10
    )
    composition = _wait(composition)
    assert composition.job.status == JobStatus.DONE, composition.job.error
    assert composition.job.progress == 1.0
    assert (media_root / composition.midi.name).read_bytes()[:4] == b"MThd"
    assert (media_root / composition.roll.name).stat().st_size > 5000
    assert (media_root / composition.audio.name).stat().st_size > 44_100
    assert composition.metrics["polyphony"] > 1
