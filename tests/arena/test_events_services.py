from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from arena.accounts.models import Role
from arena.events.services import event_create, team_create, team_join


@pytest.fixture
def event(make_user):  # type: ignore[no-untyped-def]
    now = timezone.now()
    return event_create(
        name="Test",
        slug="test",
        organiser=make_user("org", Role.ORGANISER),
        registration_opens=now,
        composing_opens=now + timedelta(days=1),
        judging_opens=now + timedelta(days=2),
        results_at=now + timedelta(days=3),
        max_team_size=2,
    )


def test_phases_must_be_in_order(make_user):
    now = timezone.now()
    with pytest.raises((ValidationError, IntegrityError)):
        event_create(
            name="Backwards",
            slug="backwards",
            organiser=make_user("org2", Role.ORGANISER),
            registration_opens=now,
            composing_opens=now + timedelta(days=3),
            judging_opens=now + timedelta(days=1),
            results_at=now + timedelta(days=4),
        )


def test_one_team_per_participant_per_event(event, make_user):
    alice = make_user("alice")
    team_create(event=event, name="A", founder=alice)
    other = team_create(event=event, name="B", founder=make_user("bob"))
    with pytest.raises(ValidationError, match="already in a team"):
        team_join(team=other, user=alice)


def test_team_size_limit(event, make_user):
    team = team_create(event=event, name="A", founder=make_user("a1"))
    team_join(team=team, user=make_user("a2"))
    with pytest.raises(ValidationError, match="full"):
        team_join(team=team, user=make_user("a3"))
    assert team.memberships.count() == 2
