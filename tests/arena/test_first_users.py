"""What first users stumbled on, on an organiser's live and finished events: confirmation before
publishing, pages after the results, the words and numbers the pages use, and the training model
card."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from arena.accounts.models import User
from arena.events.models import Event, Phase, Team
from arena.judging.models import CRITERIA, JudgingSetup
from arena.judging.selectors import judge_assignment_get, judge_entry_list
from arena.judging.services import judge_invite, score_save
from arena.submissions.models import Composition
from arena.training.models import TrainingRun
from tests.factories.accounts import JudgeFactory, OrganiserFactory, UserFactory
from tests.factories.events import EventFactory, TeamFactory
from tests.factories.judging import results_published
from tests.factories.submissions import CompositionFactory, EntryFactory, MelodyFactory
from tests.factories.training import TrainingRunFactory

pytestmark = pytest.mark.django_db

TEAMS = {"Fugue State": ["alice", "bob"], "Well-Tempered Rockets": ["carol", "dave"]}


@pytest.fixture
def live(settings, tmp_path) -> Event:  # type: ignore[no-untyped-def]
    """The organiser's event in its composing phase, with two teams (TEAMS), Fugue State with a
    melody; three judges, none invited yet."""
    settings.MEDIA_ROOT = tmp_path
    organiser = OrganiserFactory(username="organiser", display_name="Olga Organiser", staff=True)
    for n, name in enumerate(("Anna", "Bernd", "Chiara"), start=1):
        JudgeFactory(username=f"judge{n}", display_name=f"Judge {name}")
    event = EventFactory(name="Space Odyssey Workshop", slug="space-odyssey", organiser=organiser)
    for name, members in TEAMS.items():
        people = [UserFactory(username=u, display_name=u.title()) for u in members]
        TeamFactory(event=event, name=name, members=people)
    MelodyFactory(team=Team.objects.get(event=event, name="Fugue State"), slug="ode-to-joy")
    return event


@pytest.fixture
def finished(live) -> Event:  # type: ignore[no-untyped-def]
    """The organiser's earlier event, with the same teams, its results published."""
    event = EventFactory(
        name="Bach to the Future",
        slug="bach-to-the-future",
        finished=True,
        organiser=live.organiser,
    )
    teams = [
        TeamFactory(event=event, name=name, members=[User.objects.get(username=u) for u in members])
        for name, members in TEAMS.items()
    ]
    results_published(event=event, teams=teams)
    return event


def _as(client: Client, username: str) -> Client:
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def judging(live):  # type: ignore[no-untyped-def]
    """The live event in judging, both teams with an entry, judge1 and judge2 invited."""
    event = live
    for name, chorale in zip(TEAMS, ["bach/bwv104.6", "bach/bwv146.8"], strict=True):
        team = Team.objects.get(event=event, name=name)
        EntryFactory(
            team=team, created_by=User.objects.get(username=TEAMS[name][0]), chorale=chorale
        )
    event.phase = Phase.JUDGING
    event.save()
    for judge in ("judge1", "judge2"):
        judge_invite(
            event=event,
            judge=User.objects.get(username=judge),
            invited_by=User.objects.get(username="organiser"),
        )
    return event


