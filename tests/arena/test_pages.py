import pytest
from django.urls import reverse

from arena.events.models import Event
from tests.factories.accounts import PASSWORD, OrganiserFactory, UserFactory
from tests.factories.events import EventFactory, TeamFactory


@pytest.fixture
def live(db) -> Event:  # type: ignore[no-untyped-def]
    """An event in its composing phase, run by a staff organiser, with two teams."""
    event = EventFactory(
        name="Space Odyssey Workshop",
        slug="space-odyssey",
        organiser=OrganiserFactory(username="organiser", staff=True),
    )
    for name in ("Fugue State", "Well-Tempered Rockets"):
        TeamFactory(event=event, name=name)
    return event


def test_home_page_explains_the_product_and_links_the_live_event(client, live):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bach" in html and "GAN" in html
    assert f'href="/events/{live.slug}/"' in html


def test_home_page_without_events_says_what_to_do(client, db):
    html = client.get("/").content.decode()
    assert "No events yet" in html


def test_event_page_shows_phase_and_teams(client, live):
    html = client.get(reverse("event-detail", args=["space-odyssey"])).content.decode()
    assert '<li class="now">Composing</li>' in html
    assert "Fugue State" in html and "Well-Tempered Rockets" in html


def test_unknown_event_is_404(client, db):
    assert client.get("/events/no-such-event/").status_code == 404


def test_admin_works_for_the_organiser(client, live):
    assert client.login(username="organiser", password=PASSWORD)
    response = client.get("/admin/events/event/")
    assert response.status_code == 200
    assert "Space Odyssey Workshop" in response.content.decode()


def test_participant_cannot_enter_admin(client, live):
    assert client.login(username=UserFactory().username, password=PASSWORD)
    assert client.get("/admin/").status_code == 302


def test_signup_sends_a_confirmation_mail(client, db, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "erin@example.org",
            "username": "erin",
            "password1": "a-long-test-password-42",
            "password2": "a-long-test-password-42",
        },
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "erin@example.org" in mailoutbox[0].to
    assert "/accounts/confirm-email/" in mailoutbox[0].body
