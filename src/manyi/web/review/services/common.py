"""Helpers shared by the review services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.web.accounts.models import Role, User
from manyi.web.applications.models import Application
from manyi.web.applications.services import scheme_for

__all__ = [
    "latest_version_number",
    "locked",
    "require_text",
    "required_system_actor",
    "scheme_for",
    "system_actor",
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


def system_actor() -> User | None:
    """The actor for moves the system makes (lapse, scoring complete): the first active
    secretariat account, since ``transition`` checks permissions against a real user."""
    return User.objects.filter(role=Role.SECRETARIAT, is_active=True).order_by("pk").first()


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def required_system_actor() -> User:
    actor = system_actor()
    if actor is None:
        raise ValidationError(_("系统中没有可用的秘书处账号，无法自动执行该操作。"))
    return actor
