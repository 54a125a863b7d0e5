"""Settings for a local instance: SQLite and local files under ``MANYI_DATA_DIR``.

Every value that differs between deployments comes from the environment; see README.md
(配置) for the list.
"""

from __future__ import annotations

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


def _local_secret_key() -> str:
    """A per-data-directory key, created once, so local sessions survive restarts."""
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = os.environ.get("MANYI_SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("MANYI_DEBUG", True)
ALLOWED_HOSTS = env_list("MANYI_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MANYI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
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
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "MANYI_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"
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
}
# Bootstrap resamples for the recomputed satisfaction index.
MANYI_SURVEY_RESAMPLES = int(os.environ.get("MANYI_SURVEY_RESAMPLES", "2000"))

# Uploads above this size are streamed to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MANYI_LOG_LEVEL", "INFO")},
}
