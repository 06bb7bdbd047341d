"""Byte ranges (RFC 9110 §14) for the site's audio, so players can seek and phones can play.

Safari on iPhones and iPads plays audio only from a server that answers `Range` requests, and
Chromium and Firefox seek within a piece, or read just its length for the player, only when the
answer says `Accept-Ranges: bytes`. Django serves files whole, so this middleware answers a
single range of any audio response itself: 206 with the bytes asked for, or 416 for a range past
the end. Several ranges in one request, an `If-Range`, or any other response are left whole (a
200 is always a valid answer to a range request). It sits last among the middleware, so the
others add their headers to a 206 as to any answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import FileResponse, HttpRequest, HttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _is_audio(response: HttpResponse) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("audio/")


def _size(response: HttpResponse) -> int | None:
    if isinstance(response, FileResponse):
        length = response.get("Content-Length")
        return int(length) if length and length.isdigit() else None
    return None if response.streaming else len(response.content)


class Unsatisfiable(ValueError):
    """The range starts past the body's end: a 416."""


def byte_span(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a one-range `Range` header for a body of `size` bytes, or None when
    it is not one range of bytes (the whole body is sent); Unsatisfiable when no byte of it
    exists."""
    match = RANGE.match(header.replace(" ", ""))
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        start = int(first)
        if last and int(last) < start:
            return None  # not a valid range: ignored (RFC 9110 §14.1.1)
        end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        raise Unsatisfiable(f"bytes */{size}")
    return start, end


def _part(response: HttpResponse, start: int, end: int) -> bytes:
    if isinstance(response, FileResponse):
        handle = response.file_to_stream
        handle.seek(start)
        data = handle.read(end - start + 1)
        response.close()
        return data
    return response.content[start : end + 1]


class ByteRangeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or not _is_audio(response):
            return response
        size = _size(response)
        if size is None:
            return response
        response["Accept-Ranges"] = "bytes"
        header = request.META.get("HTTP_RANGE", "")
        if not header or "HTTP_IF_RANGE" in request.META:
            return response
        try:
            span = byte_span(header, size)
        except Unsatisfiable as exc:
            response.close()
            refused = HttpResponse(status=416)
            refused["Content-Range"] = str(exc)
            return refused
        if span is None:
            return response
        start, end = span
        partial = HttpResponse(_part(response, start, end), status=206)
        for name, value in response.items():
            if name.lower() != "content-length":
                partial[name] = value
        partial["Content-Range"] = f"bytes {start}-{end}/{size}"
        return partial
