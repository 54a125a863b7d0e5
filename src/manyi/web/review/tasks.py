"""Scheduled review work (Celery; in-process without a broker)."""

from __future__ import annotations

from manyi.web.celery import app
from manyi.web.review.services import lapse_overdue


@app.task(name="manyi.review.lapse_overdue")
def lapse_overdue_task() -> list[int]:
    """Daily: applications still returned after their revision deadline lapse."""
    return [application.pk for application in lapse_overdue()]
