"""Production settings: secrets from the environment, HTTPS only.

Required: ``MANYI_SECRET_KEY``, ``MANYI_ALLOWED_HOSTS``, ``MANYI_AUDIT_KEY``. Usually also
``DATABASE_URL``; behind a reverse proxy ``MANYI_TRUSTED_PROXY``.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from manyi.web.settings.base import *  # noqa: F403
from manyi.web.settings.base import env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("MANYI_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("生产环境必须设置 MANYI_SECRET_KEY（至少 50 个字符的随机串）。")

ALLOWED_HOSTS = env_list("MANYI_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("生产环境必须设置 MANYI_ALLOWED_HOSTS（逗号分隔的域名）。")

# The audit key must not live beside the data it protects: no generated key file here.
MANYI_AUDIT_KEY = os.environ.get("MANYI_AUDIT_KEY", "")
if len(MANYI_AUDIT_KEY) < 32:
    raise ImproperlyConfigured(
        "生产环境必须设置 MANYI_AUDIT_KEY（至少 32 个字符的随机串，不要与数据库放在一起）。"
    )
MANYI_AUDIT_KEY_FILE = ""

# X-Forwarded-Proto is believed only from MANYI_TRUSTED_PROXY (TrustedProxyMiddleware).
SECURE_SSL_REDIRECT = env_bool("MANYI_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("MANYI_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Keep database connections between requests (checked before reuse).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("MANYI_DB_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
