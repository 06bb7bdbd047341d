"""Whether the site's servers answer: the database and the Celery broker, each checked cheaply
and with a short timeout, so that a load balancer or `docker compose` can ask every few seconds."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from kombu import Connection

OK, ERROR = "ok", "error"
BROKER_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Health:
    database: str
    broker: str

    @property
    def ok(self) -> bool:
        return self.database == OK and self.broker == OK

    def as_dict(self) -> dict[str, str]:
        """What /healthz answers: states only, never an address or an error text."""
        status = "ok" if self.ok else "degraded"
        return {"database": self.database, "broker": self.broker, "status": status}


def health_get() -> Health:
    return Health(database=database_state(), broker=broker_state())


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return ERROR
    return OK


def broker_state() -> str:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):  # no server: the web process must be able to write jobs
        folder = settings.CELERY_BROKER_DIR / "queue"
        return OK if folder.is_dir() and os.access(folder, os.W_OK | os.X_OK) else ERROR
    options = {"socket_timeout": BROKER_TIMEOUT_S, "socket_connect_timeout": BROKER_TIMEOUT_S}
    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT_S, transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_S)
    except Exception:  # kombu raises its own and each transport's errors: any means no broker
        return ERROR
    return OK
