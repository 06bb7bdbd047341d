# ruff: noqa: F401, F811 - the fixtures `team` and `media` come from the services tests
"""The editor's melody through the studio page and the API, with the Django test client."""

from __future__ import annotations

import json

import pytest

from arena.events.models import Team
from arena.submissions.models import Melody, MelodySource
from composer.midi.melody import extract_melody
from tests.arena.test_melody_editor_services import ODE, media, notes_of, stored_files, team

pytestmark = pytest.mark.django_db

STUDIO = "/events/moon/studio/"
API = "/api/events/moon/melodies/notes/"


@pytest.fixture
def member(client, team: Team):  # type: ignore[no-untyped-def]
    client.force_login(team.memberships.get().user)
    return client


@pytest.fixture
def token(client, team: Team) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=team.memberships.get().user).key
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def _form(notes: object, **fields: object) -> dict[str, object]:
    return {"title": "Ode", "meter": "4/4", "tempo": 100, "notes": json.dumps(notes), **fields}


def test_the_studio_offers_the_editor(member):
    page = member.get(STUDIO).content.decode()
    assert 'id="melody-editor"' in page and 'data-lowest="53"' in page
    assert 'data-highest="84"' in page and "js/melody_editor.js" in page
    assert 'name="notes"' in page and 'id="editor-title"' in page  # apart from the upload's title


def test_a_melody_saved_from_the_editor_joins_the_studio(member, media):
    response = member.post(f"{STUDIO}melody/", _form(notes_of(ODE), meter="2/4", tempo=80))
    assert response.status_code == 302 and response["Location"] == STUDIO
    melody = Melody.objects.get()
    assert (melody.source, melody.meter, melody.tempo_bpm, melody.bars) == ("editor", "2/4", 80, 8)
    assert extract_melody(melody.midi.read()).score.notes(0) == [(s, s + d, p) for p, s, d in ODE]
    page = member.get(STUDIO).content.decode()
    assert "Added “Ode”: 8 bars, 15 notes." in page and "Entered in the browser" in page


@pytest.mark.parametrize(
    ("notes", "fields", "message"),
    [
        ([], {}, "The melody has no notes yet"),
        (notes_of([(60, 0, 4), (64, 2, 4)]), {}, "Two notes sound together at bar 1, beat 1"),
        (notes_of([(100, 0, 4)]), {}, "is outside the keyboard, F3 to C6"),
        (notes_of([(72, 0, 1)]), {}, "We could not use this melody: the melody is shorter"),
        (notes_of(ODE), {"tempo": 20}, "greater than or equal to 40"),
    ],
)
def test_a_refused_melody_comes_back_with_its_notes_and_the_reason(
    member, media, notes, fields, message
):
    response = member.post(f"{STUDIO}melody/", _form(notes, **fields))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    form = response.context["editor_form"]
    assert form["notes"].value() in (notes, json.dumps(notes))  # the editor shows them again
    assert not Melody.objects.exists() and not stored_files(media)


def test_unreadable_notes_are_refused_on_the_page(member):
    response = member.post(f"{STUDIO}melody/", _form([]) | {"notes": "[{pitch"})
    assert response.status_code == 400
    assert "The notes could not be read" in response.content.decode()
    assert not Melody.objects.exists()


def test_the_api_adds_a_melody_from_notes(client, token, media):
    body = {"notes": notes_of(ODE), "meter": "4/4", "tempo": 120, "title": "Ode"}
    response = client.post(API, body, content_type="application/json", **token)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["source"] == MelodySource.EDITOR and created["notes"] == 15
    assert (created["bars"], created["meter"], created["tempo_bpm"]) == (4, "4/4", 120.0)
    melody = Melody.objects.get(pk=created["id"])
    assert extract_melody(melody.midi.read()).score.notes(0) == [(s, s + d, p) for p, s, d in ODE]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"notes": []}, "The melody has no notes yet"),
        ({"notes": notes_of([(60, 0, 8), (62, 4, 4)])}, "Two notes sound together"),
        ({"notes": notes_of([(40, 0, 4)])}, "is outside the keyboard"),
        ({"notes": notes_of([(60, 600, 4)])}, "runs past 32 bars"),
        ({"notes": [{"pitch": "C4", "start": 0, "duration": 4}]}, "A valid integer is required"),
        ({"notes": "C D E"}, "Expected a list of items"),
        ({"notes": notes_of(ODE), "meter": "7/8"}, "is not a valid choice"),
        ({"notes": notes_of(ODE), "tempo": 1000}, "beats per minute, 40-240"),
        ({"notes": notes_of([(72, 0, 1)])}, "shorter than one beat"),
    ],
)
def test_the_api_refuses_bad_notes_with_400_and_stores_nothing(client, token, media, body, message):
    response = client.post(API, body, content_type="application/json", **token)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Melody.objects.exists() and not stored_files(media)


def test_the_api_wants_a_member_with_a_token(client, team, make_user):
    body = {"notes": notes_of(ODE)}
    assert client.post(API, body, content_type="application/json").status_code == 403
    client.force_login(make_user("otto"))  # no team in this event
    assert client.post(API, body, content_type="application/json").status_code == 404
    assert not Melody.objects.exists()


def test_the_schema_documents_the_notes_endpoint(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    operation = paths["/api/events/{slug}/melodies/notes/"]["post"]
    assert operation["operationId"] == "event_melody_create_from_notes"
    assert "tokenAuth" in json.dumps(operation["security"])
