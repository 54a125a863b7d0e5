"""Reading the audit log."""

from __future__ import annotations

from manyi.web.audit.anchor import anchors_read, audit_key
from manyi.web.audit.chain import Anchor, ChainBreak, ChainEntry, Verification, verify_chain
from manyi.web.audit.models import AuditEntry, AuditHead
from manyi.web.audit.services import HEAD_ID, audit_content


def _entries():
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        yield ChainEntry(
            entry.pk, entry.previous_hash, entry.entry_hash, entry.hash_scheme, audit_content(entry)
        )


def audit_verify() -> Verification:
    """The whole check: every entry's keyed hash and link, the head row, the anchor file."""
    key = audit_key()
    anchors, anchor_problems, anchor_note = anchors_read(key)
    head = AuditHead.objects.filter(pk=HEAD_ID).first()
    if head is not None and head.count:
        anchors.append(Anchor(head.count, head.entry_hash, "数据库中的链头记录"))
    result = verify_chain(_entries(), key, anchors)
    result.notes.append(anchor_note)
    if result.ok and anchor_problems:
        result.problem = ChainBreak(None, "；".join(anchor_problems), "anchor")
    if result.legacy and not result.keyed:
        result.notes.append(
            f"全部 {result.legacy} 条为启用密钥前的旧格式记录：下一条新记录写入后它们才受密钥保护"
        )
    return result


def audit_chain_verify() -> ChainBreak | None:
    """The first problem in the chain, or None when it holds."""
    return audit_verify().problem


def audit_entries(target_type: str = "", target_id: str = ""):
    """Newest first, optionally for one kind of target or one target."""
    entries = AuditEntry.objects.select_related("actor").order_by("-id")
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    return entries


def audit_entries_for(target_type: str, target_id: object) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(target_type=target_type, target_id=str(target_id))
        .select_related("actor")
        .order_by("id")
    )
