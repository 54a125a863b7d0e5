"""Writing to the audit log and queueing notifications."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from manyi.web.audit.chain import GENESIS_HASH, entry_digest
from manyi.web.audit.models import AuditEntry, Notification


def _json_safe(values: Mapping[str, Any] | None) -> dict[str, Any]:
    return {
        key: (value if isinstance(value, int | float | bool | None) else str(value))
        for key, value in (values or {}).items()
    }


def audit_content(entry: AuditEntry) -> dict[str, Any]:
    """The fields an entry's hash covers."""
    return {
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_label": entry.target_label,
        "old_values": entry.old_values,
        "new_values": entry.new_values,
    }


@transaction.atomic
def audit_record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model,
    old_values: Mapping[str, Any] | None = None,
    new_values: Mapping[str, Any] | None = None,
) -> AuditEntry:
    last = AuditEntry.objects.select_for_update().order_by("-id").first()
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=str(actor) if actor is not None else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        old_values=_json_safe(old_values),
        new_values=_json_safe(new_values),
        previous_hash=last.entry_hash if last else GENESIS_HASH,
    )
    entry.entry_hash = entry_digest(entry.previous_hash, audit_content(entry))
    entry.save(force_insert=True)
    return entry


def notify(recipients: Iterable[Any], *, subject: str, body: str) -> list[Notification]:
    """Queue a notification per recipient; mail them once the surrounding transaction commits."""
    notifications = [
        Notification.objects.create(recipient=user, subject=subject, body=body)
        for user in recipients
    ]
    if notifications:
        ids = [n.pk for n in notifications]
        transaction.on_commit(lambda: deliver_notifications(ids))
    return notifications


def deliver_notifications(notification_ids: list[int]) -> None:
    for notification in Notification.objects.filter(pk__in=notification_ids, mailed_at=None):
        address = notification.recipient.email
        if address:
            send_mail(notification.subject, notification.body, None, [address])
        notification.mailed_at = timezone.now()
        notification.save(update_fields=["mailed_at"])
