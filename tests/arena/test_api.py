import pytest

from arena.events.models import Event
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import EventFactory, TeamFactory


@pytest.fixture
def live(db) -> Event:  # type: ignore[no-untyped-def]
    """An event in its composing phase with two teams."""
    event = EventFactory(slug="space-odyssey")
    TeamFactory.create_batch(2, event=event)
    return event


def test_token_auth_then_events(client, live):
    finished = EventFactory(finished=True)
    alice = UserFactory()
    response = client.post(
        "/api/auth/token/",
        {"username": alice.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    events = client.get("/api/events/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert {e["slug"] for e in events["results"]} == {live.slug, finished.slug}


def test_wrong_password_gets_no_token(client, db):
    alice = UserFactory()
    response = client.post(
        "/api/auth/token/",
        {"username": alice.username, "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_event_detail_by_slug(client, live):
    data = client.get("/api/events/space-odyssey/").json()
    assert data["phase"] == "composing"
    assert data["team_count"] == 2


def test_schema_documents_the_api(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/events/{slug}/" in paths
    assert "/api/auth/token/" in paths
