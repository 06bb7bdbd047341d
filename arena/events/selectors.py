"""Reads on events and teams."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from arena.accounts.models import User
from arena.events.models import PHASES, Event, Phase, Team, TeamMembership


def event_list() -> QuerySet[Event]:
    return Event.objects.select_related("organiser").annotate(team_count=Count("teams"))


def event_or_404(*, slug: str) -> Event:
    """The event a URL names; a 404 (page or API) when there is none."""
    return get_object_or_404(event_list(), slug=slug)


def team_list(*, event: Event) -> QuerySet[Team]:
    return event.teams.annotate(member_count=Count("memberships")).order_by("name")


def team_by_invite_code(*, event: Event, code: str) -> Team | None:
    """The team of `event` that this invite code lets one join, or None."""
    return Team.objects.filter(event=event, invite_code=code).first() if code else None


def phase_timeline(*, event: Event) -> list[dict[str, str]]:
    """Each phase's label and state for the timeline people see: done, now or next."""
    at = PHASES.index(Phase(event.phase))
    return [
        {"label": phase.label, "state": "done" if i < at else "now" if i == at else "next"}
        for i, phase in enumerate(PHASES)
    ]


def user_runs_event(*, user: User, event: Event) -> bool:
    """Organisers run events (the demo organiser is also the admin)."""
    return bool(user.is_authenticated and (user.is_organiser or event.organiser_id == user.pk))


def team_member_require(*, team: Team, user: User) -> None:
    """PermissionDenied unless `user` is a member of `team`: what only a team may do to its work."""
    if not TeamMembership.objects.filter(team=team, user=user).exists():
        raise PermissionDenied("Only members of this team can do that.")
