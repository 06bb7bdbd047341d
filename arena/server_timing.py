"""How long the site worked on each request, in the response's Server-Timing header (W3C).

`app` is the wall time inside Django (the views, the database, waiting for the interpreter lock
among a process's threads), `cpu` the thread's own CPU time within it. A browser's developer
tools show both; `make load` sets them beside the time its users waited, so a slow endpoint
tells whether it works too much or waits in line.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wall, cpu = time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        app_ms = 1000 * (time.perf_counter() - wall)
        cpu_ms = 1000 * (time.thread_time() - cpu)
        response["Server-Timing"] = f"app;dur={app_ms:.1f}, cpu;dur={cpu_ms:.1f}"
        return response


def server_timing_of(header: str) -> tuple[float, float] | None:
    """(app ms, cpu ms) from a Server-Timing header this middleware wrote; None for any other."""
    found = dict(re.findall(r"(\w+);dur=([0-9.]+)", header))
    if "app" not in found or "cpu" not in found:
        return None
    return float(found["app"]), float(found["cpu"])
