"""Helpers shared by the review services."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from manyi.web.applications.models import Application
from manyi.web.applications.services import scheme_for

__all__ = [
    "latest_version_number",
    "locked",
    "require_text",
    "scheme_for",
]


def locked(application: Application) -> Application:
    """Re-read ``application`` holding its row lock until the transaction ends."""
    return (
        Application.objects.select_for_update()
        .select_related("organisation", "campaign", "promoting_body")
        .get(pk=application.pk)
    )


def latest_version_number(application: Application) -> int | None:
    version = application.versions.order_by("-number").first()
    return version.number if version else None


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value
