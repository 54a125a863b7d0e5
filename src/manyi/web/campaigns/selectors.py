"""Reads for campaigns."""

from __future__ import annotations

from manyi.rules import Scheme, load_scheme
from manyi.web.campaigns.models import Campaign


def campaign_current() -> Campaign | None:
    return Campaign.objects.filter(is_open=True).first()


def campaigns_all() -> list[Campaign]:
    return list(Campaign.objects.order_by("-year"))


def scheme_for_campaign(campaign: Campaign) -> Scheme:
    """The rules a campaign runs on: the scheme file of its ``scheme_year``."""
    return load_scheme(campaign.scheme_year)
