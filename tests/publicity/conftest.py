"""People, applications in the 公示中 state, an open 公示, and files to attach."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from manyi.web.accounts.models import Role, User
from manyi.web.accounts.services import ProfileFigures, organisation_register, staff_user_create
from manyi.web.applications.models import Application, ApplicationState
from manyi.web.applications.services import application_create
from manyi.web.campaigns.models import Campaign
from manyi.web.campaigns.services import campaign_create, campaign_open
from manyi.web.publicity.models import Publication
from manyi.web.publicity.services import publication_open
from tests.conftest import PASSWORD

# --- people -----------------------------------------------------------------------------------


@pytest.fixture
def promoter(promoting_body) -> User:
    return staff_user_create(
        actor=None,
        username="tuijin",
        password=PASSWORD,
        role=Role.PROMOTER,
        full_name="推进机构李",
        promoting_body=promoting_body,
    )


@pytest.fixture
def expert(db) -> User:
    return staff_user_create(
        actor=None, username="zhuanjia", password=PASSWORD, role=Role.EXPERT, full_name="专家赵"
    )


def _applicant(code: str, name: str, username: str, phone: str) -> User:
    return organisation_register(
        credit_code=code,
        name=name,
        figures=ProfileFigures(
            "34", employees=500, revenue=Decimal("30000"), assets=Decimal("2e4")
        ),
        address="福建省福州市鼓楼区示例路 1 号",
        username=username,
        password=PASSWORD,
        full_name="联系人" + username,
        email=f"{username}@example.cn",
        phone=phone,
    )


@pytest.fixture
def applicant(db) -> User:
    return _applicant("91350100M000100Y43", "福州测试制造有限公司", "fuzhou", "13800138001")


@pytest.fixture
def other_applicant(db) -> User:
    return _applicant("91110108551385082Q", "北京示例服务有限公司", "beijing", "13900139002")


# --- applications in the 公示中 state ----------------------------------------------------------


@pytest.fixture
def campaign(db) -> Campaign:
    created = campaign_create(
        actor=None,
        year=2025,
        opens_on=datetime.date(2025, 3, 1),
        closes_on=datetime.date.today() + datetime.timedelta(days=90),
    )
    return campaign_open(actor=None, campaign=created)


MakeApplication = Callable[..., Application]


@pytest.fixture
def make_publicised(campaign, promoting_body) -> MakeApplication:
    """An application created by ``owner`` and put straight into 公示中 with a proposed level
    (the earlier lifecycle steps belong to the review app)."""

    def make(
        owner: User,
        *,
        category: str = "enterprise",
        level: str = "four",
        proposed_level: str = "four",
        project_name: str = "",
        state: str = ApplicationState.PUBLICISED,
    ) -> Application:
        application = application_create(
            actor=owner,
            campaign=campaign,
            category=category,
            level=level,
            kind="initial",
            promoting_body=promoting_body,
            project_name=project_name,
        )
        Application.objects.filter(pk=application.pk).update(
            state=state, proposed_level=proposed_level
        )
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def enterprise_application(make_publicised, applicant) -> Application:
    return make_publicised(applicant, category="enterprise", level="five", proposed_level="four")


@pytest.fixture
def service_application(make_publicised, other_applicant) -> Application:
    return make_publicised(
        other_applicant,
        category="service",
        level="four",
        proposed_level="four",
        project_name="24小时家电上门维修服务",
    )


@pytest.fixture
def publication(secretariat, campaign, enterprise_application, service_application) -> Publication:
    return publication_open(
        actor=secretariat,
        campaign=campaign,
        applications=[enterprise_application, service_application],
    )


def close_window(publication: Publication) -> Publication:
    """Move the 公示 into the past: its objection window has ended."""
    now = timezone.now()
    Publication.objects.filter(pk=publication.pk).update(
        opens_at=now - datetime.timedelta(days=8), closes_at=now - datetime.timedelta(days=1)
    )
    publication.refresh_from_db()
    return publication


# --- files ------------------------------------------------------------------------------------


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
