"""Campaigns: one open at a time, each tied to a scheme file."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from manyi.web.campaigns.models import Campaign
from manyi.web.campaigns.selectors import campaign_current
from manyi.web.campaigns.services import campaign_create, campaign_open

pytestmark = pytest.mark.django_db


def test_a_campaign_knows_its_data_year(open_campaign):
    assert open_campaign.data_year == 2024
    assert open_campaign.title == "2025年用户满意等级评价"
    assert campaign_current() == open_campaign


def test_opening_a_campaign_closes_the_one_open_before(open_campaign, secretariat):
    later = campaign_create(
        actor=secretariat,
        year=2026,
        scheme_year=2025,
        opens_on=datetime.date(2026, 3, 1),
        closes_on=datetime.date(2026, 9, 30),
    )
    campaign_open(actor=secretariat, campaign=later)
    assert campaign_current() == later
    assert Campaign.objects.filter(is_open=True).count() == 1


def test_the_database_refuses_two_open_campaigns(open_campaign):
    other = Campaign.objects.create(
        year=2030,
        scheme_year=2025,
        title="x",
        opens_on=datetime.date(2030, 1, 1),
        closes_on=datetime.date(2030, 2, 1),
    )
    other.is_open = True
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_a_campaign_without_a_scheme_file_is_refused(secretariat):
    with pytest.raises(ValidationError) as excinfo:
        campaign_create(
            actor=secretariat,
            year=2031,
            opens_on=datetime.date(2031, 1, 1),
            closes_on=datetime.date(2031, 6, 1),
        )
    assert "2031" in str(excinfo.value)


def test_the_secretariat_creates_and_opens_a_campaign_in_the_browser_form(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("campaigns:list"),
        {
            "year": "2025",
            "scheme_year": "2025",
            "title": "",
            "opens_on": "2025-03-01",
            "closes_on": "2025-02-01",
        },
    )
    assert "截止日期不能早于开始日期" in response.content.decode()
    client.post(
        reverse("campaigns:list"),
        {
            "year": "2025",
            "scheme_year": "2025",
            "title": "",
            "opens_on": "2025-03-01",
            "closes_on": "2025-09-30",
        },
    )
    campaign = Campaign.objects.get(year=2025)
    client.post(reverse("campaigns:toggle", args=[campaign.pk]), {"action": "open"})
    assert campaign_current() == campaign
