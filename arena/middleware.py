"""Request-level limits that protect every view, before any of them reads the body."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class RequestSizeLimitMiddleware:
    """413 for a body larger than ARENA_MAX_REQUEST_BYTES, judged by its Content-Length.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams any size of file upload to
    disk; a melody is a few kilobytes, so a huge body is refused before it is read at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
        limit = settings.ARENA_MAX_REQUEST_BYTES
        if length > limit:
            return HttpResponse(
                f"The request is {length / 2**20:.1f} MB; the site takes at most "
                f"{limit / 2**20:g} MB (a melody file may be at most 2 MB).",
                status=413,
                content_type="text/plain",
            )
        return self.get_response(request)
