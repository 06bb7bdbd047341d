"""Every response says how long the site worked on it (Server-Timing: app and cpu, in ms)."""

from __future__ import annotations

import re

import pytest

from arena.server_timing import server_timing_of

TIMING = re.compile(r"^app;dur=(\d+\.\d), cpu;dur=(\d+\.\d)$")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/api/events/", "/no-such-page/"])
def test_every_response_carries_its_server_timing(client, url) -> None:
    response = client.get(url)
    found = TIMING.match(response["Server-Timing"])
    assert found, response["Server-Timing"]
    app, cpu = (float(v) for v in found.groups())
    assert app > 0 and 0 <= cpu <= app + 1.0  # CPU time within the wall time (1 ms of rounding)
    assert server_timing_of(response["Server-Timing"]) == (app, cpu)  # as `make load` reads it


def test_a_header_of_another_kind_reads_as_none() -> None:
    assert server_timing_of("") is None
    assert server_timing_of("db;dur=3.0") is None


@pytest.mark.django_db
def test_a_refused_upload_is_timed_too(client) -> None:
    response = client.post("/api/events/x/melodies/", CONTENT_LENGTH=str(50 * 2**20))
    assert response.status_code == 413 and TIMING.match(response["Server-Timing"])
