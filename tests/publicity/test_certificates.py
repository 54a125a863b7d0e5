"""Certificates: numbered, dated, printable with a QR code, verifiable by the public."""

from __future__ import annotations

import datetime
import io
import re

import pytest
import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from manyi.web.applications.lifecycle import IllegalTransition
from manyi.web.applications.models import Application, ApplicationState
from manyi.web.audit.models import AuditEntry
from manyi.web.publicity.certificates import QR_BORDER, add_years, certificate_pdf
from manyi.web.publicity.models import Certificate
from manyi.web.publicity.services import certificate_issue, certificate_revoke

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^YHMY-2025-(\d{2})-(\d{4})$")


@pytest.fixture
def granted(make_publicised):
    """Make applications in the 已发布：授予等级 state."""

    def make(owner, **kwargs) -> Application:
        return make_publicised(owner, state=ApplicationState.GRANTED, **kwargs)

    return make


@pytest.fixture
def certificate(secretariat, granted, applicant) -> Certificate:
    application = granted(applicant, category="enterprise", level="five", proposed_level="four")
    return certificate_issue(
        actor=secretariat, application=application, issued_on=datetime.date(2025, 6, 30)
    )


# --- the record -------------------------------------------------------------------------------


def test_the_number_is_prefix_year_category_code_and_sequence(certificate):
    assert certificate.number == "YHMY-2025-01-0001"  # 企业类 is the scheme's first category


def test_numbers_count_up_per_category(secretariat, granted, applicant, other_applicant):
    numbers = [
        certificate_issue(actor=secretariat, application=application).number
        for application in (
            granted(applicant, category="team", project_name="总装一班"),
            granted(applicant, category="team", project_name="总装二班"),
            granted(other_applicant, category="service", project_name="家电上门维修"),
        )
    ]
    assert numbers == ["YHMY-2025-02-0001", "YHMY-2025-02-0002", "YHMY-2025-03-0001"]


def test_numbers_are_unique_in_the_database(certificate):
    duplicate = Certificate.objects.filter(pk=certificate.pk).values().get()
    duplicate.pop("id")
    duplicate.update(sequence=99)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(**duplicate)


def test_it_records_the_organisation_category_and_granted_level(certificate):
    assert certificate.organisation_name == "福州测试制造有限公司"
    assert certificate.category_name == "企业类"
    assert certificate.level == "four"  # the level granted, not the level applied for (five)
    assert certificate.level_name == "用户满意（四星）级"
    assert certificate.issuer == "中国质量协会"


def test_it_is_valid_for_the_schemes_number_of_years(certificate):
    assert certificate.issued_on == datetime.date(2025, 6, 30)
    assert certificate.valid_until == datetime.date(2028, 6, 30)


def test_a_leap_day_is_valid_until_the_28th_of_february():
    assert add_years(datetime.date(2028, 2, 29), 3) == datetime.date(2031, 2, 28)


def test_issuing_moves_the_application_to_certified_and_is_audited(certificate):
    application = Application.objects.get(pk=certificate.application_id)
    assert application.state == ApplicationState.CERTIFIED
    assert AuditEntry.objects.filter(
        action="application.certify", target_id=str(application.pk)
    ).exists()
    entry = AuditEntry.objects.get(action="certificate.issue")
    assert entry.new_values["number"] == certificate.number


def test_only_granted_applications_get_a_certificate(secretariat, make_publicised, applicant):
    application = make_publicised(applicant)  # still 公示中
    with pytest.raises(IllegalTransition):
        certificate_issue(actor=secretariat, application=application)
    assert not Certificate.objects.exists()


def test_a_certificate_is_issued_once(secretariat, certificate):
    application = Application.objects.get(pk=certificate.application_id)
    with pytest.raises(IllegalTransition):
        certificate_issue(actor=secretariat, application=application)
    assert Certificate.objects.count() == 1


def test_only_the_secretariat_issues_certificates(granted, applicant):
    application = granted(applicant)
    with pytest.raises(PermissionDenied):
        certificate_issue(actor=applicant, application=application)
    application.refresh_from_db()
    assert application.state == ApplicationState.GRANTED


def test_the_secretariat_issues_from_its_page(client, secretariat, granted, applicant):
    application = granted(applicant)
    client.force_login(secretariat)
    page = client.get(reverse("publicity:certificates")).content.decode()
    assert "福州测试制造有限公司" in page
    response = client.post(reverse("publicity:certificate_issue", args=[application.pk]))
    assert response.status_code == 302
    assert Certificate.objects.get().application == application


