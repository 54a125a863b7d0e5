import datetime

import pytest

from manyi.web.campaigns.services import campaign_create, campaign_open


@pytest.fixture
def open_campaign(db):
    campaign = campaign_create(
        actor=None,
        year=2025,
        opens_on=datetime.date(2025, 3, 1),
        closes_on=datetime.date.today() + datetime.timedelta(days=90),
    )
    return campaign_open(actor=None, campaign=campaign)
