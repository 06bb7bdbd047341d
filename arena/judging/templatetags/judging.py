from typing import Any

from django import template

from arena.events.models import Event
from arena.events.selectors import user_runs_event
from arena.judging.selectors import judge_assignment_get, leaderboard_visible

register = template.Library()


@register.inclusion_tag("judging/_links.html", takes_context=True)
def judging_links(context: dict[str, Any], event: Event) -> dict[str, Any]:
    """The judging links a visitor of the event page may follow."""
    user = context["request"].user
    return {
        "event": event,
        "judges": judge_assignment_get(event=event, user=user) is not None,
        "runs": user_runs_event(user=user, event=event),
        "leaderboard": leaderboard_visible(event=event, user=user),
    }


@register.filter
def signed(value: float) -> str:
    return f"{value:+.2f}"
