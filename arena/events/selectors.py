"""Reads on events and teams."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from arena.accounts.models import User
from arena.events.models import PHASES, Event, Phase, Team


def event_list() -> QuerySet[Event]:
    return Event.objects.select_related("organiser").annotate(team_count=Count("teams"))


def event_get(*, slug: str) -> Event:
    return event_list().get(slug=slug)


def event_or_404(*, slug: str) -> Event:
    """The event a URL names; a 404 (page or API) when there is none."""
    return get_object_or_404(event_list(), slug=slug)


def team_list(*, event: Event) -> QuerySet[Team]:
    return event.teams.annotate(member_count=Count("memberships")).order_by("name")


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
