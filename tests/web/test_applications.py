"""The applicant's workflow: create, fill in, upload, check and submit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from manyi.documents import samples
from manyi.web.applications import services
from manyi.web.applications.models import Application, MaterialFile
from manyi.web.applications.precheck import run_precheck
from manyi.web.applications.uploads import UploadRefused

pytestmark = pytest.mark.django_db


def upload(application, user, key, name, data):
    return services.material_upload(
        actor=user,
        application=application,
        material_key=key,
        uploaded=SimpleUploadedFile(name, data),
    )


def test_only_allowed_category_level_pairs_are_accepted(applicant, open_campaign, promoting_body):
    with pytest.raises(ValidationError) as excinfo:
        services.application_create(
            actor=applicant,
            campaign=open_campaign,
            category="product",
            level="five",
            kind="initial",
            promoting_body=promoting_body,
            project_name="X牌 X1型 控制器",
        )
    assert "产品类只能申请" in str(excinfo.value)
    assert not Application.objects.exists()


def test_the_create_page_offers_only_allowed_levels_per_category(
    client, applicant, open_campaign, promoting_body
):
    client.force_login(applicant)
    page = client.get(reverse("applications:create")).content.decode()
    assert '"product": ["four", "three"]' in page
    response = client.post(
        reverse("applications:create"),
        {
            "category": "engineering",
            "level": "five",
            "kind": "initial",
            "promoting_body": promoting_body.pk,
            "project_name": "某工程",
        },
    )
    assert "工程类只能申请" in response.content.decode()


def test_one_application_per_organisation_category_and_project(
    application, applicant, open_campaign, promoting_body
):
    with pytest.raises(ValidationError) as excinfo:
        services.application_create(
            actor=applicant,
            campaign=open_campaign,
            category="enterprise",
            level="three",
            kind="initial",
            promoting_body=promoting_body,
        )
    assert "已有同一类别" in str(excinfo.value)
    services.application_create(
        actor=applicant,
        campaign=open_campaign,
        category="service",
        level="three",
        kind="initial",
        promoting_body=promoting_body,
        project_name="24小时上门维修服务",
    )


def test_a_project_name_is_required_except_for_the_enterprise_category(
    applicant, open_campaign, promoting_body
):
    with pytest.raises(ValidationError) as excinfo:
        services.application_create(
            actor=applicant,
            campaign=open_campaign,
            category="team",
            level="three",
            kind="initial",
            promoting_body=promoting_body,
        )
    assert "班组" in str(excinfo.value)


def test_a_stored_value_of_the_wrong_type_is_explained_by_the_check(application, applicant):
    services.application_save_form(
        actor=applicant,
        application=application,
        raw_values={"employees": "一百二十", "contact_mobile": "123"},
    )
    application.refresh_from_db()
    assert application.form_data["employees"] == "一百二十"
    report = run_precheck(application)
    messages = {item.code: item for item in report.items}
    assert messages["form.employees.type"].status == "fail"
    assert "一百二十" in messages["form.employees.type"].message
    assert messages["form.contact_mobile.pattern"].status == "warn"  # the system's advice
    assert messages["form.contact_mobile.pattern"].source == "advice"
    assert not report.can_submit


def test_system_fields_come_from_the_organisation(client, application, applicant):
    client.force_login(applicant)
    page = client.get(reverse("applications:form", args=[application.pk])).content.decode()
    assert "福州测试制造有限公司" in page and "中型" in page


def test_a_pdf_scan_is_stored_with_its_hash_and_page_count(application, applicant):
    stored = upload(application, applicant, "cover", "封面.pdf", samples.sample_pdf(2, "封面"))
    assert stored.facts["pages"] == 2
    assert len(stored.sha256) == 64
    assert stored.file.read()[:5] == b"%PDF-"


def test_a_mislabelled_file_is_refused_and_the_earlier_upload_stays(application, applicant):
    earlier = upload(application, applicant, "cover", "封面.pdf", samples.sample_pdf(1))
    with pytest.raises(UploadRefused) as excinfo:
        upload(application, applicant, "cover", "封面.pdf", samples.sample_png())
    assert "PNG" in str(excinfo.value)
    assert list(MaterialFile.objects.filter(removed_at=None)) == [earlier]


def test_a_truncated_pdf_is_refused_with_a_reason(application, applicant):
    data = samples.sample_pdf(3)
    with pytest.raises(UploadRefused) as excinfo:
        upload(application, applicant, "cover", "封面.pdf", data[: len(data) // 2])
    assert "PDF" in str(excinfo.value)


def test_an_encrypted_pdf_is_refused(application, applicant):
    with pytest.raises(UploadRefused) as excinfo:
        upload(application, applicant, "cover", "封面.pdf", samples.sample_encrypted_pdf())
    assert "密码" in str(excinfo.value) or "加密" in str(excinfo.value)


def test_a_16_slide_pptx_is_refused_and_a_15_slide_one_accepted(application, applicant):
    with pytest.raises(UploadRefused) as excinfo:
        upload(application, applicant, "report_ppt", "汇报.pptx", samples.sample_pptx(16))
    assert "15" in str(excinfo.value)
    stored = upload(application, applicant, "report_ppt", "汇报.pptx", samples.sample_pptx(15))
    assert stored.facts["slides"] == 15


def test_a_single_file_material_is_replaced_by_a_new_upload(application, applicant):
    first = upload(application, applicant, "report_ppt", "a.pptx", samples.sample_pptx(3))
    second = upload(application, applicant, "report_ppt", "b.pptx", samples.sample_pptx(4))
    first.refresh_from_db()
    assert first.removed_at is not None and second.removed_at is None


def test_a_material_the_level_does_not_need_is_refused(application, applicant):
    with pytest.raises(UploadRefused) as excinfo:
        upload(application, applicant, "report_video", "v.mp4", samples.mp4_skeleton(60))
    assert "不需要" in str(excinfo.value)


def test_upload_through_the_page_reports_a_refusal_in_json(client, application, applicant):
    client.force_login(applicant)
    url = reverse("applications:upload", args=[application.pk, "cover"])
    response = client.post(
        url, {"files": SimpleUploadedFile("封面.pdf", b"")}, HTTP_ACCEPT="application/json"
    )
    result = response.json()["results"][0]
    assert result["ok"] is False and "空" in result["message"]


def test_another_organisation_cannot_see_or_change_the_application(client, application):
    from decimal import Decimal

    from manyi.web.accounts.services import ProfileFigures, organisation_register

    stranger = organisation_register(
        credit_code="91110108551385082Q",
        name="北京其他公司",
        figures=ProfileFigures("65", employees=50, revenue=Decimal("800")),
        username="other",
        password="Zq8-long-enough-pass",
        full_name="王",
        email="o@example.cn",
    )
    client.force_login(stranger)
    for name in ("overview", "form", "materials", "check"):
        assert client.get(reverse(f"applications:{name}", args=[application.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        upload(application, stranger, "cover", "封面.pdf", samples.sample_pdf(1))


def test_generated_documents_are_pdfs_with_the_organisation_name(client, application, applicant):
    from io import BytesIO

    from pypdf import PdfReader

    client.force_login(applicant)
    for key in ("cover", "commitment_operation", "commitment_application", "application_form"):
        response = client.get(reverse("applications:document", args=[application.pk, key]))
        assert response["Content-Type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
        assert "福州测试制造有限公司" in text


def test_submission_is_refused_while_the_check_fails(application, applicant):
    with pytest.raises(ValidationError) as excinfo:
        services.application_submit(actor=applicant, application=application)
    assert "未通过体检" in str(excinfo.value)
    application.refresh_from_db()
    assert application.state == "draft" and not application.versions.exists()


def test_the_applicant_downloads_the_category_template_and_it_checks_clean(
    client, application, applicant
):
    from manyi.practice_report import check_report
    from manyi.rules import load_scheme

    client.force_login(applicant)
    response = client.get(reverse("applications:report_template", args=[application.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    scheme = load_scheme(application.campaign.scheme_year)
    result = check_report(response.content, "模板.docx", "enterprise", scheme=scheme)
    assert result.summary["fail"] == 0


def test_a_report_draft_is_checked_and_its_findings_shown_with_locations(
    client, application, applicant
):
    from io import BytesIO

    from docx import Document

    from manyi.practice_report import build_template
    from manyi.rules import load_scheme

    scheme = load_scheme(application.campaign.scheme_year)
    document = Document(BytesIO(build_template("enterprise", scheme=scheme)))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("二、"):
            paragraph.text = "二、经营实践"  # the heading no longer matches the outline
            break
    buffer = BytesIO()
    document.save(buffer)
    client.force_login(applicant)
    response = client.post(
        reverse("applications:report_check", args=[application.pk]),
        {"report": SimpleUploadedFile("草稿.docx", buffer.getvalue())},
    )
    page = response.content.decode()
    assert 'data-testid="report-findings"' in page
    assert "outline." in page
    assert "第" in page and "段" in page


def test_an_unreadable_report_draft_gets_a_clear_message(client, application, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("applications:report_check", args=[application.pk]),
        {"report": SimpleUploadedFile("草稿.docx", samples.sample_png())},
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def test_every_download_is_recorded_with_who_asked(client, application, applicant, secretariat):
    from manyi.web.audit.models import AuditEntry

    stored = upload(application, applicant, "cover", "封面.pdf", samples.sample_pdf(1))
    for user in (applicant, secretariat):
        client.force_login(user)
        response = client.get(reverse("applications:file", args=[stored.pk]))
        assert response.status_code == 200
    entries = AuditEntry.objects.filter(action="file.download").order_by("id")
    assert [e.actor for e in entries] == [applicant, secretariat]
    assert entries[1].new_values == {"file": "封面.pdf", "sha256": stored.sha256}
