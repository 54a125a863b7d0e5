"""The practice report on the web: the draft check page and the upload never answer 500, and
every checker outcome — findings, a part it could not read, its own failure — is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from manyi.practice_report import ReportReadError, build_template
from manyi.rules import load_scheme
from manyi.web.applications import services
from manyi.web.applications.models import Application
from tests.conftest import create_application
from tests.practice_report.corpus import outline_report, to_docx
from tests.practice_report.word_corpus import with_even_footer_reference

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[1] / "practice_report" / "fixtures"


@pytest.fixture
def application(applicant, open_campaign, promoting_body) -> Application:
    """A three-star enterprise application (the shared fixture's is four-star)."""
    return create_application(applicant, open_campaign, promoting_body, level="three")


def _check_draft(client, application, name: str, data: bytes):
    return client.post(
        reverse("applications:report_check", args=[application.pk]),
        {"report": SimpleUploadedFile(name, data)},
    )


def _upload_report(application, applicant, data: bytes):
    scheme = load_scheme(application.campaign.scheme_year)
    name = scheme.report_filename(application.organisation.name, application.category)
    return services.material_upload(
        actor=applicant,
        application=application,
        material_key=scheme.roles.materials.practice_report,
        uploaded=SimpleUploadedFile(name, data),
    )


def _raising(error: Exception):
    def check_report(*args, **kwargs):
        raise error

    return check_report


def test_a_word_draft_is_not_told_its_file_name_should_end_in_pdf(client, application, applicant):
    template = build_template("enterprise", scheme=load_scheme(application.campaign.scheme_year))
    client.force_login(applicant)
    page = _check_draft(client, application, "我的草稿.docx", template).content.decode()
    assert 'data-testid="report-findings"' in page
    assert 'data-code="filename"' not in page and ".pdf" not in page.split("report-findings")[1]


def test_a_draft_with_a_footer_that_is_not_a_footer_shows_a_warning(client, application, applicant):
    data = to_docx(with_even_footer_reference(outline_report(), "styles.xml"))
    client.force_login(applicant)
    response = _check_draft(client, application, "草稿.docx", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="check.incomplete" data-status="warn"' in page
    assert "无法完整检查：偶数页页脚" in page and "系统建议" in page


def test_a_failed_rule_quotes_the_form(client, application, applicant):
    report = outline_report().replace_item("一、企业简介", rpr='<w:b w:val="0"/>')
    client.force_login(applicant)
    page = _check_draft(client, application, "草稿.docx", to_docx(report)).content.decode()
    assert 'data-code="heading.bold" data-status="fail"' in page
    assert "申请书要求：一级标题加粗" in page


def test_the_checker_failing_on_a_draft_is_a_message_not_a_500(
    client, application, applicant, monkeypatch
):
    monkeypatch.setattr("manyi.web.applications.views.check_report", _raising(RuntimeError("boom")))
    client.force_login(applicant)
    response = _check_draft(client, application, "草稿.docx", to_docx(outline_report()))
    assert response.status_code == 200
    assert "检查器没能读完这份文件（RuntimeError）" in response.content.decode()


def test_an_uploaded_report_is_stored_with_its_findings_in_the_common_shape(application, applicant):
    stored = _upload_report(
        application, applicant, (FIXTURES / "libreoffice-from-odt.pdf").read_bytes()
    )
    assert stored.findings == []
    data = (FIXTURES / "weasyprint-page-number-defects.pdf").read_bytes()
    stored = _upload_report(application, applicant, data)
    codes = [(f["code"], f["status"]) for f in stored.findings]
    assert codes == [
        ("report.page_number.missing", "warn"),
        ("report.page_number.position", "fail"),
        ("report.page_number.position", "fail"),
    ]
    failed = stored.findings[1]
    assert failed["source"] == "seed" and failed["quote"] == "页码在下方居中"
    assert failed["where"] == "第 3 页，页脚"


@pytest.mark.parametrize(
    "error", [RuntimeError("boom"), ReportReadError("PDF 内容已损坏，无法读取（X）。")]
)
def test_an_uploaded_report_the_checker_cannot_check_is_stored_with_a_warning(
    application, applicant, monkeypatch, error
):
    monkeypatch.setattr("manyi.web.applications.uploads.check_report", _raising(error))
    data = (FIXTURES / "libreoffice-from-odt.pdf").read_bytes()
    stored = _upload_report(application, applicant, data)
    (finding,) = stored.findings
    assert finding["code"] == "report.check.incomplete" and finding["status"] == "warn"
    assert finding["message"].startswith("无法完整检查：实践报告的格式和提纲（")
    assert finding["source"] == "advice" and finding["reason"]
