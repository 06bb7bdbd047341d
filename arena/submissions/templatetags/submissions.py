"""`{% team_panel event %}`: the "Your team" panel of the event page."""

from __future__ import annotations

from typing import Any

from django import template

from arena.events.models import Event, Phase
from arena.events.selectors import user_runs_event
from arena.judging.selectors import judge_assignment_get
from arena.submissions.forms import TeamCreateForm, TeamJoinForm
from arena.submissions.selectors import team_of_user

register = template.Library()


@register.inclusion_tag("submissions/_team_panel.html", takes_context=True)
def team_panel(context: dict[str, Any], event: Event) -> dict[str, Any]:
    request = context["request"]
    team = team_of_user(event=event, user=request.user)
    open_phase = event.phase in (Phase.REGISTRATION, Phase.COMPOSING)
    user = request.user
    runs_event = user_runs_event(user=user, event=event)
    judges = judge_assignment_get(event=event, user=user) is not None or getattr(
        user, "is_judge", False
    )
    return {
        "request": request,
        "user": request.user,
        "event": event,
        "team": team,
        "members": [m.user for m in team.memberships.all()] if team else [],
        "open": open_phase,
        # Judges and the people running the event score and run it; they do not compete.
        "competes": not (runs_event or judges),
        "judges": judges,
        "can_form": open_phase and not (runs_event or judges),
        "create_form": TeamCreateForm(),
        "join_form": TeamJoinForm(),
        "csrf_token": context.get("csrf_token"),
    }
