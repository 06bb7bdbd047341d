import pytest
from django.conf import settings

from arena.demo.services import demo_seed


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return demo_seed(password=settings.DEMO_PASSWORD)


def test_token_auth_then_events(client, demo):
    response = client.post(
        "/api/auth/token/",
        {"username": "alice", "password": settings.DEMO_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    events = client.get("/api/events/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert {e["slug"] for e in events["results"]} == {"space-odyssey", "bach-to-the-future"}


def test_wrong_password_gets_no_token(client, demo):
    response = client.post(
        "/api/auth/token/",
        {"username": "alice", "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_event_detail_by_slug(client, demo):
    data = client.get("/api/events/space-odyssey/").json()
    assert data["phase"] == "composing"
    assert data["team_count"] == 2


def test_schema_documents_the_api(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/events/{slug}/" in paths
    assert "/api/auth/token/" in paths
