"""Organisers move their event through its phases from the judging desk and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from arena.events.models import Event, Phase
from arena.events.services import event_phase_move, phase_moves
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import EventFactory


@pytest.fixture
def live(db) -> Event:  # type: ignore[no-untyped-def]
    return EventFactory(slug="space-odyssey")


def _live() -> Event:
    return Event.objects.get(slug="space-odyssey")


def test_the_moves_are_one_step_forward_or_back_and_results_come_by_publishing(live):
    event = _live()
    assert phase_moves(event=event) == [Phase.REGISTRATION, Phase.JUDGING]
    event.phase = Phase.REGISTRATION
    assert phase_moves(event=event) == [Phase.COMPOSING]
    event.phase = Phase.JUDGING
    assert phase_moves(event=event) == [Phase.COMPOSING]  # results: publish them
    assert phase_moves(event=EventFactory(finished=True)) == []


def test_the_organiser_opens_judging_and_nobody_else_may(live):
    organiser, alice = live.organiser, UserFactory()
    with pytest.raises(PermissionDenied):
        event_phase_move(event=_live(), user=alice, phase=Phase.JUDGING)
    with pytest.raises(ValidationError, match="judging desk"):
        event_phase_move(event=_live(), user=organiser, phase=Phase.RESULTS)
    assert event_phase_move(event=_live(), user=organiser, phase=Phase.JUDGING).phase == "judging"
    assert _live().phase == Phase.JUDGING


def test_the_desk_shows_the_timeline_and_moves_the_phase(client, live):
    assert client.login(username=live.organiser.username, password=PASSWORD)
    desk = client.get("/events/space-odyssey/judging/").content.decode()
    assert '<li class="now">Composing</li>' in desk
    assert "Open judging" in desk and "Back to registration" in desk
    response = client.post(
        "/events/space-odyssey/judging/phase/", {"phase": "judging"}, follow=True
    )
    page = response.content.decode()
    assert "is now in its judging phase" in page and '<li class="now">Judging</li>' in page
    response = client.post(
        "/events/space-odyssey/judging/phase/", {"phase": "results"}, follow=True
    )
    assert "published on the judging desk" in response.content.decode()
    assert _live().phase == Phase.JUDGING


def test_the_api_moves_the_phase_for_organisers_only(client, live):
    assert client.login(username=UserFactory().username, password=PASSWORD)
    url = "/api/events/space-odyssey/phase/"
    assert (
        client.post(url, {"phase": "judging"}, content_type="application/json").status_code == 403
    )
    assert client.login(username=live.organiser.username, password=PASSWORD)
    response = client.post(url, {"phase": "judging"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["phase"] == "judging"
    refused = client.post(url, {"phase": "registration"}, content_type="application/json")
    assert refused.status_code == 400 and "phase" in refused.json()
    assert client.post(url, [1, 2], content_type="application/json").status_code == 400
