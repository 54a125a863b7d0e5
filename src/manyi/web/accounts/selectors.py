"""Reads for accounts and organisations."""

from __future__ import annotations

from django.db.models import QuerySet

from manyi.web.accounts.models import Organisation, PromotingBody


def promoting_bodies_active() -> QuerySet[PromotingBody]:
    return PromotingBody.objects.filter(is_active=True).order_by("name")


def organisations_list(*, pending_check_only: bool = False) -> QuerySet[Organisation]:
    organisations = Organisation.objects.order_by("name")
    if pending_check_only:
        organisations = organisations.filter(check_char_ok=False, check_override_at=None)
    return organisations


def organisations_pending_check_count() -> int:
    return organisations_list(pending_check_only=True).count()