# --- the PDF ----------------------------------------------------------------------------------


@pytest.fixture
def pdf(certificate) -> PdfReader:
    with override_settings(MANYI_PUBLIC_BASE_URL="https://manyi.example.cn"):
        return PdfReader(io.BytesIO(certificate_pdf(certificate)))


def test_the_pdf_is_one_page_with_the_organisation_number_and_level_as_text(pdf):
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    for expected in ("福州测试制造有限公司", "YHMY-2025-01-0001", "用户满意（四星）级", "企业类"):
        assert expected in text, expected
    assert "2025年6月30日" in text and "2028年6月30日" in text


def test_the_pdf_carries_a_qr_code_of_the_public_verification_url(pdf):
    images = pdf.pages[0].images
    assert len(images) == 1
    url = "https://manyi.example.cn/publicity/certificates/YHMY-2025-01-0001/"
    expected = segno.make(url, error="m", micro=False)  # error correction level M
    wanted = [[bool(module) for module in row] for row in expected.matrix]
    assert _qr_modules(images[0].image, len(wanted)) == wanted


def _qr_modules(image, size: int) -> list[list[bool]]:
    """Sample the centre of every module of a QR image (quiet zone of QR_BORDER); True is dark."""
    grey = image.convert("L")
    step = grey.width / (size + 2 * QR_BORDER)
    return [
        [
            grey.getpixel((int((x + QR_BORDER + 0.5) * step), int((y + QR_BORDER + 0.5) * step)))
            < 128
            for x in range(size)
        ]
        for y in range(size)
    ]


def test_the_applicant_downloads_its_own_certificate(client, applicant, certificate):
    client.force_login(applicant)
    response = client.get(reverse("publicity:certificate_pdf", args=[certificate.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- public verification ----------------------------------------------------------------------


def _verify(client, number: str):
    return client.get(reverse("publicity:certificate_verify", args=[number]))


def test_a_valid_certificate_is_confirmed_without_login(client, certificate):
    response = _verify(client, certificate.number)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="valid"' in page
    assert "福州测试制造有限公司" in page and "用户满意（四星）级" in page
    assert "2028年6月30日" in page


def test_verification_shows_nothing_but_the_certificate(client, certificate):
    page = _verify(client, certificate.number).content.decode()
    for secret in ("91350100M000100Y43", "13800138001", "fuzhou@example.cn", "福建省质量管理协会"):
        assert secret not in page, secret


def test_an_expired_certificate_is_reported_as_expired(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=datetime.date(2020, 1, 1), valid_until=datetime.date(2023, 1, 1)
    )
    page = _verify(client, certificate.number).content.decode()
    assert 'data-status="expired"' in page and "已过期" in page


def test_a_revoked_certificate_is_reported_as_revoked_without_the_reason(
    client, secretariat, certificate
):
    certificate_revoke(actor=secretariat, certificate=certificate, reason="内部原因：材料造假")
    page = _verify(client, certificate.number).content.decode()
    assert 'data-status="revoked"' in page and "已撤销" in page
    assert "材料造假" not in page
    assert AuditEntry.objects.filter(action="certificate.revoke").exists()


def test_revoking_needs_a_reason_and_happens_once(secretariat, certificate):
    with pytest.raises(ValidationError):
        certificate_revoke(actor=secretariat, certificate=certificate, reason="  ")
    certificate_revoke(actor=secretariat, certificate=certificate, reason="材料造假")
    with pytest.raises(ValidationError, match="已经撤销"):
        certificate_revoke(actor=secretariat, certificate=certificate, reason="再次")


def test_an_unknown_number_is_not_found(client, certificate):
    response = _verify(client, "YHMY-2025-01-9999")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-status="not_found"' in page
    assert "福州测试制造有限公司" not in page


def test_the_search_form_tolerates_case_and_spaces(client, certificate):
    response = client.get(
        reverse("publicity:certificate_search"), {"number": " yhmy-2025-01-0001 "}
    )
    assert response["Location"] == reverse(
        "publicity:certificate_verify", args=[certificate.number]
    )
    assert 'data-status="valid"' in client.get(response["Location"]).content.decode()


def test_the_search_form_does_not_match_partial_numbers(client, certificate):
    response = client.get(reverse("publicity:certificate_search"), {"number": "YHMY-2025"})
    assert 'data-status="not_found"' in client.get(response["Location"]).content.decode()
