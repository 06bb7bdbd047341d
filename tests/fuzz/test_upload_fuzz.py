"""Fuzzing the upload endpoints: a mutated MIDI file through the API and through the studio form
ends in a 400 (API) or a form error (studio), never a 500, a hang or a stored half-melody; the
size limit holds at the web layer, with a clear message."""

from __future__ import annotations

import random

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arena.demo.services import demo_seed
from arena.submissions.models import Melody
from composer.midi.melody import MAX_FILE_BYTES
from tests.fuzz.limits import time_limit
from tests.fuzz.midi_mutations import MUTATORS, mutate, seed_corpus

PASSWORD = django_settings.DEMO_PASSWORD
API = "/api/events/space-odyssey/melodies/"
FORM = "/events/space-odyssey/studio/upload/"
WEB_FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
inputs = st.tuples(
    st.sampled_from(range(len(seed_corpus()))),
    st.lists(st.sampled_from(sorted(MUTATORS)), min_size=1, max_size=2),
    st.integers(0, 2**32 - 1),
)


@pytest.fixture
def alice(client, db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    demo_seed(password=PASSWORD)
    client.login(username="alice", password=PASSWORD)
    return client


def _file(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("fuzz.mid", data, content_type="audio/midi")


def _mutated(case: tuple[int, list[str], int]) -> bytes:
    seed, mutators, salt = case
    return mutate(seed_corpus()[seed][1], mutators, random.Random(salt))


@WEB_FUZZ
@given(case=inputs)
def test_api_upload_is_201_or_400_with_a_reason(alice, case) -> None:  # type: ignore[no-untyped-def]
    before = Melody.objects.count()
    with time_limit(15):
        response = alice.post(API, {"file": _file(_mutated(case))})
    assert response.status_code in (201, 400), response.content[:300]
    if response.status_code == 400:
        assert response.json()["file"][0]
        assert Melody.objects.count() == before


@WEB_FUZZ
@given(case=inputs)
def test_studio_upload_redirects_or_shows_the_form_error(alice, case) -> None:  # type: ignore[no-untyped-def]
    with time_limit(15):
        response = alice.post(FORM, {"file": _file(_mutated(case)), "title": "fuzz"})
    assert response.status_code in (302, 400), response.content[:300]
    if response.status_code == 400:
        assert "We could not use this file" in response.content.decode()


@pytest.mark.parametrize("url", [API, FORM])
def test_file_over_the_limit_refused_with_a_clear_message(alice, url: str) -> None:
    data = b"MThd" + bytes(MAX_FILE_BYTES)  # just over 2 MB: under the request cap
    response = alice.post(url, {"file": _file(data)})
    assert response.status_code == 400
    assert "a melody file may be at most 2 MB" in response.content.decode()


@pytest.mark.parametrize("url", [API, FORM])
def test_huge_body_refused_before_it_is_read(alice, url: str) -> None:
    response = alice.post(url, {"file": _file(bytes(4 * 2**20))})
    assert response.status_code == 413
    assert "at most 3 MB" in response.content.decode()


def test_upload_limits_set_at_the_web_layer() -> None:
    assert django_settings.ARENA_MAX_REQUEST_BYTES <= 4 * 2**20
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2**20
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= MAX_FILE_BYTES
