"""The factories make rows the site itself would make: a confirmed login, a team led by its
founder, a judged entry with its files, a finished piece with its job."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from arena.events.models import Phase
from arena.jobs.models import JobKind, JobStatus
from arena.judging.selectors import judge_assignment_get, leaderboard, results_published
from arena.training.selectors import team_model_list
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.events import EventFactory, TeamFactory, team_founder
from tests.factories.judging import JudgingSetupFactory, RatingFactory
from tests.factories.judging import results_published as results_published_of
from tests.factories.submissions import CompositionFactory
from tests.factories.training import TrainingRunFactory


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
    assert piece.job.event == piece.team.event and piece.job.owner_key == f"team:{piece.team.pk}"
    assert piece.melody.title == "Ode to Joy"


def test_a_training_run_is_queued_by_its_teams_founder_and_finishes_with_weights():
    done = TrainingRunFactory(finished=True)
    assert done.status == JobStatus.DONE and done.weights
    queued = TrainingRunFactory(team=done.team, steps=300)
    assert queued.created_by == team_founder(queued.team) and queued.config["steps"] == 300
    assert queued.job.kind == JobKind.TRAIN_GAN and queued.status == JobStatus.QUEUED
    assert list(team_model_list(team=queued.team)) == [done]


def test_an_events_judging_setup_publishes_its_results_on_its_results_date():
    setup = JudgingSetupFactory(published=True)
    assert setup.event.phase == Phase.RESULTS and results_published(event=setup.event)
    assert setup.results_published_at == setup.event.results_at
    assert not results_published(event=JudgingSetupFactory().event)


def test_published_results_rank_the_teams_in_the_order_given():
    event = EventFactory(finished=True)
    first, second = TeamFactory(event=event), TeamFactory(event=event)
    entries = results_published_of(event=event, teams=[first, second], judges=2)
    rows = leaderboard(event=event)
    assert [row.composition for row in rows] == entries and [r.rank for r in rows] == [1, 2]
    assert all(row.result.judges == 2 for row in rows)
    assert rows[0].result.total > 0 > rows[1].result.total and results_published(event=event)
