"""Writes on events and teams."""

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from arena.accounts.models import User
from arena.events.models import Event, Phase, Team, TeamMembership


def event_create(
    *,
    name: str,
    slug: str,
    organiser: User,
    registration_opens: datetime,
    composing_opens: datetime,
    judging_opens: datetime,
    results_at: datetime,
    brief: str = "",
    phase: str = Phase.REGISTRATION,
    max_team_size: int = 4,
) -> Event:
    event = Event(
        name=name,
        slug=slug,
        organiser=organiser,
        brief=brief,
        phase=phase,
        registration_opens=registration_opens,
        composing_opens=composing_opens,
        judging_opens=judging_opens,
        results_at=results_at,
        max_team_size=max_team_size,
    )
    event.full_clean()
    event.save()
    return event


def _invite_code() -> str:
    return secrets.token_urlsafe(6)[:8]


@transaction.atomic
def team_create(*, event: Event, name: str, founder: User) -> Team:
    """A new team with its founder as first member."""
    team = Team(event=event, name=name, invite_code=_invite_code())
    team.full_clean()
    team.save()
    team_join(team=team, user=founder)
    return team


@transaction.atomic
def team_join(*, team: Team, user: User) -> TeamMembership:
    """Add a participant; one team per event, and never beyond the event's team size."""
    event = Event.objects.select_for_update().get(pk=team.event_id)
    if TeamMembership.objects.filter(event=event, user=user).exists():
        raise ValidationError("You are already in a team for this event.")
    if team.memberships.count() >= event.max_team_size:
        raise ValidationError(f"This team is full ({event.max_team_size} members).")
    return TeamMembership.objects.create(team=team, event=event, user=user)
