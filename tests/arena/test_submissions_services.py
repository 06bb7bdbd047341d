"""Melodies and compositions through their services: validation, quota, permissions, entries."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from arena.accounts.models import User
from arena.events.models import Phase, Team
from arena.jobs.models import JobKind, JobStatus
from arena.submissions.models import Composition, Melody, MelodySource
from arena.submissions.selectors import composition_list, melody_get_for_user, melody_list
from arena.submissions.services import (
    QuotaExceeded,
    composition_create,
    composition_retry,
    composition_submit,
    melody_create_from_sample,
    melody_create_from_upload,
)
from composer.data.samples import sample_melodies
from composer.errors import InputError
from tests.factories.events import TeamFactory, team_founder
from tests.factories.submissions import MelodyFactory


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def team(db, media) -> Team:  # type: ignore[no-untyped-def]
    """A team of an event in its composing phase, with the sample tune Ode to Joy."""
    team = TeamFactory()
    MelodyFactory(team=team, slug="ode-to-joy")
    return team


@pytest.fixture
def alice(team) -> User:
    return team_founder(team)


def _finish(composition: Composition, status: str = JobStatus.DONE) -> None:
    composition.job.status = status
    composition.job.save(update_fields=["status"])


def test_a_sample_melody_is_stored_with_what_composer_read_of_it(team):
    melody = melody_list(team=team).get()
    assert melody.source == MelodySource.SAMPLE
    assert melody.title == "Ode to Joy"
    assert melody.key == "D major" and melody.meter == "4/4"
    assert melody.bars == 16 and melody.notes > 50


def test_upload_stores_the_extracted_melody(team, alice, media):
    data = sample_melodies()[0].path.read_bytes()
    melody = melody_create_from_upload(team=team, user=alice, data=data, filename="twinkle.mid")
    assert melody.title == "twinkle"
    assert melody.source == MelodySource.UPLOAD
    assert (media / melody.midi.name).read_bytes()[:4] == b"MThd"


def test_bad_upload_raises_and_stores_nothing(team, alice, media):
    before = Melody.objects.count()
    files_before = sorted(media.rglob("*"))
    with pytest.raises(InputError):
        melody_create_from_upload(team=team, user=alice, data=b"not midi", filename="x.mid")
    assert Melody.objects.count() == before
    assert sorted(media.rglob("*")) == files_before


def test_outsider_cannot_add_melodies_or_see_them(team, make_user):
    outsider = make_user("eve")
    with pytest.raises(PermissionDenied):
        melody_create_from_sample(team=team, user=outsider, slug="ode-to-joy")
    melody = melody_list(team=team).first()
    with pytest.raises(Melody.DoesNotExist):
        melody_get_for_user(melody_id=melody.pk, user=outsider)


def test_composition_queues_a_gpu_job(team, alice):
    melody = melody_list(team=team).first()
    composition = composition_create(melody=melody, user=alice, style="space", seed=7)
    job = composition.job
    assert job.kind == JobKind.COMPOSE and job.queue == "gpu" and job.status == JobStatus.QUEUED
    assert job.payload["composition_id"] == composition.pk
    assert composition_list(team=team).first() == composition


@pytest.mark.parametrize(
    "controls",
    [{"model": "mystery"}, {"style": "jazz"}, {"risk": 5.0}, {"seconds": 2}, {"seed": -1}],
)
def test_composition_rejects_bad_controls(team, alice, controls):
    melody = melody_list(team=team).first()
    with pytest.raises(ValidationError):
        composition_create(melody=melody, user=alice, **controls)
    assert not Composition.objects.filter(melody=melody).exists()


def test_quota_stops_a_team_flooding_the_queue(team, alice, settings):
    settings.ARENA_TEAM_ACTIVE_JOBS = 2
    melody = melody_list(team=team).first()
    first = composition_create(melody=melody, user=alice)
    composition_create(melody=melody, user=alice)
    with pytest.raises(QuotaExceeded):
        composition_create(melody=melody, user=alice)
    _finish(first)
    composition_create(melody=melody, user=alice)  # a finished piece frees a place


def test_composing_needs_the_composing_phase(team, alice):
    team.event.phase = Phase.JUDGING
    team.event.save(update_fields=["phase"])
    melody = melody_list(team=team).first()
    with pytest.raises(ValidationError, match="Judging"):
        composition_create(melody=melody, user=alice)


def test_submit_keeps_exactly_one_entry(team, alice):
    melody = melody_list(team=team).first()
    first = composition_create(melody=melody, user=alice)
    second = composition_create(melody=melody, user=alice, seed=1)
    with pytest.raises(ValidationError, match="finished"):
        composition_submit(composition=first, user=alice)
    _finish(first)
    _finish(second)
    composition_submit(composition=first, user=alice)
    composition_submit(composition=second, user=alice)
    entries = Composition.objects.filter(team=team, is_entry=True)
    assert list(entries) == [second]


def test_outsider_cannot_submit(team, alice, make_user):
    melody = melody_list(team=team).first()
    composition = composition_create(melody=melody, user=alice)
    _finish(composition)
    with pytest.raises(PermissionDenied):
        composition_submit(composition=composition, user=make_user("eve"))


def test_retry_gives_a_failed_piece_a_new_job(team, alice):
    melody = melody_list(team=team).first()
    composition = composition_create(melody=melody, user=alice)
    with pytest.raises(ValidationError):
        composition_retry(composition=composition, user=alice)
    _finish(composition, JobStatus.FAILED)
    old_job = composition.job_id
    composition = composition_retry(composition=composition, user=alice)
    assert composition.job_id != old_job
    assert composition.job.status == JobStatus.QUEUED
    assert composition.job.payload["composition_id"] == composition.pk
