"""The test suite: the base settings as the demo has them, with fast password hashing and
in-memory mail. The run's own media and broker folders are made by a fixture (tests/conftest.py),
so that importing these settings creates nothing."""

from arena.settings.base import *  # noqa: F403
from arena.settings.base import MEDIA_STORAGE, VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "insecure-local-only-key-change-me-in-production"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {  # no manifest needed: tests never run collectstatic
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = VAR_DIR / "static-test"
# A test sees the page as it is now (tests/arena/test_visitor_cache.py turns the cache on).
ARENA_VISITOR_CACHE_SECONDS = env.int("ARENA_VISITOR_CACHE_SECONDS", default=0)
# Jobs whose message was lost are sent again within seconds, not a minute.
ARENA_JOB_RESEND_AFTER_S = env.float("ARENA_JOB_RESEND_AFTER_S", default=5.0)
# The suite's workers start many times and compose a few short pieces: no warm-up piece each time
# (tests/integration/test_shared_storage.py turns it on for its worker).
ARENA_WORKER_WARM_UP = env.bool("ARENA_WORKER_WARM_UP", default=False)
