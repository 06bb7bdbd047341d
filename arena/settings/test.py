"""The test suite: the local settings with fast password hashing and in-memory mail."""

import tempfile

from arena.settings.local import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {  # no manifest needed: tests never run collectstatic
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = VAR_DIR / "static-test"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded and rendered files of a test run go to a folder of their own, not the demo's.
if "DJANGO_MEDIA_ROOT" not in os.environ:  # noqa: F405
    MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="arena-test-media-"))  # noqa: F405
# So do the messages its jobs send: a demo's worker must never receive a test's job.
if "CELERY_BROKER_DIR" not in os.environ:  # noqa: F405
    CELERY_BROKER_DIR = Path(tempfile.mkdtemp(prefix="arena-test-broker-"))  # noqa: F405
# Jobs whose message was lost are sent again within seconds, not a minute.
ARENA_JOB_RESEND_AFTER_S = float(os.environ.get("ARENA_JOB_RESEND_AFTER_S", "5"))  # noqa: F405
