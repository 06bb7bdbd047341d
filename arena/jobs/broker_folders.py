"""The folders of kombu's filesystem broker (the demo's broker, no server), made by whichever
process starts first, the site or a worker, so the site can send jobs and report itself healthy
before any worker has run."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

FOLDERS = ("queue", "processed", "control")


def broker_folders() -> dict[str, Path] | None:
    """The filesystem broker's folders by role, created if missing; None for a server broker."""
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return None
    folders = {name: Path(settings.CELERY_BROKER_DIR) / name for name in FOLDERS}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return folders
