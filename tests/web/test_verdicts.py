"""The 体检 as an applicant reads it: the form's rules block and say so in its words; the system's
own judgement only advises; the official documents print the form and nothing else."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from manyi.documents import samples
from manyi.web.applications import services
from manyi.web.applications.documents import generated_document
from manyi.web.applications.precheck import run_precheck
from manyi.web.applications.samples import fill_complete
from tests.conftest import create_application, upload

pytestmark = pytest.mark.django_db


def findings(application, code_prefix):
    report = run_precheck(application)
    return [i for i in report.items if i.code.startswith(code_prefix) and i.status != "pass"]


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_failed_form_rule_quotes_the_form_on_the_check_page(
    client, applicant, open_campaign, promoting_body
):
    application = create_application(
        applicant, open_campaign, promoting_body, "enterprise", "three", ""
    )
    services.application_save_form(
        actor=applicant,
        application=application,
        raw_values={"quality_characteristics": ["一", "二", "三", "四"]},
    )
    client.force_login(applicant)
    page = client.get(reverse("applications:check", args=[application.pk])).content.decode()
    assert "申请书要求" in page
    assert "“行业普遍关注的产品/服务质量特性（限3项）”" in page


def test_the_systems_advice_is_labelled_and_does_not_block(
    client, applicant, open_campaign, promoting_body
):
    application = create_application(
        applicant, open_campaign, promoting_body, "enterprise", "three", ""
    )
    application = fill_complete(application, applicant)
    application = services.application_save_form(
        actor=applicant,
        application=application,
        raw_values={**application.form_data, "contact_mobile": "+852 9123 4567"},
    )
    report = run_precheck(application)
    [advice] = [i for i in report.items if i.where == "form.contact_mobile" and i.status != "pass"]
    assert (advice.status, advice.source) == ("warn", "advice")
    assert report.can_submit
    client.force_login(applicant)
    page = client.get(reverse("applications:check", args=[application.pk])).content.decode()
    assert "系统建议" in page


def test_a_five_star_application_without_a_separate_ppt_is_warned_not_blocked(
    applicant, open_campaign, promoting_body
):
    application = create_application(applicant, open_campaign, promoting_body, "enterprise", "five")
    application = fill_complete(application, applicant, skip=("report_ppt",))
    report = run_precheck(application)
    [ppt] = [i for i in report.items if i.where == "materials.report_ppt"]
    assert (ppt.status, ppt.source) == ("warn", "advice")
    assert report.can_submit


def test_a_four_star_application_without_its_ppt_fails_quoting_the_form(
    applicant, open_campaign, promoting_body
):
    application = create_application(applicant, open_campaign, promoting_body, "enterprise", "four")
    application = fill_complete(application, applicant, skip=("report_ppt",))
    [ppt] = [i for i in run_precheck(application).items if i.where == "materials.report_ppt"]
    assert (ppt.status, ppt.source) == ("fail", "seed")
    assert ppt.quote.startswith("3.申报四星级的需准备")


def test_the_materials_page_asks_both_letters_to_be_signed_and_sealed(
    client, applicant, open_campaign, promoting_body
):
    application = create_application(
        applicant, open_campaign, promoting_body, "enterprise", "three"
    )
    client.force_login(applicant)
    page = client.get(reverse("applications:materials", args=[application.pk])).content.decode()
    for key in ("commitment_operation", "commitment_application"):
        start = page.index(f'data-testid="material-{key}"')
        section = page[start : page.index('class="material"', start + 1)]
        assert "签字" in section and "盖章" in section
    assert "签字可有可无" not in page


def test_the_form_page_shows_the_forms_instructions(
    client, applicant, open_campaign, promoting_body
):
    application = create_application(
        applicant, open_campaign, promoting_body, "enterprise", "three"
    )
    client.force_login(applicant)
    page = client.get(reverse("applications:form", args=[application.pk])).content.decode()
    assert "如表内填不下，可另加附页或自行复印表格" in page


# --- 工程类: the project name and the completion certificate ---------------------------------


@pytest.fixture
def engineering(applicant, open_campaign, promoting_body):
    application = create_application(
        applicant, open_campaign, promoting_body, "engineering", "three"
    )
    return fill_complete(application, applicant)


def replace_certificate(application, user, data, name="竣工验收证明.pdf"):
    for stored in application.files.filter(material_key="completion_acceptance", removed_at=None):
        services.material_remove(actor=user, stored=stored)
    upload(application, user, "completion_acceptance", name, data)


def test_the_project_name_found_in_the_completion_certificate_passes(engineering):
    assert findings(engineering, "form.project_name") == []


def test_a_project_name_missing_from_the_certificate_is_a_warning(engineering, applicant):
    replace_certificate(engineering, applicant, samples.sample_pdf(1, "某某隧道工程竣工验收证明"))
    [finding] = findings(engineering, "form.project_name")
    assert (finding.status, finding.source) == ("warn", "seed")
    assert "没有找到" in finding.message
    assert run_precheck(engineering).can_submit


def test_a_scanned_certificate_cannot_be_compared_and_says_so(engineering, applicant):
    replace_certificate(engineering, applicant, samples.sample_scanned_pdf(1, "竣工验收证明"))
    [finding] = findings(engineering, "form.project_name")
    assert finding.status == "warn" and "扫描件" in finding.message


def test_the_printed_engineering_form_has_exactly_the_official_fields(engineering):
    text = pdf_text(generated_document(engineering, "application_form"))
    flat = "".join(text.split())
    for label in ("建设单位（用户）名称：", "工程地点：", "工程造价（万元）", "工程监理单位"):
        assert label in flat
    assert "竣工验收证明上的工程名称" not in flat
    assert "注：班组类填写班组名称，服务类填写专项服务名称" in flat
    assert "系统会在" not in flat  # our own help text stays on the pages


# --- the cover's 填表日期 ----------------------------------------------------------------------


def test_the_cover_leaves_the_fill_date_blank_in_a_draft(applicant, open_campaign, promoting_body):
    application = create_application(
        applicant, open_campaign, promoting_body, "enterprise", "three"
    )
    text = pdf_text(generated_document(application, "cover"))
    assert "填表日期" in text and "年" in text
    assert not any(char.isdigit() for char in text.split("填表日期")[1])


def test_the_submitted_cover_carries_the_submission_date(applicant, open_campaign, promoting_body):
    application = create_application(
        applicant, open_campaign, promoting_body, "enterprise", "three"
    )
    application = fill_complete(application, applicant)
    version = services.application_submit(actor=applicant, application=application)
    application.refresh_from_db()
    day = version.submitted_at.astimezone().date()
    text = "".join(pdf_text(generated_document(application, "cover")).split())
    assert f"{day.year}年{day.month}月{day.day}日" in text


# --- 企业类型 -------------------------------------------------------------------------------


def test_the_enterprise_type_comes_from_the_registered_name(applicant):
    organisation = applicant.organisation
    assert organisation.enterprise_type == "有限责任公司"
    assert organisation.org_category == "企业"
    assert not organisation.enterprise_type_chosen


def test_the_applicant_picks_the_enterprise_type_when_it_is_not_known(client, applicant):
    from manyi.web.accounts.models import Organisation

    organisation = applicant.organisation
    Organisation.objects.filter(pk=organisation.pk).update(name="福州测试厂", enterprise_type="")
    client.force_login(applicant)
    edit = reverse("accounts:my_organisation_edit")
    page = client.get(edit).content.decode()
    assert "股份合作制企业" in page  # the pick-list
    response = client.post(
        edit,
        {
            "name": "福州测试厂",
            "industry_code": "34",
            "employees": "500",
            "revenue": "30000",
            "assets": "20000",
            "address": "福建省福州市",
            "enterprise_type": "全民所有制企业",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.enterprise_type == "全民所有制企业"
    assert organisation.enterprise_type_chosen
