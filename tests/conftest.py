"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os

# The models in the tests are tiny: one thread each is as fast, and a test run never fights the
# worker processes it starts (or a training job beside it) for the cores.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest

from arena.accounts.models import Role, User
from arena.accounts.services import user_create

PASSWORD = "a-long-test-password-42"


@pytest.fixture
def make_user(db):  # type: ignore[no-untyped-def]
    def make(username: str, role: str = Role.PARTICIPANT) -> User:
        return user_create(
            username=username, email=f"{username}@example.org", password=PASSWORD, role=role
        )

    return make
