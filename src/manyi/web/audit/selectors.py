"""Reading the audit log."""

from __future__ import annotations

from manyi.web.audit.chain import ChainBreak, verify_chain
from manyi.web.audit.models import AuditEntry
from manyi.web.audit.services import audit_content


def audit_chain_verify() -> ChainBreak | None:
    rows = (
        (entry.pk, entry.previous_hash, entry.entry_hash, audit_content(entry))
        for entry in AuditEntry.objects.order_by("id").iterator()
    )
    return verify_chain(rows)


def audit_entries_for(target_type: str, target_id: object) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(target_type=target_type, target_id=str(target_id))
        .select_related("actor")
        .order_by("id")
    )
