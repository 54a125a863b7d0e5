"""Settings for the test suite: SQLite unless ``DATABASE_URL`` is set, fast hashing, mail kept."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("MANYI_DATA_DIR", tempfile.mkdtemp(prefix="manyi-test-"))

from manyi.web.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Counts read fresh, so a test sees the rows it just made (tests/security/test_lists.py covers
# the cached counts).
MANYI_LIST_COUNT_SECONDS = 0
MANYI_BACKGROUND = "inline"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory, so a Celery worker process started by a test sees the same data.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
