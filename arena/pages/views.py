"""Server-rendered pages: thin, reading through selectors."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from arena.events.models import PHASES, Phase
from arena.events.selectors import event_list, event_or_404, team_list


def home(request: HttpRequest) -> HttpResponse:
    events = list(event_list())
    featured = next(
        (e for e in events if e.phase == Phase.COMPOSING), events[0] if events else None
    )
    return render(request, "pages/home.html", {"events": events, "featured": featured})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug=slug)
    current = PHASES.index(Phase(event.phase))
    phases = [
        {
            "label": phase.label,
            "state": "done" if i < current else "now" if i == current else "next",
        }
        for i, phase in enumerate(PHASES)
    ]
    return render(
        request,
        "events/detail.html",
        {"event": event, "phases": phases, "teams": team_list(event=event)},
    )
