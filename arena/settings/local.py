"""The demo and development: DEBUG, SQLite, the filesystem broker and mail on the console."""

import os

os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from arena.settings.base import *  # noqa: F403
from arena.settings.base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "insecure-local-only-key-change-me-in-production"  # noqa: F405

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405  the SQLite file and media live here
