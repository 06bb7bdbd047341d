"""Fixtures shared by the whole suite."""

from __future__ import annotations

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
