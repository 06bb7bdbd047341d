"""Public pages served to visitors from the cache for a few seconds.

Most requests to a busy event are visitors reading the same few public pages: the home page, an
event, its leaderboard and their API. Each web process renders such a page once every
ARENA_VISITOR_CACHE_SECONDS (Django's per-view cache, which keys on the URL and the response's
Vary headers) instead of once per visitor, which leaves the cores to the teams' uploads and the
worker. A request that carries a session cookie or an API token is a member's and always gets a
fresh page, so what a member has just done shows at once; visitors see a page at most that many
seconds old. Browsers are told to ask again each time (`no-cache`), so a visitor who then signs
in never sees the signed-out page from the browser's own cache.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import SimpleTemplateResponse
from django.views.decorators.cache import cache_page

View = Callable[..., HttpResponse]


def _ask_again(response: HttpResponse) -> None:
    """Only the site keeps the page: browsers ask again each time."""
    response["Cache-Control"] = "no-cache"
    response.headers.pop("Expires", None)


def is_visitor(request: HttpRequest) -> bool:
    """No session cookie and no Authorization header: nobody signed in, nothing personal."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def cached_for_visitors(view: View) -> View:
    """`view`, its GET and HEAD answers to visitors kept for ARENA_VISITOR_CACHE_SECONDS (0: off).

    Works on a function view and, through `method_decorator`, on a class-based view's method."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.ARENA_VISITOR_CACHE_SECONDS
        if seconds <= 0 or request.method not in ("GET", "HEAD") or not is_visitor(request):
            return view(request, *args, **kwargs)
        response = cache_page(seconds, key_prefix="visitor")(view)(request, *args, **kwargs)
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            # The cache keeps such a response (the API's) once it is rendered: after that.
            response.add_post_render_callback(_ask_again)
        else:
            _ask_again(response)
        return response

    return wrapper
