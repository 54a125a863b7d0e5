"""Writes for campaigns."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.rules.loader import SchemeError, available_years, load_scheme
from manyi.web.accounts.models import User
from manyi.web.accounts.permissions import Perm, require
from manyi.web.audit.services import audit_record
from manyi.web.campaigns.models import Campaign


def _validate_scheme_year(scheme_year: int) -> None:
    if scheme_year not in available_years():
        raise ValidationError(
            {"scheme_year": _("没有 %(year)s 年度的申请书规则文件。") % {"year": scheme_year}}
        )
    try:
        load_scheme(scheme_year)
    except SchemeError as exc:
        raise ValidationError({"scheme_year": str(exc)}) from exc


@transaction.atomic
def campaign_create(
    *,
    actor: User | None,
    year: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    scheme_year: int | None = None,
    title: str = "",
) -> Campaign:
    if actor is not None:
        require(actor, Perm.MANAGE_CAMPAIGNS)
    scheme_year = scheme_year or year
    _validate_scheme_year(scheme_year)
    campaign = Campaign(
        year=year,
        scheme_year=scheme_year,
        title=title or _("%(year)s年用户满意等级评价") % {"year": year},
        opens_on=opens_on,
        closes_on=closes_on,
    )
    campaign.full_clean()
    campaign.save()
    audit_record(
        actor=actor,
        action="campaign.create",
        target=campaign,
        new_values={"year": year, "scheme_year": scheme_year},
    )
    return campaign


@transaction.atomic
def campaign_open(*, actor: User | None, campaign: Campaign) -> Campaign:
    """Open ``campaign``; the one open before it is closed in the same transaction."""
    if actor is not None:
        require(actor, Perm.MANAGE_CAMPAIGNS)
    for other in Campaign.objects.select_for_update().filter(is_open=True).exclude(pk=campaign.pk):
        other.is_open = False
        other.save(update_fields=["is_open"])
        audit_record(
            actor=actor,
            action="campaign.close",
            target=other,
            old_values={"is_open": True},
            new_values={"is_open": False},
        )
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.is_open:
        campaign.is_open = True
        campaign.save(update_fields=["is_open"])
        audit_record(
            actor=actor,
            action="campaign.open",
            target=campaign,
            old_values={"is_open": False},
            new_values={"is_open": True},
        )
    return campaign


@transaction.atomic
def campaign_close(*, actor: User | None, campaign: Campaign) -> Campaign:
    if actor is not None:
        require(actor, Perm.MANAGE_CAMPAIGNS)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.is_open:
        campaign.is_open = False
        campaign.save(update_fields=["is_open"])
        audit_record(
            actor=actor,
            action="campaign.close",
            target=campaign,
            old_values={"is_open": True},
            new_values={"is_open": False},
        )
    return campaign
