"""Background mail: after commit for new notifications, periodically for failed ones."""

from __future__ import annotations

import logging

from manyi.web.audit.services import deliver_notifications
from manyi.web.celery import app

logger = logging.getLogger(__name__)


@app.task(name="manyi.audit.deliver", ignore_result=True)
def deliver(notification_ids: list[int]) -> int:
    """The new notifications, then any earlier ones due for another attempt."""
    return _safely(notification_ids) + _safely(None)


@app.task(name="manyi.audit.deliver_due", ignore_result=True)
def deliver_due() -> int:
    return _safely(None)


def _safely(notification_ids: list[int] | None) -> int:
    try:
        return deliver_notifications(notification_ids)
    except Exception:  # e.g. the database is unreachable: leave them for the next run
        logger.exception("通知发送任务失败")
        return 0
