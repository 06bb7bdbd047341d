"""The demo and development: DEBUG, SQLite, the filesystem broker and mail on the console."""

from arena.settings.base import *  # noqa: F403
from arena.settings.base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "insecure-local-only-key-change-me-in-production"  # noqa: F405
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")

VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file and media live here