def test_publishing_asks_first_and_names_the_judges_who_have_not_finished(judging, client):
    judge1 = judge_assignment_get(event=judging, user=User.objects.get(username="judge1"))
    for entry in judge_entry_list(assignment=judge1):
        score_save(assignment=judge1, entry_id=entry.id, values=dict.fromkeys(CRITERIA, 7))
    _as(client, "organiser")
    url = f"/events/{judging.slug}/judging/publish/"
    page = client.post(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 of 2 judges has not finished" in text
    listed = text.split("has not finished")[1].split("</ul>")[0]
    assert str(User.objects.get(username="judge2")) in listed
    assert str(User.objects.get(username="judge1")) not in listed  # finished: not listed
    assert 'name="confirmed" value="yes"' in text
    assert Event.objects.get(pk=judging.pk).phase == Phase.JUDGING  # nothing happened yet
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    assert JudgingSetup.objects.get(event=judging).results_published


def test_after_the_results_the_event_page_shows_the_winners(finished, client):
    page = client.get("/events/bach-to-the-future/").content.decode()
    winners = page.split('id="winners"')[1].split("</section>")[0]
    assert all(team in winners for team in TEAMS) and "#1" in winners
    assert "to form a team" not in page and "be the first to form one" not in page
    assert "This event is over" in page


def test_after_the_results_the_studio_offers_no_forms(finished, client):
    page = _as(client, "alice").get("/events/bach-to-the-future/studio/").content.decode()
    assert "<form" not in page.split("<main")[1].split("</main>")[0]
    assert "the event is over" in page
    assert "no melody can be added now" in page


def test_a_judge_is_not_offered_to_start_a_team(live, client):
    page = _as(client, "judge1").get("/events/space-odyssey/").content.decode()
    assert "Start a team" not in page and "You judge this event" in page
    page = _as(client, "organiser").get("/events/space-odyssey/").content.decode()
    assert "Start a team" not in page and "You run this event" in page


def test_compose_states_a_refusal_once(live, client):
    _as(client, "alice")
    team = Team.objects.get(event__slug="space-odyssey", name="Fugue State")
    melody = team.melodies.first()
    page = client.post(
        "/events/space-odyssey/studio/compose/",
        {
            "melody": melody.pk,
            "model": "hybrid",
            "style": "baroque",
            "risk": 99,
            "seconds": 60,
            "seed": 0,
        },
    ).content.decode()
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    assert len(errors) == 1 and "less than or equal" in errors[0]


def test_a_taken_team_name_is_refused_in_words(live, client):
    _as(client, "judge3").get("/")
    User.objects.filter(username="judge3").update(role="participant")
    response = client.post(
        "/events/space-odyssey/team/create/", {"name": "fugue state"}, follow=True
    ).content.decode()
    assert "There is already a team called “fugue state” in Space Odyssey Workshop" in response
    assert "already exists" not in response


def test_an_upload_that_is_no_midi_file_is_refused_in_plain_words(live, client):
    _as(client, "alice")
    upload = ContentFile(b"<html>not music</html>", name="tune.mid")
    page = client.post("/events/space-odyssey/studio/upload/", {"file": upload})
    text = page.content.decode()
    assert page.status_code == 400 and "this file is not a MIDI file" in text
    assert "MThd" not in text
    api = client.post("/api/events/space-odyssey/melodies/", {"file": upload.open()})
    assert "MThd" not in api.content.decode() and "not a MIDI file" in api.json()["file"][0]


def test_the_queue_numbers_pieces_as_the_studio_does(live, client):
    CompositionFactory(melody=Team.objects.get(event=live, name="Fugue State").melodies.get())
    page = _as(client, "organiser").get("/events/space-odyssey/queue/").content.decode()
    for composition in Composition.objects.filter(team__event__slug="space-odyssey"):
        assert f"Composition #{composition.pk}</strong> <small>(job {composition.job_id})" in page


def test_page_titles_name_the_event_once(finished, client):
    _as(client, "organiser")
    for path in (
        "/events/space-odyssey/",
        "/events/space-odyssey/judging/",
        "/events/space-odyssey/training/desk/",
        "/events/space-odyssey/queue/",
        "/events/bach-to-the-future/leaderboard/",
        "/events/bach-to-the-future/",
    ):
        title = re.search(r"<title>(.*?)</title>", client.get(path).content.decode(), re.S)[1]
        assert title.endswith(" · Arena")
        for name in ("Space Odyssey Workshop", "Bach to the Future"):
            assert title.count(name) <= 1, (path, title)


def test_a_leaderboard_of_one_entry_per_judge_says_why_every_score_is_zero(judging, client):
    for judge in ("judge1", "judge2"):
        assignment = judge_assignment_get(event=judging, user=User.objects.get(username=judge))
        entry = judge_entry_list(assignment=assignment)[0]  # each scores one entry only
        score_save(assignment=assignment, entry_id=entry.id, values=dict.fromkeys(CRITERIA, 6))
    page = _as(client, "organiser").get(f"/events/{judging.slug}/leaderboard/").content.decode()
    assert "+0.00" in page and 'id="why-zero"' in page
    raw = client.get(f"/events/{judging.slug}/leaderboard/?view=raw").content.decode()
    assert 'id="why-zero"' not in raw


def test_a_leaderboard_that_tells_entries_apart_needs_no_explanation(judging, client):
    for judge in ("judge1", "judge2"):
        assignment = judge_assignment_get(event=judging, user=User.objects.get(username=judge))
        entries = sorted(judge_entry_list(assignment=assignment), key=lambda e: e.id)
        for n, entry in enumerate(entries):  # both judges prefer the same entry
            score_save(
                assignment=assignment, entry_id=entry.id, values=dict.fromkeys(CRITERIA, 4 + n)
            )
    page = _as(client, "organiser").get(f"/events/{judging.slug}/leaderboard/").content.decode()
    assert 'id="why-zero"' not in page


def test_the_model_card_is_a_table_with_readable_names(live, client):
    team = Team.objects.get(event__slug="space-odyssey", name="Fugue State")
    alice = User.objects.get(username="alice")
    training = TrainingRunFactory(team=team, created_by=alice, steps=100, finished=True)
    TrainingRun.objects.filter(pk=training.pk).update(
        metrics=[{"step": 100, "seconds": 9.0, "in_scale_rate": 0.91, "in_scale_rate_bass": 0.8}],
        reference={"in_scale_rate": 0.963, "in_scale_rate_bass": 0.95},
    )
    page = _as(client, "alice").get(f"/trainings/{training.pk}/").content.decode()
    card = page.split('class="panel model-card"')[1]
    rows = re.findall(
        r"<tr><th scope=\"row\">(.*?)</th><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>", card
    )
    assert ("Notes in the key", "0.910", "0.963") in rows
    assert ("Notes in the key — bass", "0.800", "0.950") in rows
    assert "in_scale_rate" not in card and "Learning rate: 0.001" in card
