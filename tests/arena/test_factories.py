"""The factories make rows the site itself would make: a confirmed login, a team led by its
founder, a judged entry with its files, a finished piece with its job."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from arena.events.models import Phase
from arena.jobs.models import JobStatus
from arena.judging.selectors import judge_assignment_get
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import EventFactory, TeamFactory, team_founder
from tests.factories.judging import RatingFactory
from tests.factories.submissions import CompositionFactory


@pytest.fixture(autouse=True)
def media(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def test_a_user_logs_in_with_a_confirmed_email(client):
    user = UserFactory()
    assert EmailAddress.objects.get(user=user).verified
    assert client.login(username=user.username, password=PASSWORD)


def test_a_team_is_founded_by_its_first_member_in_a_composing_event():
    alice, bob = UserFactory(), UserFactory()
    team = TeamFactory(members=[alice, bob])
    assert team_founder(team) == alice and team.memberships.count() == 2
    assert team.event.phase == Phase.COMPOSING
    finished = EventFactory(finished=True)
    assert finished.phase == Phase.RESULTS and finished.results_at < team.event.composing_opens


def test_a_rating_is_a_judge_of_the_event_marking_an_entry_with_files():
    rating = RatingFactory()
    entry, event = rating.entry, rating.entry.team.event
    assert entry.is_entry and entry.is_done and entry.sheet_music and entry.audio
    assert judge_assignment_get(event=event, user=rating.assignment.judge) == rating.assignment
    assert rating.assignment.invited_by == event.organiser and rating.submitted


def test_a_piece_is_its_melodys_team_with_a_finished_job():
    piece = CompositionFactory()
    assert piece.team == piece.melody.team and piece.created_by == team_founder(piece.team)
    assert piece.job.status == JobStatus.DONE and piece.job.team == piece.team
    assert piece.melody.title == "Ode to Joy"
