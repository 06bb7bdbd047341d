"""/healthz for load balancers and `docker compose`, and the page shown while the database is
away."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

from arena.health.selectors import health_get

RETRY_AFTER_S = "30"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, 503 otherwise; open to anyone."""
    health = health_get()
    return JsonResponse(health.as_dict(), status=200 if health.ok else 503)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500, except when the database cannot be reached: then a 503 that says the site is
    back shortly (the connection is retried on the next request), rendered without touching the
    database (no user, no session)."""
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return django_server_error(request)
    message = "The site cannot reach its database just now; try again in a minute."
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = RETRY_AFTER_S
    return response
