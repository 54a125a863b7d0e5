"""Settings for a local instance: SQLite and local files under ``MANYI_DATA_DIR``.

Every value that differs between deployments comes from the environment; see README.md
(配置) for the list.
"""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url

from manyi.web.paths import data_dir

PACKAGE_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def local_key(name: str) -> str:
    """A per-data-directory key, created once (readable by the owner only), kept across restarts."""
    key_file = DATA_DIR / name
    if not key_file.exists():
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = os.environ.get("MANYI_SECRET_KEY") or local_key("secret_key")
# Off unless asked for: a debug page shows settings and URL patterns to anyone.
DEBUG = env_bool("MANYI_DEBUG", False)
ALLOWED_HOSTS = env_list("MANYI_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MANYI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "manyi.web.security.admin.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "manyi.web.core",
    "manyi.web.accounts",
    "manyi.web.campaigns",
    "manyi.web.audit",
    "manyi.web.applications",
    "manyi.web.surveys",
    "manyi.web.review",
    "manyi.web.publicity",
    "axes",
]

MIDDLEWARE = [
    "manyi.web.security.middleware.TrustedProxyMiddleware",
    "manyi.web.security.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "manyi.web.security.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "manyi.web.security.middleware.RateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "manyi.web.urls"
WSGI_APPLICATION = "manyi.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "manyi.web.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("MANYI_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers and one writer work side by side; an immediate transaction takes the write
    # lock at BEGIN, so concurrent writers queue (up to the timeout) instead of failing midway.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("MANYI_SQLITE_TIMEOUT", "30")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if (CACHE_URL := os.environ.get("MANYI_CACHE_URL", ""))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# Chinese only: every page, message and document is in Chinese, whatever the browser asks for.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Stored files have no URL: they leave only through views that check who asks (and audit it).
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "MANYI_FILE_STORAGE", "manyi.web.security.storage.PrivateStorage"
        ),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

EMAIL_BACKEND = os.environ.get(
    "MANYI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("MANYI_DEFAULT_FROM_EMAIL", "manyi@localhost")

# How applicants reach the secretariat (telephone, e-mail), shown where they are sent to it.
MANYI_SECRETARIAT_CONTACT = os.environ.get("MANYI_SECRETARIAT_CONTACT", "")

# Absolute base of public links (certificate QR codes); the request's host when empty.
MANYI_PUBLIC_BASE_URL = os.environ.get("MANYI_PUBLIC_BASE_URL", "")

# The business-registry lookup behind the "自动抓取" fields; the offline derivation by default.
MANYI_REGISTRY_PROVIDER = os.environ.get(
    "MANYI_REGISTRY_PROVIDER", "manyi.orgs.provider.OfflineProvider"
)

# Background work: in-process by default; a Redis URL switches to Celery workers.
CELERY_BROKER_URL = os.environ.get("MANYI_BROKER_URL", "") or "memory://"
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("MANYI_BROKER_URL")
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Applications returned for revision lapse after their deadline (run by celery beat).
CELERY_BEAT_SCHEDULE = {
    "lapse-overdue": {"task": "manyi.review.lapse_overdue", "schedule": 24 * 60 * 60},
    "notifications-retry": {"task": "manyi.audit.deliver_due", "schedule": 10 * 60},
}
# Without a broker, long work runs in a thread pool of the server process ("thread"), or right
# away in the caller ("inline": tests, the demo loader).
MANYI_BACKGROUND = os.environ.get("MANYI_BACKGROUND", "thread")
# Bootstrap resamples for the recomputed satisfaction index.
MANYI_SURVEY_RESAMPLES = int(os.environ.get("MANYI_SURVEY_RESAMPLES", "2000"))

# Uploads above this size are streamed to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 50
# A request body larger than this is refused before it is read; 0 = the largest material limit
# of the packaged schemes plus a margin.
MANYI_MAX_REQUEST_BYTES = int(os.environ.get("MANYI_MAX_REQUEST_BYTES", "0"))

# Downloads: "" sends the bytes from Python; "x-accel-redirect" (nginx) or "x-sendfile" (Apache,
# lighttpd) hands the file to the web server after the permission check.
MANYI_SENDFILE = os.environ.get("MANYI_SENDFILE", "").strip().lower()
# nginx: the internal location that maps to MEDIA_ROOT (see README).
MANYI_SENDFILE_PREFIX = os.environ.get("MANYI_SENDFILE_PREFIX", "/protected-files/")

# Addresses of reverse proxies whose X-Forwarded-For/-Proto headers are believed.
MANYI_TRUSTED_PROXY = env_list("MANYI_TRUSTED_PROXY", [])

# The audit chain: entries are keyed (HMAC-SHA-256) with a key kept outside the database, and the
# chain's head is appended to an anchor file outside the database after every commit.
MANYI_AUDIT_KEY = os.environ.get("MANYI_AUDIT_KEY", "")
# Local runs without MANYI_AUDIT_KEY: a key generated once into this file (not in the database).
MANYI_AUDIT_KEY_FILE = str(DATA_DIR / "audit_key")
MANYI_AUDIT_ANCHOR = os.environ.get("MANYI_AUDIT_ANCHOR") or str(DATA_DIR / "audit-anchor.log")

# Outgoing notices: attempts per notice before it is left for a person to look at.
MANYI_MAIL_ATTEMPTS = int(os.environ.get("MANYI_MAIL_ATTEMPTS", "5"))

# Login throttling (django-axes): after this many failures for one account from one address the
# login is refused for the cool-off period.
AXES_FAILURE_LIMIT = int(os.environ.get("MANYI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("MANYI_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "manyi.web.security.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Lists: how long the per-option counts next to the filters may be reused (0 = never).
MANYI_LIST_COUNT_SECONDS = int(os.environ.get("MANYI_LIST_COUNT_SECONDS", "15"))

# Public forms: (method, requests, seconds) per client address and URL name.
MANYI_RATE_LIMITS = {
    "publicity:objection": ("POST", int(os.environ.get("MANYI_OBJECTION_RATE", "5")), 3600),
    "publicity:certificate_search": ("GET", int(os.environ.get("MANYI_LOOKUP_RATE", "30")), 60),
    "publicity:certificate_verify": ("GET", int(os.environ.get("MANYI_LOOKUP_RATE", "30")), 60),
    "accounts:creditcode": ("GET", 120, 60),
    "accounts:password_reset": ("POST", 5, 3600),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MANYI_LOG_LEVEL", "INFO")},
    # Lockouts are logged as warnings; every successful login need not be.
    "loggers": {"axes": {"level": "WARNING"}},
}
