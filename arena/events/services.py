"""Writes on events and teams."""

import secrets
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from arena.accounts.models import User
from arena.events.models import PHASES, Event, Phase, Team, TeamMembership
from arena.events.selectors import user_runs_event


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
    if Team.objects.filter(event=event, name__iexact=name.strip()).exists():
        # Said in words, not as Django's "Team with this Event and Name already exists."
        raise ValidationError(
            {
                "name": f"There is already a team called “{name.strip()}” in {event.name}: "
                "choose another name."
            }
        )
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


def phase_moves(*, event: Event) -> list[str]:
    """The phases an organiser may move the event to from here: the next one and back to the
    previous one. Results open only by publishing them on the judging desk, and stay."""
    at = PHASES.index(Phase(event.phase))
    if event.phase == Phase.RESULTS:
        return []
    return [p for p in (PHASES[at - 1] if at else None, PHASES[at + 1]) if p and p != Phase.RESULTS]


@transaction.atomic
def event_phase_move(*, event: Event, user: User, phase: str) -> Event:
    """Move the event to `phase` (one of `phase_moves`), as its organiser."""
    if not user_runs_event(user=user, event=event):
        raise PermissionDenied("Only the event's organisers change its phase.")
    event = Event.objects.select_for_update().get(pk=event.pk)
    if phase not in phase_moves(event=event):
        allowed = ", ".join(Phase(p).label.lower() for p in phase_moves(event=event)) or "none"
        raise ValidationError(
            f"{event.name} is in its {event.get_phase_display().lower()} phase; it can move to: "
            f"{allowed}. Results open when they are published on the judging desk."
        )
    event.phase = phase
    event.save(update_fields=["phase"])
    return event
