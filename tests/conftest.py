"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os

# The models in the tests are tiny: one thread each is as fast, and a test run never fights the
# worker processes it starts (or a training job beside it) for the cores.
os.environ.setdefault("OMP_NUM_THREADS", "1")

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test.utils import override_settings

from arena.accounts.models import Role, User
from arena.accounts.services import user_create

PASSWORD = "a-long-test-password-42"


@pytest.fixture(scope="session", autouse=True)
def run_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The files a test run uploads and renders, and the messages its jobs send, go to folders of
    its own (unless DJANGO_MEDIA_ROOT or CELERY_BROKER_DIR name them): a demo's worker must never
    receive a test's job, nor a test see the demo's files."""
    from tasks.celery_app import broker_folders_use

    own: dict[str, Path] = {}
    if "DJANGO_MEDIA_ROOT" not in os.environ:
        own["MEDIA_ROOT"] = tmp_path_factory.mktemp("media")
    if "CELERY_BROKER_DIR" not in os.environ:
        own["CELERY_BROKER_DIR"] = tmp_path_factory.mktemp("broker")
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    with override_settings(**own):
        broker_folders_use()
        yield
    broker_folders_use()


@pytest.fixture
def make_user(db):  # type: ignore[no-untyped-def]
    def make(username: str, role: str = Role.PARTICIPANT) -> User:
        return user_create(
            username=username, email=f"{username}@example.org", password=PASSWORD, role=role
        )

    return make


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Every test starts with an empty cache: allauth keeps its rate limits there (one confirmation
    mail per address every few minutes), so a sign-up in one test would silence the next one's."""
    from django.core.cache import cache

    cache.clear()
    yield
