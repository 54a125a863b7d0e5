"""Where uploaded and generated files are kept: under MEDIA_ROOT, with random names and no URL.

Files leave only through views that check who asks (``downloads.send_stored_file``). A random
name per file means no path can be guessed, and the original name lives only in the database.
"""

from __future__ import annotations

import posixpath
import re
import secrets

from django.core.files.storage import FileSystemStorage

_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,10}$")


def random_name(name: str) -> str:
    """``dir/any name.PDF`` → ``dir/<32 hex>.pdf``: keeps the folder and a plain suffix only."""
    folder, base = posixpath.split(name.replace("\\", "/"))
    suffix = posixpath.splitext(base)[1].lower()
    suffix = suffix if _SAFE_SUFFIX.match(suffix) else ""
    return posixpath.join(folder, secrets.token_hex(16) + suffix)


class RandomNamesMixin:
    """Mix into any storage backend (e.g. an object-storage one) to store under random names."""

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return super().get_available_name(random_name(name), max_length)  # type: ignore[misc]


class PrivateStorage(RandomNamesMixin, FileSystemStorage):
    """Local files with random names and no public URL."""

    def __init__(self, **kwargs) -> None:
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name: str | None) -> str:
        raise ValueError("文件不提供公开地址，请通过有权限检查的下载视图访问。")
