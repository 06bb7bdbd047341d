"""Server-rendered pages: thin, reading through selectors."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from arena.events.models import Event, Phase
from arena.events.selectors import event_get, event_list, team_list

PHASE_ORDER = [Phase.REGISTRATION, Phase.COMPOSING, Phase.JUDGING, Phase.RESULTS]


def home(request: HttpRequest) -> HttpResponse:
    events = list(event_list())
    featured = next(
        (e for e in events if e.phase == Phase.COMPOSING), events[0] if events else None
    )
    return render(request, "pages/home.html", {"events": events, "featured": featured})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        event = event_get(slug=slug)
    except Event.DoesNotExist as exc:
        raise Http404("No such event.") from exc
    current = PHASE_ORDER.index(Phase(event.phase))
    phases = [
        {
            "label": phase.label,
            "state": "done" if i < current else "now" if i == current else "next",
        }
        for i, phase in enumerate(PHASE_ORDER)
    ]
    return render(
        request,
        "events/detail.html",
        {"event": event, "phases": phases, "teams": team_list(event=event)},
    )
