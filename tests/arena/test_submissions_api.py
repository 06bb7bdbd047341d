"""The melody and composition API of DESIGN §6 with the Django test client."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arena.accounts.models import User
from arena.events.models import Team
from arena.jobs.models import JobStatus
from arena.submissions.models import Composition, Melody
from composer.data.samples import sample_melodies
from tests.factories.accounts import PASSWORD
from tests.factories.events import EventFactory, TeamFactory
from tests.factories.submissions import EntryFactory


def _token(client, username: str) -> str:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    return response.json()["token"]


@pytest.fixture
def alice(client, composing_teams):  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Token {_token(client, 'alice')}"}


@pytest.fixture
def carol(client, composing_teams):  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Token {_token(client, 'carol')}"}


def _midi(name: str = "tune.mid", data: bytes | None = None) -> SimpleUploadedFile:
    data = sample_melodies()[0].path.read_bytes() if data is None else data
    return SimpleUploadedFile(name, data, content_type="audio/midi")


def _melody_id() -> int:
    team = Team.objects.get(event__slug="space-odyssey", name="Fugue State")
    return team.melodies.first().pk


def test_upload_a_melody(client, alice):
    response = client.post(
        "/api/events/space-odyssey/melodies/", {"file": _midi()}, format="multipart", **alice
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "bars", "notes", "warnings"} <= body.keys()
    assert body["bars"] == 12 and body["notes"] == 42


def test_pick_a_sample_melody(client, alice):
    response = client.post(
        "/api/events/space-odyssey/melodies/", {"sample": "korobeiniki"}, **alice
    )
    assert response.status_code == 201
    assert response.json()["key"] == "A minor"


def test_bad_midi_is_400_with_the_reason_and_nothing_stored(client, alice, tmp_path):
    before = Melody.objects.count()
    files = sorted(tmp_path.rglob("*"))
    response = client.post(
        "/api/events/space-odyssey/melodies/",
        {"file": _midi("broken.mid", b"MThd\x00\x00\x00\x06garbage")},
        **alice,
    )
    assert response.status_code == 400
    assert "MIDI" in response.json()["file"][0]
    assert Melody.objects.count() == before
    assert sorted(tmp_path.rglob("*")) == files


def test_anonymous_cannot_upload(client, composing_event):
    response = client.post("/api/events/space-odyssey/melodies/", {"file": _midi()})
    assert response.status_code in (401, 403)


def test_compose_then_poll_then_submit(client, alice):
    response = client.post(
        f"/api/melodies/{_melody_id()}/compositions/",
        {"model": "gan", "style": "space", "risk": 1.2, "seed": 3, "seconds": 45},
        content_type="application/json",
        **alice,
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued"
    detail = client.get(f"/api/compositions/{body['id']}/", **alice).json()
    assert detail["status"] == "queued" and detail["progress"] == 0.0
    assert detail["midi_url"] is None and detail["audio_url"] is None
    for key in ("error", "roll_url", "metrics"):
        assert key in detail

    # Not finished yet: it cannot be the entry.
    assert client.post(f"/api/compositions/{body['id']}/submit/", **alice).status_code == 400
    composition = Composition.objects.get(pk=body["id"])
    composition.job.status = JobStatus.DONE
    composition.job.save()
    response = client.post(f"/api/compositions/{body['id']}/submit/", **alice)
    assert response.status_code == 200
    assert response.json()["is_entry"] is True
    assert Composition.objects.filter(team=composition.team, is_entry=True).count() == 1


def test_bad_controls_are_400(client, alice):
    response = client.post(
        f"/api/melodies/{_melody_id()}/compositions/",
        {"model": "gan", "risk": 99},
        content_type="application/json",
        **alice,
    )
    assert response.status_code == 400
    assert "risk" in response.json()


def test_full_queue_is_429(client, alice, settings):
    settings.ARENA_TEAM_ACTIVE_JOBS = 1
    url = f"/api/melodies/{_melody_id()}/compositions/"
    assert client.post(url, {}, content_type="application/json", **alice).status_code == 202
    response = client.post(url, {}, content_type="application/json", **alice)
    assert response.status_code == 429
    assert "queue" in response.json()["detail"]


def test_another_team_sees_nothing(client, alice, carol):
    melody = _melody_id()
    url = f"/api/melodies/{melody}/compositions/"
    assert client.post(url, {}, content_type="application/json", **carol).status_code == 404
    created = client.post(url, {}, content_type="application/json", **alice).json()
    assert client.get(f"/api/compositions/{created['id']}/", **carol).status_code == 404
    assert client.post(f"/api/compositions/{created['id']}/submit/", **carol).status_code == 404


def test_schema_documents_the_composition_api(client, db):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/events/{slug}/melodies/",
        "/api/melodies/{id}/compositions/",
        "/api/compositions/{id}/",
        "/api/compositions/{id}/submit/",
    ):
        assert path in paths, path


def test_file_urls_work_with_the_token_that_got_them(client, alice, carol):
    finished = EventFactory(slug="bach-to-the-future", finished=True)
    team = TeamFactory(
        event=finished, name="Fugue State", members=[User.objects.get(username="alice")]
    )
    entry = EntryFactory(team=team)
    detail = client.get(f"/api/compositions/{entry.pk}/", **alice).json()
    response = client.get(detail["audio_url"], **alice)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    assert client.get(detail["audio_url"], **carol).status_code == 404  # another team's
    assert client.get(detail["audio_url"]).status_code == 302  # nobody: to the login page
    bad = {"HTTP_AUTHORIZATION": "Token not-a-token"}
    assert client.get(detail["audio_url"], **bad).status_code == 302
    sheet = client.get(detail["score_url"], **alice)  # sheet music, saved as a file
    assert sheet.status_code == 200 and sheet["Content-Type"].endswith("musicxml+xml")
    assert "attachment" in sheet["Content-Disposition"]
    assert b"<score-partwise" in b"".join(sheet.streaming_content)
