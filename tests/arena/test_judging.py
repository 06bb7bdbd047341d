"""Judging end to end on an event of two teams: anonymity, permissions, scores, the leaderboard
and its API."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError

from arena.accounts.models import User
from arena.demo.services import demo_seed
from arena.events.models import Event, Phase, Team
from arena.judging.models import CRITERIA, JudgingSetup, Rating
from arena.judging.selectors import judge_assignment_get, judge_entry_list, leaderboard
from arena.judging.services import criterion_weights_set, judge_invite, score_save
from tests.factories.accounts import JudgeFactory, OrganiserFactory, UserFactory
from tests.factories.events import EventFactory, TeamFactory
from tests.factories.submissions import EntryFactory

TEAM_NAMES = ["Fugue State", "Well-Tempered Rockets"]
MEMBERS = {"Fugue State": ["alice", "bob"], "Well-Tempered Rockets": ["carol", "dave"]}
ALL_SEVEN = dict.fromkeys(CRITERIA, 7)


@pytest.fixture
def demo(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return demo_seed(password=django_settings.DEMO_PASSWORD)


@pytest.fixture
def judging(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    """An event in its judging phase run by the organiser, each of its two teams with an entry;
    judge1 and alice (a member of Fugue State) judge it."""
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory(slug="space-odyssey", organiser=OrganiserFactory(username="organiser"))
    JudgeFactory(username="judge1")
    for name in TEAM_NAMES:
        members = [UserFactory(username=username) for username in MEMBERS[name]]
        EntryFactory(team=TeamFactory(event=event, name=name, members=members))
    event.phase = Phase.JUDGING
    event.save()
    organiser = User.objects.get(username="organiser")
    for username in ("judge1", "alice"):
        judge_invite(event=event, judge=User.objects.get(username=username), invited_by=organiser)
    return event


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _login(client, name: str):  # type: ignore[no-untyped-def]
    client.force_login(_user(name))
    return client


# Anonymity and the judge's list -----------------------------------------------------------------


def test_judge_gets_anonymised_entries_in_a_stable_order(judging, client):
    assignment = judge_assignment_get(event=judging, user=_user("judge1"))
    entries = judge_entry_list(assignment=assignment)
    assert [e.label for e in entries] == ["Entry A", "Entry B"]
    assert [e.id for e in judge_entry_list(assignment=assignment)] == [e.id for e in entries]

    page = _login(client, "judge1").get(f"/events/{judging.slug}/judge/").content.decode()
    score_page = client.get(f"/events/{judging.slug}/judge/{entries[0].id}/").content.decode()
    api = client.get(f"/api/events/{judging.slug}/entries/")
    assert api.status_code == 200
    for text in (page, score_page, api.content.decode()):
        for team in TEAM_NAMES:
            assert team not in text
    assert "Entry A" in page and "<audio" in score_page and "Piano roll" in score_page
    body = api.json()
    assert [e["label"] for e in body] == ["Entry A", "Entry B"]
    assert "in_scale_rate" in body[0]["metrics"] and body[0]["score"] is None
    # The judge hears the audio through the judging view, not the team's pages.
    assert client.get(body[0]["audio_url"]).status_code == 200
    assert client.get(f"/compositions/{entries[0].id}/audio/").status_code == 404


def test_a_judge_never_gets_their_own_teams_entry(judging, client):
    assignment = judge_assignment_get(event=judging, user=_user("alice"))
    entries = judge_entry_list(assignment=assignment)
    assert [e.composition.team.name for e in entries] == ["Well-Tempered Rockets"]
    own = Team.objects.get(event=judging, name="Fugue State").compositions.get(is_entry=True)
    with pytest.raises(PermissionDenied):
        score_save(assignment=assignment, entry_id=own.pk, values=ALL_SEVEN)
    _login(client, "alice")
    assert client.get(f"/events/{judging.slug}/judge/{own.pk}/").status_code == 404
    response = client.post(
        f"/api/entries/{own.pk}/scores/", ALL_SEVEN, content_type="application/json"
    )
    assert response.status_code == 403


def test_participants_cannot_score(judging, client):
    entry = judge_entry_list(assignment=judge_assignment_get(event=judging, user=_user("judge1")))[
        0
    ]
    _login(client, "carol")
    assert client.get(f"/api/events/{judging.slug}/entries/").status_code == 403
    response = client.post(
        f"/api/entries/{entry.id}/scores/", ALL_SEVEN, content_type="application/json"
    )
    assert response.status_code == 403
    assert client.get(f"/events/{judging.slug}/judge/").status_code == 404
    assert client.get(f"/entries/{entry.id}/audio/").status_code == 404


# Scores -----------------------------------------------------------------------------------------


def test_drafts_then_submit_then_edit_until_judging_closes(judging, client):
    assignment = judge_assignment_get(event=judging, user=_user("judge1"))
    entry = judge_entry_list(assignment=assignment)[0]
    _login(client, "judge1")
    url = f"/api/entries/{entry.id}/scores/"
    draft = client.post(url, {"originality": 6, "draft": True}, content_type="application/json")
    assert draft.status_code == 201 and draft.json()["submitted"] is False
    incomplete = client.post(url, {"originality": 6}, content_type="application/json")
    assert incomplete.status_code == 400 and "rhythm" in incomplete.json()
    assert (
        client.post(url, {**ALL_SEVEN, "rhythm": 11}, content_type="application/json").status_code
        == 400
    )
    done = client.post(url, {**ALL_SEVEN, "comment": "Warm."}, content_type="application/json")
    assert done.status_code == 201 and done.json()["submitted"] is True
    edited = client.post(url, {**ALL_SEVEN, "emotion": 9}, content_type="application/json")
    assert edited.json()["emotion"] == 9
    assert Rating.objects.filter(assignment=assignment).count() == 1
    # The scoring page saves a draft too.
    second = judge_entry_list(assignment=assignment)[1]
    page = client.post(
        f"/events/{judging.slug}/judge/{second.id}/", {"rhythm": "4", "action": "draft"}
    )
    assert page.status_code == 302
    assert Rating.objects.get(assignment=assignment, entry_id=second.id).rhythm == 4
    # Progress for the organiser.
    desk = _login(client, "organiser").get(f"/events/{judging.slug}/judging/").content.decode()
    assert "1 of 2 submitted, 1 draft" in desk
    judging.phase = Phase.RESULTS
    judging.save()
    with pytest.raises(ValidationError):
        score_save(assignment=assignment, entry_id=entry.id, values=ALL_SEVEN)


def test_weights_are_the_organisers(judging):
    with pytest.raises(PermissionDenied):
        criterion_weights_set(event=judging, weights=ALL_SEVEN, by=_user("judge1"))
    with pytest.raises(ValidationError):
        criterion_weights_set(event=judging, weights={"rhythm": 11}, by=_user("organiser"))
    setup = criterion_weights_set(
        event=judging, weights={**dict.fromkeys(CRITERIA, 1), "emotion": 2}, by=_user("organiser")
    )
    assert setup.weights["emotion"] == 2.0


# Leaderboard ------------------------------------------------------------------------------------


# The demo's finished event, as seeded, is what this test is about: it keeps the whole demo.
def test_the_seeded_finished_event_has_published_results(demo, client):
    rows = leaderboard(event=demo["finished"])
    assert [r.team for r in rows] == ["Fugue State", "Well-Tempered Rockets"]
    assert all(r.result.judges == 3 for r in rows)
    body = client.get("/api/events/bach-to-the-future/leaderboard/").json()
    assert [row["rank"] for row in body] == [1, 2]
    assert body[0]["team"] == "Fugue State"
    assert body[0]["entry"]["model"] == "Bach's own harmonization (a demo entry)"
    assert set(body[0]["criteria"]) == set(CRITERIA)
    assert body[0]["score"] > 0 > body[1]["score"]
    assert client.get(body[0]["entry"]["audio_url"]).status_code == 200  # listenable by all
    page = client.get("/events/bach-to-the-future/leaderboard/").content.decode()
    assert "Fugue State" in page and "<audio" in page
    raw = client.get("/events/bach-to-the-future/leaderboard/?view=raw").content.decode()
    assert "Raw view" in raw
    table = list(
        csv.reader(
            io.StringIO(client.get("/events/bach-to-the-future/leaderboard.csv").content.decode())
        )
    )
    assert table[0][:5] == ["rank", "team", "entry", "judges", "score"]
    assert [row[1] for row in table[1:]] == ["Fugue State", "Well-Tempered Rockets"]


def test_leaderboard_hidden_until_published(judging, client):
    judge = judge_assignment_get(event=judging, user=_user("judge1"))
    for entry in judge_entry_list(assignment=judge):
        score_save(assignment=judge, entry_id=entry.id, values=ALL_SEVEN)
    for who in (None, "alice", "judge1"):
        if who:
            _login(client, who)
        assert client.get(f"/api/events/{judging.slug}/leaderboard/").status_code == 404
        assert client.get(f"/events/{judging.slug}/leaderboard/").status_code == 404
        assert client.get(f"/events/{judging.slug}/leaderboard.csv").status_code == 404
    # Only organisers publish; the organiser may preview before.
    assert client.post(f"/events/{judging.slug}/judging/publish/").status_code == 404
    _login(client, "organiser")
    assert client.get(f"/api/events/{judging.slug}/leaderboard/").status_code == 200
    publish = f"/events/{judging.slug}/judging/publish/"
    assert client.post(publish, {"confirmed": "yes"}).status_code == 302
    event = Event.objects.get(pk=judging.pk)
    assert event.phase == Phase.RESULTS and JudgingSetup.objects.get(event=event).results_published
    client.logout()
    assert client.get(f"/api/events/{judging.slug}/leaderboard/").status_code == 200


def test_only_organisers_see_the_desk_and_invite(judging, client):
    JudgeFactory(username="judge2")
    _login(client, "judge1")
    assert client.get(f"/events/{judging.slug}/judging/").status_code == 404
    assert (
        client.post(f"/events/{judging.slug}/judging/invite/", {"username": "judge2"}).status_code
        == 404
    )
    _login(client, "organiser")
    client.post(f"/events/{judging.slug}/judging/invite/", {"username": "judge2"})
    assert judge_assignment_get(event=judging, user=_user("judge2")) is not None


def test_schema_lists_the_judging_endpoints(db, client):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/events/{slug}/entries/",
        "/api/entries/{id}/scores/",
        "/api/events/{slug}/leaderboard/",
        "/api/events/{slug}/publish/",
    ):
        assert path in schema
