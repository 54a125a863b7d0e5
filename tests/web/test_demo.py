"""``manyi demo`` prepares a working instance and can be run twice."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
from stdnum.cn import uscc

from manyi.orgs.creditcode import analyze
from manyi.rules import newest_year
from manyi.web.accounts.models import Organisation, PromotingBody, Role, User
from manyi.web.campaigns.selectors import campaign_current
from manyi.web.demo import ORGANISATIONS, PROMOTING_BODIES, demo_campaign_window, demo_load


@pytest.mark.django_db
def test_demo_data_covers_every_role_and_is_idempotent():
    demo_load(password="demo-pass-123")
    demo_load(password="demo-pass-123")
    campaign = campaign_current()
    assert campaign.opens_on.year == campaign.closes_on.year == campaign.year
    assert campaign.opens_on <= datetime.date.today() <= campaign.closes_on
    assert User.objects.filter(role=Role.SECRETARIAT).count() == 1
    assert PromotingBody.objects.count() >= 3
    assert User.objects.filter(role=Role.EXPERT).count() >= 3
    assert Organisation.objects.count() == len(ORGANISATIONS)
    assert Organisation.objects.filter(check_char_ok=False).count() == 1
    from manyi.web.applications.models import Application, ApplicationState
    from manyi.web.audit.selectors import audit_chain_verify
    from manyi.web.publicity.models import Certificate

    states = set(Application.objects.values_list("state", flat=True))
    lifecycle = set(ApplicationState.values) - {"granted", "not_granted", "lapsed"}
    assert lifecycle <= states, lifecycle - states
    assert Certificate.objects.count() == 1
    assert audit_chain_verify() is None
    for application in Application.objects.select_related("organisation", "promoting_body"):
        body = application.promoting_body
        assert body.kind == PromotingBody.Kind.INDUSTRY or (
            body.region == application.organisation.province
        ), f"{application}: {body} does not cover {application.organisation.province}"


def test_every_demo_organisations_province_has_its_promoting_body():
    regions = {region for _name, kind, region, _user in PROMOTING_BODIES if kind == "regional"}
    for org in ORGANISATIONS:
        assert analyze(org.credit_code).province in regions, org.name
    assert "浙江省" in regions  # e.g. 浙江省质量协会 for 杭州西子饮品有限公司


def test_the_demo_campaign_dates_read_like_a_real_year():
    newest = newest_year()
    date = datetime.date
    assert demo_campaign_window(date(newest, 6, 1)) == (
        newest,
        date(newest, 3, 1),
        date(newest, 12, 31),
    )
    later = newest + 1  # the newest scheme serves until a newer one is added
    assert demo_campaign_window(date(later, 12, 6)) == (
        later,
        date(later, 3, 1),
        date(later, 12, 31),
    )
    assert demo_campaign_window(date(later, 1, 20)) == (
        later,
        date(later, 1, 1),
        date(later, 12, 31),
    )


def test_demo_credit_codes_look_real_and_validate():
    valid = [org.credit_code for org in ORGANISATIONS if uscc.is_valid(org.credit_code)]
    assert len(valid) == len(ORGANISATIONS) - 1
    for code in valid:
        info = analyze(code)
        assert info.valid and info.org_code_check_ok and info.province


def test_manyi_demo_command_prints_how_to_log_in(tmp_path):
    env = {
        **os.environ,
        "MANYI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "manyi.web.settings.base",
    }
    result = subprocess.run(
        [sys.executable, "-m", "manyi.cli", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "mishuchu" in result.stdout and "密码" in result.stdout
    assert (tmp_path / "db.sqlite3").exists()
