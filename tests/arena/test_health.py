"""/healthz answers from the real database and broker: 200 when both answer, 503 naming the one
that does not, with nothing else in the answer. (A PostgreSQL stopped and started again under a
running web server: tests/integration/test_database_restart.py.)"""

from __future__ import annotations

import socket

import pytest

EXPECTED_KEYS = {"database", "broker", "status"}


def _closed_port() -> int:
    """A loopback port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_healthy_with_the_filesystem_broker(client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_DIR = tmp_path
    (tmp_path / "queue").mkdir()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_missing_broker_folder_is_degraded(client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_DIR = tmp_path / "never-created"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error", "status": "degraded"}


@pytest.mark.django_db
def test_an_unreachable_redis_is_degraded_without_its_address(client, settings) -> None:  # type: ignore[no-untyped-def]
    port = _closed_port()
    settings.CELERY_BROKER_URL = f"redis://:s3cret@127.0.0.1:{port}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.content.decode()
    assert response.json() == {"database": "ok", "broker": "error", "status": "degraded"}
    assert str(port) not in body and "s3cret" not in body


@pytest.mark.django_db
def test_only_reads(client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_DIR = tmp_path
    (tmp_path / "queue").mkdir()
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
