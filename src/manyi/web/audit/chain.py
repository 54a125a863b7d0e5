"""The hash chain of the audit log, independent of the database.

Each entry's hash covers its own canonical content and the previous entry's hash, so changing,
inserting or deleting any row breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def entry_digest(previous_hash: str, content: Mapping[str, Any]) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous_hash}|{canonical}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


def verify_chain(entries: Iterable[tuple[int, str, str, Mapping[str, Any]]]) -> ChainBreak | None:
    """Check ``(id, previous_hash, entry_hash, content)`` rows in order; return the first break."""
    expected_previous = GENESIS_HASH
    for entry_id, previous_hash, entry_hash, content in entries:
        if previous_hash != expected_previous:
            return ChainBreak(entry_id, "前一条哈希与上一条记录不一致（记录被删除、插入或改动）")
        if entry_digest(previous_hash, content) != entry_hash:
            return ChainBreak(entry_id, "记录内容与其哈希不符（记录被改动）")
        expected_previous = entry_hash
    return None
