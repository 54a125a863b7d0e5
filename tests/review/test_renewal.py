"""复评: the applicant names the earlier certificate; one the system issued is linked and
checked and shown to the reviewers with the earlier result; another is recorded and its scan
is asked for. The organisation's page shows its evaluation history."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from manyi.documents import samples
from manyi.web.applications import services as application_services
from manyi.web.applications.models import Application
from manyi.web.applications.precheck import run_precheck
from manyi.web.campaigns.services import campaign_create
from manyi.web.publicity.models import Certificate
from manyi.web.publicity.services import certificate_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier_certificate(certified_at_a_lower_level) -> Certificate:
    """A 企业类三星 certificate of the 2022 campaign, valid until 10 January 2026."""
    application, certificate = certified_at_a_lower_level
    earlier = campaign_create(
        actor=None,
        year=2022,
        scheme_year=2025,
        opens_on=datetime.date(2022, 3, 1),
        closes_on=datetime.date(2022, 10, 31),
    )
    Application.objects.filter(pk=application.pk).update(campaign=earlier)
    Certificate.objects.filter(pk=certificate.pk).update(
        campaign=earlier,
        issued_on=datetime.date(2023, 1, 10),
        valid_until=datetime.date(2026, 1, 10),
    )
    certificate.refresh_from_db()
    return certificate


def renewal(user, campaign, body, number: str, level: str = "three") -> Application:
    return application_services.application_create(
        actor=user,
        campaign=campaign,
        category="enterprise",
        level=level,
        kind="renewal",
        promoting_body=body,
        previous_certificate_number=number,
    )


def findings(application) -> dict[str, object]:
    application.refresh_from_db()
    return {f.code: f for f in run_precheck(application).items if f.code.startswith("renewal.")}


def test_a_renewal_needs_the_earlier_certificate_number(applicant, open_campaign, promoting_body):
    with pytest.raises(ValidationError) as excinfo:
        renewal(applicant, open_campaign, promoting_body, " ")
    assert "证书的编号" in str(excinfo.value)
    assert not Application.objects.filter(kind="renewal").exists()


def test_a_certificate_the_system_issued_is_linked_and_checked(
    earlier_certificate, applicant, open_campaign, promoting_body
):
    application = renewal(
        applicant, open_campaign, promoting_body, earlier_certificate.number.lower()
    )
    assert application.previous_certificate_number == earlier_certificate.number
    found = findings(application)
    assert found["renewal.linked"].status == "pass"
    assert "renewal.level" not in found and "renewal.expired" not in found
    assert "renewal.scan" not in found  # no scan needed for a certificate the system holds


def test_another_organisations_certificate_is_refused_without_naming_it(
    earlier_certificate, other_applicant, open_campaign, promoting_body
):
    with pytest.raises(ValidationError) as excinfo:
        renewal(other_applicant, open_campaign, promoting_body, earlier_certificate.number)
    assert "不是贵单位的证书" in str(excinfo.value)
    assert "福州测试制造有限公司" not in str(excinfo.value)


def test_a_revoked_certificate_is_refused(
    earlier_certificate, applicant, open_campaign, promoting_body, secretariat
):
    certificate_revoke(actor=secretariat, certificate=earlier_certificate, reason="复查不合格。")
    with pytest.raises(ValidationError, match="已被撤销"):
        renewal(applicant, open_campaign, promoting_body, earlier_certificate.number)


def test_another_level_or_a_long_expired_certificate_is_flagged(
    earlier_certificate, applicant, open_campaign, promoting_body
):
    Certificate.objects.filter(pk=earlier_certificate.pk).update(
        issued_on=datetime.date(2020, 1, 10), valid_until=datetime.date(2023, 1, 10)
    )
    application = renewal(
        applicant, open_campaign, promoting_body, earlier_certificate.number, level="four"
    )
    found = findings(application)
    assert found["renewal.level"].status == "warn"
    assert found["renewal.expired"].status == "warn"
    assert found["renewal.expired"].source == "advice"


def test_a_certificate_the_system_does_not_hold_is_recorded_and_its_scan_asked_for(
    applicant, open_campaign, promoting_body
):
    application = renewal(
        applicant, open_campaign, promoting_body, "中质协满意证字〔2022〕第0123号"
    )
    assert application.previous_certificate_number == "中质协满意证字〔2022〕第0123号"
    assert findings(application)["renewal.scan"].status == "warn"
    application_services.material_upload(
        actor=applicant,
        application=application,
        material_key="previous_certificate",
        uploaded=SimpleUploadedFile("上一周期证书.pdf", samples.sample_pdf(1, "证书")),
    )
    assert findings(application)["renewal.scan"].status == "pass"


def test_a_first_application_is_not_asked_for_an_earlier_certificate(
    client, applicant, open_campaign, promoting_body
):
    application = application_services.application_create(
        actor=applicant,
        campaign=open_campaign,
        category="enterprise",
        level="three",
        kind="initial",
        promoting_body=promoting_body,
        previous_certificate_number="YHMY-2022-01-0001",
    )
    assert application.previous_certificate_number == ""
    assert findings(application) == {}
    client.force_login(applicant)
    page = client.get(reverse("applications:materials", args=[application.pk]))
    assert "上一周期用户满意等级评价证书扫描件" not in page.content.decode()


def test_the_reviewers_see_the_earlier_certificate_and_its_result(
    client, earlier_certificate, applicant, open_campaign, promoting_body, secretariat
):
    application = renewal(applicant, open_campaign, promoting_body, earlier_certificate.number)
    Application.objects.filter(pk=application.pk).update(state="recommended")
    client.force_login(secretariat)
    html = client.get(reverse("review:formal_review", args=[application.pk])).content.decode()
    assert earlier_certificate.number in html
    assert "2022年用户满意等级评价" in html and "用户满意亮诺（三星）级" in html
    assert "上一周期专家综合得分" in html and "74.00" in html


def test_the_organisation_page_shows_its_evaluation_history(
    client, earlier_certificate, applicant, open_campaign, promoting_body
):
    application = renewal(applicant, open_campaign, promoting_body, earlier_certificate.number)
    client.force_login(applicant)
    page = client.get(reverse("accounts:my_organisation"))
    rows = page.context["evaluations"]
    assert [row.year for row in rows] == [open_campaign.year, 2022]
    assert rows[0].application == application and rows[0].kind == "复评"
    assert rows[1].certificate == earlier_certificate
    html = page.content.decode()
    assert earlier_certificate.number in html and "历次评价" in html
