"""Public pages are kept for visitors a few seconds; members always get them fresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from arena.events.models import Event
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import EventFactory
from tests.factories.judging import JudgingSetupFactory


@pytest.fixture(autouse=True)
def cache_on(settings):  # type: ignore[no-untyped-def]
    settings.ARENA_VISITOR_CACHE_SECONDS = 60


@pytest.fixture
def finished(db) -> Event:  # type: ignore[no-untyped-def]
    """An event whose results are out, so its leaderboard is public."""
    return JudgingSetupFactory(published=True, event__slug="bach-to-the-future").event


PUBLIC = [
    "/",
    "/events/bach-to-the-future/",
    "/events/bach-to-the-future/leaderboard/",
    "/api/events/",
    "/api/events/bach-to-the-future/",
    "/api/events/bach-to-the-future/leaderboard/",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_a_visitor_is_served_a_public_page_from_the_cache(client, finished, url):
    first = client.get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
    assert len(queries) == 0  # not one query: the page came from the cache
    assert again["Cache-Control"] == "no-cache" and "Expires" not in again


def test_a_visitor_sees_a_new_event_once_the_page_is_older_than_the_setting(
    client, finished, settings
):
    client.get("/")
    EventFactory(name="Fugue Fest")
    assert "Fugue Fest" not in client.get("/").content.decode()
    settings.ARENA_VISITOR_CACHE_SECONDS = 0
    assert "Fugue Fest" in client.get("/").content.decode()


def test_a_signed_in_member_always_gets_the_page_as_it_is_now(client, finished):
    assert client.login(username=UserFactory().username, password=PASSWORD)
    client.get("/")
    EventFactory(name="Fugue Fest")
    assert "Fugue Fest" in client.get("/").content.decode()


def test_an_api_client_with_a_token_gets_the_list_as_it_is_now(client, finished):
    client.get("/api/events/")  # a visitor's copy is kept
    EventFactory(name="Fugue Fest")
    token = Token.objects.create(user=UserFactory()).key
    fresh = client.get("/api/events/", HTTP_AUTHORIZATION=f"Token {token}")
    assert "Fugue Fest" in [e["name"] for e in fresh.json()["results"]]
    assert "Fugue Fest" not in client.get("/api/events/").content.decode()


def test_the_api_page_and_its_json_are_kept_apart(client, finished):
    """The API answers browsers with its HTML page and programs with JSON (Vary: Accept)."""
    page = client.get("/api/events/", HTTP_ACCEPT="text/html")
    data = client.get("/api/events/", HTTP_ACCEPT="application/json")
    assert page["Content-Type"].startswith("text/html")
    assert data["Content-Type"] == "application/json"
    assert client.get("/api/events/", HTTP_ACCEPT="text/html").content == page.content


def test_a_missing_page_is_not_kept(client, db):
    assert client.get("/events/not-yet/").status_code == 404
    EventFactory(slug="not-yet")
    assert client.get("/events/not-yet/").status_code == 200
