"""The audit key and the anchor file: both kept outside the database.

The key comes from ``MANYI_AUDIT_KEY`` (required in production); local runs without it use a key
generated once into ``MANYI_AUDIT_KEY_FILE`` in the data directory. The anchor file
(``MANYI_AUDIT_ANCHOR``; empty turns anchoring off) gets one line per committed append:
``<count> <hash> <mac>``, appended with O_APPEND so concurrent processes never interleave.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from manyi.web.audit.chain import Anchor, anchor_line, parse_anchors

logger = logging.getLogger(__name__)


def audit_key() -> bytes:
    configured = getattr(settings, "MANYI_AUDIT_KEY", "")
    if configured:
        return configured.encode()
    key_file = getattr(settings, "MANYI_AUDIT_KEY_FILE", "")
    if not key_file:
        raise ImproperlyConfigured("未设置审计密钥 MANYI_AUDIT_KEY。")
    return _key_from_file(Path(key_file))


def _key_from_file(path: Path) -> bytes:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48))
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise ImproperlyConfigured(f"审计密钥文件 {path} 是空的。")
    return key.encode()


def anchor_path() -> Path | None:
    configured = getattr(settings, "MANYI_AUDIT_ANCHOR", "")
    return Path(configured) if configured else None


def anchor_append(count: int, entry_hash: str) -> None:
    """Record the head after a commit; a failure is logged, never raised (the data is safe)."""
    path = anchor_path()
    if path is None:
        return
    try:
        line = anchor_line(audit_key(), count, entry_hash).encode()
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, line)
        finally:
            os.close(descriptor)
    except OSError:
        logger.exception("审计锚点写入失败：%s", path)


def anchors_read(key: bytes) -> tuple[list[Anchor], list[str], str]:
    """The anchors on file, problems with its lines, and a note on where they came from."""
    path = anchor_path()
    if path is None:
        return [], [], "未配置外部锚点（MANYI_AUDIT_ANCHOR 为空），无法发现链尾被截断或整链被重算"
    if not path.exists():
        return [], [], f"锚点文件 {path} 尚不存在（还没有新的审计记录写入）"
    with path.open(encoding="utf-8", errors="replace") as handle:
        anchors, problems = parse_anchors(handle, key, path.name)
    return anchors, problems, f"锚点文件 {path}"
