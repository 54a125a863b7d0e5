"""The hash chain of the audit log, independent of the database.

Each entry's hash covers its own canonical content and the previous entry's hash, so changing,
inserting or deleting a row breaks every hash after it. Entries are keyed (HMAC-SHA-256 with a
key kept outside the database), so whoever can write to the table but lacks the key cannot
recompute a consistent chain. The chain's head (number of entries and last hash) is also written
outside the table after every commit (an *anchor*); an anchor the table no longer matches shows a
cut tail or a chain recomputed with the key.

Entries written before keying (plain SHA-256, ``scheme="sha256"``) still verify as they are; the
first keyed entry after them covers their last hash, so they cannot be rewritten unnoticed once
a keyed entry follows. A plain entry after a keyed one is itself a break.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

GENESIS_HASH = "0" * 64
KEYED = "hmac-sha256"
LEGACY = "sha256"


def canonical(content: Mapping[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def entry_digest(previous_hash: str, content: Mapping[str, Any], key: bytes | None = None) -> str:
    """The entry's hash: HMAC-SHA-256 under ``key``; plain SHA-256 (old entries) without one."""
    message = previous_hash.encode() + b"|" + canonical(content)
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def anchor_mac(key: bytes, count: int, entry_hash: str) -> str:
    return hmac.new(key, f"anchor|{count}|{entry_hash}".encode(), hashlib.sha256).hexdigest()[:32]


def anchor_line(key: bytes, count: int, entry_hash: str) -> str:
    return f"{count} {entry_hash} {anchor_mac(key, count, entry_hash)}\n"


@dataclass(frozen=True)
class Anchor:
    """The head as recorded outside the table: ``count`` entries, the last one hashing to
    ``entry_hash``; ``source`` says where it was read (file and line)."""

    count: int
    entry_hash: str
    source: str


@dataclass(frozen=True)
class ChainEntry:
    entry_id: int
    previous_hash: str
    entry_hash: str
    scheme: str
    content: Mapping[str, Any]


@dataclass(frozen=True)
class ChainBreak:
    """The first problem found. ``kind``: edited, linked, unkeyed, recomputed, cut, anchor."""

    entry_id: int | None
    reason: str
    kind: str = "edited"

    @property
    def description(self) -> str:
        where = f"第一条有问题的记录编号 {self.entry_id}，" if self.entry_id is not None else ""
        return f"{where}原因：{self.reason}"


@dataclass
class Verification:
    count: int = 0
    keyed: int = 0
    legacy: int = 0
    anchors_checked: int = 0
    last_anchor: int = 0
    problem: ChainBreak | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        problem = self.problem
        return {
            "ok": self.ok,
            "entries": self.count,
            "keyed": self.keyed,
            "legacy": self.legacy,
            "anchors_checked": self.anchors_checked,
            "last_anchor": self.last_anchor,
            "problem": None
            if problem is None
            else {"kind": problem.kind, "entry_id": problem.entry_id, "reason": problem.reason},
            "notes": self.notes,
        }


def parse_anchors(lines: Iterable[str], key: bytes, source: str) -> tuple[list[Anchor], list[str]]:
    """Anchors from an anchor file's lines, and the problems with lines that do not hold."""
    anchors: list[Anchor] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 3 or not parts[0].isdigit():
            problems.append(f"{source} 第 {number} 行无法识别")
            continue
        count, entry_hash, mac = int(parts[0]), parts[1], parts[2]
        if not hmac.compare_digest(mac, anchor_mac(key, count, entry_hash)):
            problems.append(f"{source} 第 {number} 行的签名不符（锚点被改动，或密钥不同）")
            continue
        anchors.append(Anchor(count, entry_hash, f"{source} 第 {number} 行"))
    return anchors, problems


def verify_chain(
    entries: Iterable[ChainEntry], key: bytes, anchors: Iterable[Anchor] = ()
) -> Verification:
    """Check entries in order against their hashes, their links and the anchors."""
    expected_at: dict[int, Anchor] = {}
    for anchor in anchors:
        expected_at.setdefault(anchor.count, anchor)
    result = Verification(anchors_checked=0, last_anchor=max(expected_at, default=0))
    expected_previous = GENESIS_HASH
    for position, entry in enumerate(entries, start=1):
        result.count = position
        problem = _entry_problem(entry, expected_previous, key, seen_keyed=result.keyed > 0)
        if problem is None and position in expected_at:
            result.anchors_checked += 1
            anchor = expected_at[position]
            if anchor.entry_hash != entry.entry_hash:
                problem = ChainBreak(
                    entry.entry_id,
                    f"第 {position} 条记录的哈希与外部锚点（{anchor.source}）不符："
                    "自此处起的记录被改动后重算了哈希",
                    "recomputed",
                )
        if problem is not None:
            result.problem = problem
            return result
        if entry.scheme == KEYED:
            result.keyed += 1
        else:
            result.legacy += 1
        expected_previous = entry.entry_hash
    if result.last_anchor > result.count:
        anchor = expected_at[result.last_anchor]
        result.problem = ChainBreak(
            None,
            f"链尾被截断：外部锚点（{anchor.source}）记录曾有 {anchor.count} 条，"
            f"现只有 {result.count} 条，最后 {anchor.count - result.count} 条被删除",
            "cut",
        )
    return result


def _entry_problem(
    entry: ChainEntry, expected_previous: str, key: bytes, *, seen_keyed: bool
) -> ChainBreak | None:
    if entry.previous_hash != expected_previous:
        return ChainBreak(
            entry.entry_id, "前一条哈希与上一条记录不一致（记录被删除、插入或改动）", "linked"
        )
    if entry.scheme == KEYED:
        if not hmac.compare_digest(
            entry_digest(entry.previous_hash, entry.content, key), entry.entry_hash
        ):
            return ChainBreak(
                entry.entry_id,
                "记录内容与其哈希不符（记录被改动，或由不持有密钥者重算）",
                "edited",
            )
        return None
    if entry.scheme != LEGACY:
        return ChainBreak(entry.entry_id, f"未知的哈希方式 {entry.scheme!r}", "edited")
    if seen_keyed:
        return ChainBreak(
            entry.entry_id, "带密钥的记录之后出现无密钥的旧格式记录（记录被插入或重算）", "unkeyed"
        )
    if entry_digest(entry.previous_hash, entry.content) != entry.entry_hash:
        return ChainBreak(entry.entry_id, "记录内容与其哈希不符（记录被改动）", "edited")
    return None
