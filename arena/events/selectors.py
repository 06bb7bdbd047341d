"""Reads on events and teams."""

from django.db.models import Count, QuerySet

from arena.events.models import Event, Team


def event_list() -> QuerySet[Event]:
    return Event.objects.select_related("organiser").annotate(team_count=Count("teams"))


def event_get(*, slug: str) -> Event:
    return event_list().get(slug=slug)


def team_list(*, event: Event) -> QuerySet[Team]:
    return event.teams.annotate(member_count=Count("memberships")).order_by("name")
