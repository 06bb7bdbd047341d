"""A small event in its composing phase with one team, for tests that need no demo data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from arena.accounts.models import Role, User
from arena.events.models import Event, Phase, Team
from arena.events.services import event_create, team_create


def composing_team(make_user: Callable[..., User]) -> Team:
    """The team "Night Owls" (founded by nina) of "Moon Workshop" (organised by olga)."""
    now = timezone.now()
    event: Event = event_create(
        name="Moon Workshop",
        slug="moon",
        organiser=make_user("olga", role=Role.ORGANISER),
        registration_opens=now - timedelta(days=2),
        composing_opens=now - timedelta(days=1),
        judging_opens=now + timedelta(days=1),
        results_at=now + timedelta(days=2),
        phase=Phase.COMPOSING,
    )
    return team_create(event=event, name="Night Owls", founder=make_user("nina"))
