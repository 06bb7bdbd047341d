"""`{% team_panel event %}`: the "Your team" panel of the event page."""

from __future__ import annotations

from typing import Any

from django import template

from arena.events.models import Event, Phase
from arena.submissions.forms import TeamCreateForm, TeamJoinForm
from arena.submissions.selectors import team_of_user

register = template.Library()


@register.inclusion_tag("submissions/_team_panel.html", takes_context=True)
def team_panel(context: dict[str, Any], event: Event) -> dict[str, Any]:
    request = context["request"]
    team = team_of_user(event=event, user=request.user)
    return {
        "request": request,
        "user": request.user,
        "event": event,
        "team": team,
        "members": [m.user for m in team.memberships.all()] if team else [],
        "can_form": event.phase in (Phase.REGISTRATION, Phase.COMPOSING),
        "create_form": TeamCreateForm(),
        "join_form": TeamJoinForm(),
        "csrf_token": context.get("csrf_token"),
    }
