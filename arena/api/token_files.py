"""File downloads that API clients reach with their token, as the site's pages do with a session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def accepts_api_token(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let `Authorization: Token …` log the request in for this one view (no session made), so
    the file URLs the API hands out work for the client that got them."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            try:
                found = TokenAuthentication().authenticate(request)  # type: ignore[arg-type]
            except AuthenticationFailed:
                found = None
            if found is not None:
                request.user = found[0]
        return view(request, *args, **kwargs)

    return wrapped
