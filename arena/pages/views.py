"""Server-rendered pages: thin, reading through selectors."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from arena.events.models import Phase
from arena.events.selectors import event_list, event_or_404, phase_timeline, team_list
from arena.judging.selectors import leaderboard, results_published
from arena.visitor_cache import cached_for_visitors


@cached_for_visitors
def home(request: HttpRequest) -> HttpResponse:
    events = list(event_list())
    featured = next(
        (e for e in events if e.phase == Phase.COMPOSING), events[0] if events else None
    )
    return render(request, "pages/home.html", {"events": events, "featured": featured})


WINNERS_SHOWN = 3


@cached_for_visitors
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_or_404(slug=slug)
    published = results_published(event=event)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "phases": phase_timeline(event=event),
            "teams": team_list(event=event),
            "published": published,
            "winners": leaderboard(event=event)[:WINNERS_SHOWN] if published else [],
        },
    )
