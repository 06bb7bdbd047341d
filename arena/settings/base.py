"""Settings shared by every environment; what differs comes from environment variables."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("ARENA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served by the site itself, no CDN
    "arena.accounts",
    "arena.events",
    "arena.jobs",
    "arena.submissions",
    "arena.training",
    "arena.judging",
    "arena.publishing",
    "arena.pages",
    "arena.api",
    "arena.demo",
    "arena.health",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "arena.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

# Upload limits: a melody file is a few kilobytes and composer takes at most 2 MB
# (composer.midi.melody.MAX_FILE_BYTES); bigger bodies are refused before they are read.
ARENA_MAX_REQUEST_BYTES = int(os.environ.get("ARENA_MAX_REQUEST_BYTES", str(3 * 2**20)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2**20  # form fields other than files
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 2**20  # an accepted upload stays in memory, never on disk
DATA_UPLOAD_MAX_NUMBER_FILES = 5

ROOT_URLCONF = "arena.urls"
WSGI_APPLICATION = "arena.wsgi.application"
SITE_ID = 1
# What mail and account pages call the site (the Sites framework's record, kept in step by migrate).
ARENA_SITE_NAME = os.environ.get("ARENA_SITE_NAME", "Arena")
ARENA_SITE_DOMAIN = os.environ.get("ARENA_SITE_DOMAIN", "127.0.0.1:8000")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite needs no server; DATABASE_URL switches to PostgreSQL (postgres://user:pass@host:port/db).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'arena.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # An unreachable database server is an error within seconds, not a request that hangs.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# django-allauth: sign up with e-mail and username, confirm the e-mail before the first login.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGOUT_ON_GET = False
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "arena@localhost")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "arena.api.pagination.StrictLimitOffsetPagination",
    "EXCEPTION_HANDLER": "arena.api.errors.api_exception_handler",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Arena API",
    "DESCRIPTION": "Events, teams, melodies, compositions, judging and publishing.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "arena.api.schema_errors.document_errors",
    ],
}

# Celery. The default broker is kombu's filesystem transport: a real broker that needs no server,
# so the demo runs with nothing else started. CELERY_BROKER_URL=redis://... switches to Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_DIR = Path(os.environ.get("CELERY_BROKER_DIR", VAR_DIR / "broker"))
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Generation runs on the `gpu` queue (GPU workers when there are any, the CPU worker otherwise).
CELERY_GPU_QUEUE = "gpu"
CELERY_DEFAULT_QUEUE = "default"
CELERY_JOB_TIME_LIMIT = int(os.environ.get("CELERY_JOB_TIME_LIMIT", "600"))
# A running job whose worker was killed is marked failed once it is this old (0: the time limit
# plus a minute); every worker checks every ARENA_JOB_REAP_EVERY_S (arena.jobs.services).
ARENA_JOB_STALE_AFTER_S = int(os.environ.get("ARENA_JOB_STALE_AFTER_S", "0"))
ARENA_JOB_REAP_EVERY_S = float(os.environ.get("ARENA_JOB_REAP_EVERY_S", "30"))
# Fair order (arena.jobs.dispatching): at most this many jobs of each Celery queue are sent to
# workers and not finished (at least the queue's worker processes); the next goes round-robin
# over teams. A job sent but not started after ARENA_JOB_RESEND_AFTER_S lost its message (a
# broker restarted without persistence) and is sent again; workers drop the stale copy.
ARENA_JOBS_IN_FLIGHT = int(os.environ.get("ARENA_JOBS_IN_FLIGHT", "2"))
ARENA_JOB_RESEND_AFTER_S = float(os.environ.get("ARENA_JOB_RESEND_AFTER_S", "60"))
# The function that hands a job's message to its Celery queue, looked up when a job is sent, so
# the site never imports the worker's package.
ARENA_JOB_SENDER = "tasks.dispatch.send"
# Extra modules a worker imports before composing: each registers harmonizers with
# composer.models.registry (a deployment's own models, or the tests' stand-ins).
ARENA_HARMONIZER_MODULES = env_list("ARENA_HARMONIZER_MODULES", "")

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "bach-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Pieces a team may have queued or running at once, so that no team floods the generation queue.
ARENA_TEAM_ACTIVE_JOBS = int(os.environ.get("ARENA_TEAM_ACTIVE_JOBS", "2"))

# SoundCloud (DESIGN §6): an organiser connects an account with OAuth 2.1 + PKCE, then the winners
# are posted by a job. Tokens are encrypted at rest with SOUNDCLOUD_TOKEN_KEY (else SECRET_KEY).
SOUNDCLOUD_CLIENT_ID = os.environ.get("SOUNDCLOUD_CLIENT_ID", "")
SOUNDCLOUD_CLIENT_SECRET = os.environ.get("SOUNDCLOUD_CLIENT_SECRET", "")
SOUNDCLOUD_AUTHORIZE_URL = os.environ.get(
    "SOUNDCLOUD_AUTHORIZE_URL", "https://secure.soundcloud.com/authorize"
)
SOUNDCLOUD_TOKEN_URL = os.environ.get(
    "SOUNDCLOUD_TOKEN_URL", "https://secure.soundcloud.com/oauth/token"
)
SOUNDCLOUD_API_URL = os.environ.get("SOUNDCLOUD_API_URL", "https://api.soundcloud.com")
SOUNDCLOUD_REDIRECT_URI = os.environ.get("SOUNDCLOUD_REDIRECT_URI", "")  # else built per request
SOUNDCLOUD_TOKEN_KEY = os.environ.get("SOUNDCLOUD_TOKEN_KEY", "")
# Set by `make demo` when it points the SOUNDCLOUD_* URLs at its local stand-in server.
SOUNDCLOUD_STAND_IN = env_bool("SOUNDCLOUD_STAND_IN", False)
# Server errors are retried with exponential back-off; a rate limit is waited out when it ends
# within SOUNDCLOUD_MAX_WAIT_S, otherwise the entry shows when to try again.
SOUNDCLOUD_MAX_RETRIES = int(os.environ.get("SOUNDCLOUD_MAX_RETRIES", "4"))
SOUNDCLOUD_BACKOFF_S = float(os.environ.get("SOUNDCLOUD_BACKOFF_S", "2"))
SOUNDCLOUD_MAX_WAIT_S = float(os.environ.get("SOUNDCLOUD_MAX_WAIT_S", "300"))
