"""Writing to the audit log and queueing notifications."""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from manyi.web.audit.anchor import anchor_append, audit_key
from manyi.web.audit.chain import GENESIS_HASH, KEYED, entry_digest
from manyi.web.audit.models import AuditEntry, AuditHead, Notification

logger = logging.getLogger(__name__)
HEAD_ID = 1


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


def _locked_head() -> AuditHead:
    """The head row, locked until the surrounding transaction ends.

    Taking this lock *before* reading the previous hash is what keeps the chain one line: a
    second append waits here and then reads the head the first one committed. (SQLite has no row
    locks; its immediate transactions give the same order.)
    """
    head = AuditHead.objects.select_for_update().filter(pk=HEAD_ID).first()
    if head is not None:
        return head
    last = AuditEntry.objects.order_by("-id").first()
    try:
        with transaction.atomic():
            AuditHead.objects.create(
                pk=HEAD_ID,
                count=AuditEntry.objects.count(),
                entry_hash=last.entry_hash if last else GENESIS_HASH,
                entry_id=last.pk if last else None,
            )
    except IntegrityError:  # created meanwhile by a concurrent append
        pass
    return AuditHead.objects.select_for_update().get(pk=HEAD_ID)


@transaction.atomic
def audit_record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model,
    old_values: Mapping[str, Any] | None = None,
    new_values: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one keyed entry; its head goes to the anchor file once the transaction commits."""
    key = audit_key()
    head = _locked_head()
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
        previous_hash=head.entry_hash,
        hash_scheme=KEYED,
    )
    entry.entry_hash = entry_digest(entry.previous_hash, audit_content(entry), key)
    entry.save(force_insert=True)
    head.count += 1
    head.entry_hash = entry.entry_hash
    head.entry_id = entry.pk
    head.save(update_fields=["count", "entry_hash", "entry_id"])
    transaction.on_commit(functools.partial(anchor_append, head.count, entry.entry_hash))
    return entry


# -- notifications ------------------------------------------------------------------------


def notify(recipients: Iterable[Any], *, subject: str, body: str) -> list[Notification]:
    """Queue a notification per recipient; they are mailed after the surrounding transaction
    commits, in the background, so a mail problem never undoes or hides the committed change."""
    subject = " ".join(subject.split())[:200]  # a header: one line, whatever the names held
    notifications = [
        Notification.objects.create(recipient=user, subject=subject, body=body)
        for user in recipients
    ]
    if notifications:
        ids = [n.pk for n in notifications]
        transaction.on_commit(functools.partial(_queue_delivery, ids))
    return notifications


def _queue_delivery(notification_ids: list[int]) -> None:
    from manyi.web.audit.tasks import deliver

    try:
        deliver.delay(notification_ids)
    except Exception:  # the broker is down: the periodic retry picks them up
        logger.exception("通知排队失败，将稍后重试：%s", notification_ids)


def _retry_delay(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=min(5 * 2 ** (attempts - 1), 12 * 60))


def deliver_notifications(notification_ids: Iterable[int] | None = None) -> int:
    """Mail the given notifications (or every one due for a retry); return how many went out.

    Each failure is logged with the notification, counted and scheduled for a later attempt, up
    to ``MANYI_MAIL_ATTEMPTS``; it is never raised.
    """
    pending = Notification.objects.filter(mailed_at=None).select_related("recipient")
    if notification_ids is not None:
        pending = pending.filter(pk__in=list(notification_ids))
    else:
        now = timezone.now()
        pending = pending.filter(
            attempts__lt=settings.MANYI_MAIL_ATTEMPTS,
        ).filter(models.Q(next_attempt_at=None) | models.Q(next_attempt_at__lte=now))
    sent = 0
    for notification in pending:
        sent += _deliver_one(notification)
    return sent


def _deliver_one(notification: Notification) -> int:
    address = notification.recipient.email
    notification.attempts += 1
    try:
        if address:
            send_mail(notification.subject, notification.body, None, [address])
    except Exception as exc:
        logger.exception("通知 #%s 发送失败（第 %s 次）", notification.pk, notification.attempts)
        notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        notification.next_attempt_at = timezone.now() + _retry_delay(notification.attempts)
        notification.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        return 0
    notification.mailed_at = timezone.now()
    notification.last_error = ""
    notification.next_attempt_at = None
    notification.save(update_fields=["attempts", "mailed_at", "last_error", "next_attempt_at"])
    return 1
