"""Fixtures shared by the Django tests: the people and the open campaign most tests need."""

from __future__ import annotations

import datetime
import os
import shutil
import uuid
from pathlib import Path

import pytest

PASSWORD = "Zq8-long-enough-pass"

# Debian's chromium, driven by Playwright (browsers are never downloaded); the flags keep it
# from reaching for the network this machine does not have.
CHROMIUM = os.environ.get("MANYI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _isolated_outside_state():
    """Each test gets its own audit anchor file and an empty cache (rate-limit counters): both
    live outside the database, so the per-test rollback would not reset them."""
    from django.conf import settings
    from django.core.cache import cache

    previous = settings.MANYI_AUDIT_ANCHOR
    settings.MANYI_AUDIT_ANCHOR = str(Path(settings.DATA_DIR) / f"anchor-{uuid.uuid4().hex}.log")
    cache.clear()
    yield
    settings.MANYI_AUDIT_ANCHOR = previous


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def secretariat(db):
    from manyi.web.accounts.models import Role
    from manyi.web.accounts.services import staff_user_create

    return staff_user_create(
        actor=None,
        username="mishu",
        password=PASSWORD,
        role=Role.SECRETARIAT,
        full_name="秘书处",
        email="mishu@example.cn",
    )


@pytest.fixture
def promoting_body(db):
    from manyi.web.accounts.models import PromotingBody

    return PromotingBody.objects.create(name="福建省质量管理协会", region="福建省")


@pytest.fixture
def open_campaign(db):
    """The 2025 campaign, open from 1 March 2025 until three months from today."""
    from manyi.web.campaigns.services import campaign_create, campaign_open

    campaign = campaign_create(
        actor=None,
        year=2025,
        opens_on=datetime.date(2025, 3, 1),
        closes_on=datetime.date.today() + datetime.timedelta(days=90),
    )
    return campaign_open(actor=None, campaign=campaign)


def create_application(
    user,
    campaign,
    body,
    category: str = "enterprise",
    level: str = "three",
    project_name: str | None = None,
):
    """A draft application as the applicant ``user`` creates it (a valid project name)."""
    from manyi.web.applications import services
    from manyi.web.applications.samples import project_name_for

    return services.application_create(
        actor=user,
        campaign=campaign,
        category=category,
        level=level,
        kind="initial",
        promoting_body=body,
        project_name=project_name_for(category) if project_name is None else project_name,
    )


def upload(application, user, key: str, name: str, data: bytes):
    """Upload ``data`` as a file named ``name`` for material ``key``, as the applicant does."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from manyi.web.applications import services

    return services.material_upload(
        actor=user,
        application=application,
        material_key=key,
        uploaded=SimpleUploadedFile(name, data),
    )


@pytest.fixture
def browser(monkeypatch):
    """A headless chromium for the browser tests (``live_server`` serves the pages)."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"找不到 Chromium（{CHROMIUM}）；scripts/setup.sh --test 会安装它。")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
