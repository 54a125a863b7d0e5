"""Reads for campaigns."""

from __future__ import annotations

from manyi.web.campaigns.models import Campaign


def campaign_current() -> Campaign | None:
    return Campaign.objects.filter(is_open=True).first()


def campaigns_all() -> list[Campaign]:
    return list(Campaign.objects.order_by("-year"))
