"""Fixtures shared by the arena tests of the composing phase (the API and the pages alike)."""

from __future__ import annotations

import pytest

from arena.events.models import Event
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory, TeamFactory
from tests.factories.submissions import MelodyFactory


@pytest.fixture
def composing_event(db, settings, tmp_path) -> Event:  # type: ignore[no-untyped-def]
    """The event space-odyssey in its composing phase, its media in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return EventFactory(slug="space-odyssey")


@pytest.fixture
def composing_teams(composing_event) -> Event:  # type: ignore[no-untyped-def]
    """Alice's team Fugue State with the sample melody Ode to Joy, and Carol's team."""
    fugue = TeamFactory(
        event=composing_event, name="Fugue State", members=[UserFactory(username="alice")]
    )
    MelodyFactory(team=fugue, slug="ode-to-joy")
    TeamFactory(
        event=composing_event,
        name="Well-Tempered Rockets",
        members=[UserFactory(username="carol")],
    )
    return composing_event
