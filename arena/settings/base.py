"""Settings shared by every environment; what differs comes from environment variables."""

from __future__ import annotations

from pathlib import Path

import environ

# Every setting that differs between machines is read here, once, from the environment
# (django-environ); the environment modules (local, test, production) only change defaults.
env = environ.Env()

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env.str("ARENA_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", cast=str.strip, default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", cast=str.strip, default=[])

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
    "arena.server_timing.ServerTimingMiddleware",  # first: it times everything below it
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
    "arena.byte_ranges.ByteRangeMiddleware",  # last: the others' headers reach a 206 too
]

# Upload limits: a melody file is a few kilobytes and composer takes at most 2 MB
# (composer.midi.melody.MAX_FILE_BYTES); bigger bodies are refused before they are read.
ARENA_MAX_REQUEST_BYTES = env.int("ARENA_MAX_REQUEST_BYTES", default=3 * 2**20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2**20  # form fields other than files
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 2**20  # an accepted upload stays in memory, never on disk
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# Public pages (home, event, leaderboard and their API) that visitors, signed out, are served from
# each process's cache for this many seconds (arena.visitor_cache); 0 renders every one.
ARENA_VISITOR_CACHE_SECONDS = env.int("ARENA_VISITOR_CACHE_SECONDS", default=5)

ROOT_URLCONF = "arena.urls"
WSGI_APPLICATION = "arena.wsgi.application"
SITE_ID = 1
# What mail and account pages call the site (the Sites framework's record, kept in step by migrate).
ARENA_SITE_NAME = env.str("ARENA_SITE_NAME", default="Arena")
ARENA_SITE_DOMAIN = env.str("ARENA_SITE_DOMAIN", default="127.0.0.1:8000")

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
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'arena.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # a connection is checked before it is reused
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # An unreachable database server is an error within seconds, not a request that hangs.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
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
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGOUT_ON_GET = False
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="arena@localhost")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Media (melodies, pieces, training runs) go through Django's storage API only, so the site and
# workers on other machines share them: `local` keeps them in MEDIA_ROOT (one machine), `s3` in
# a bucket of any S3-compatible store (AWS, MinIO, moto), through django-storages and boto3.
ARENA_STORAGE = env.str("ARENA_STORAGE", default="local")
if ARENA_STORAGE == "s3":
    MEDIA_STORAGE: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "default_acl": None,  # the bucket stays private: the site streams every file
            "file_overwrite": False,  # same as the local folders: a new name, never a clobber
        },
    }
elif ARENA_STORAGE == "local":
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ValueError(f"ARENA_STORAGE is 'local' or 's3', not {ARENA_STORAGE!r}")
STORAGES = {
    "default": MEDIA_STORAGE,
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
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Generation runs on the `gpu` queue (GPU workers when there are any, the CPU worker otherwise).
CELERY_GPU_QUEUE = "gpu"
CELERY_DEFAULT_QUEUE = "default"
CELERY_JOB_TIME_LIMIT = env.int("CELERY_JOB_TIME_LIMIT", default=600)
# A running job whose worker was killed is marked failed once it is this old (0: the time limit
# plus a minute); every worker checks every ARENA_JOB_REAP_EVERY_S (arena.jobs.services).
ARENA_JOB_STALE_AFTER_S = env.int("ARENA_JOB_STALE_AFTER_S", default=0)
ARENA_JOB_REAP_EVERY_S = env.float("ARENA_JOB_REAP_EVERY_S", default=30.0)
# Fair order (arena.jobs.dispatching): at most this many jobs of each Celery queue are sent to
# workers and not finished (at least the queue's worker processes); the next goes round-robin
# over teams. A job sent but not started after ARENA_JOB_RESEND_AFTER_S lost its message (a
# broker restarted without persistence) and is sent again; workers drop the stale copy.
ARENA_JOBS_IN_FLIGHT = env.int("ARENA_JOBS_IN_FLIGHT", default=2)
ARENA_JOB_RESEND_AFTER_S = env.float("ARENA_JOB_RESEND_AFTER_S", default=60.0)
# The function that hands a job's message to its Celery queue, looked up when a job is sent, so
# the site never imports the worker's package.
ARENA_JOB_SENDER = "tasks.dispatch.send"
# What a web process calls as it starts to connect that sender to the broker (arena.wsgi).
ARENA_JOB_SENDER_WARM_UP = "tasks.dispatch.warm_up"
# Extra modules a worker imports before composing: each registers harmonizers with
# composer.models.registry (a deployment's own models, or the tests' stand-ins).
ARENA_HARMONIZER_MODULES = env.list("ARENA_HARMONIZER_MODULES", cast=str.strip, default=[])
# Each worker process loads its models and composes a short piece as it starts (tasks.warm_up),
# so that the first team's piece is as quick as the next.
ARENA_WORKER_WARM_UP = env.bool("ARENA_WORKER_WARM_UP", default=True)
# Each worker process lowers its CPU priority by this much (tasks.priority), so the site's
# requests on the same machine are served first; 0 leaves it.
ARENA_WORKER_NICE = env.int("ARENA_WORKER_NICE", default=10)

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="bach-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Pieces a team may have queued or running at once, so that no team floods the generation queue.
ARENA_TEAM_ACTIVE_JOBS = env.int("ARENA_TEAM_ACTIVE_JOBS", default=2)

# SoundCloud (DESIGN §6): an organiser connects an account with OAuth 2.1 + PKCE, then the winners
# are posted by a job. Tokens are encrypted at rest with SOUNDCLOUD_TOKEN_KEY (else SECRET_KEY).
SOUNDCLOUD_CLIENT_ID = env.str("SOUNDCLOUD_CLIENT_ID", default="")
SOUNDCLOUD_CLIENT_SECRET = env.str("SOUNDCLOUD_CLIENT_SECRET", default="")
SOUNDCLOUD_AUTHORIZE_URL = env.str(
    "SOUNDCLOUD_AUTHORIZE_URL", default="https://secure.soundcloud.com/authorize"
)
SOUNDCLOUD_TOKEN_URL = env.str(
    "SOUNDCLOUD_TOKEN_URL", default="https://secure.soundcloud.com/oauth/token"
)
SOUNDCLOUD_API_URL = env.str("SOUNDCLOUD_API_URL", default="https://api.soundcloud.com")
SOUNDCLOUD_REDIRECT_URI = env.str("SOUNDCLOUD_REDIRECT_URI", default="")  # else built per request
SOUNDCLOUD_TOKEN_KEY = env.str("SOUNDCLOUD_TOKEN_KEY", default="")
# Set by `make demo` when it points the SOUNDCLOUD_* URLs at its local stand-in server.
SOUNDCLOUD_STAND_IN = env.bool("SOUNDCLOUD_STAND_IN", default=False)
# Server errors are retried with exponential back-off; a rate limit is waited out when it ends
# within SOUNDCLOUD_MAX_WAIT_S, otherwise the entry shows when to try again.
SOUNDCLOUD_MAX_RETRIES = env.int("SOUNDCLOUD_MAX_RETRIES", default=4)
SOUNDCLOUD_BACKOFF_S = env.float("SOUNDCLOUD_BACKOFF_S", default=2.0)
SOUNDCLOUD_MAX_WAIT_S = env.float("SOUNDCLOUD_MAX_WAIT_S", default=300.0)
