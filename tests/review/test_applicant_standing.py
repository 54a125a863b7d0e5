"""The applicant reads where the application stands: the open findings and the deadline when
returned, the 公示 when publicised, the awarded level and the certificate when certified."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from manyi.web.applications.models import ApplicationState as S
from manyi.web.publicity.services import publication_open
from manyi.web.review import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(submitted, promoter, secretariat):
    services.application_recommend(actor=promoter, application=submitted, opinion="同意推荐。")
    for kind, key, text in (
        ("field", "contact_department", "部门请写具体名称。"),
        ("material", "business_licence", "营业执照复印件不清晰，请重新扫描。"),
    ):
        services.finding_add(
            actor=secretariat, application=submitted, target_kind=kind, target_key=key, text=text
        )
    deadline = timezone.localdate() + datetime.timedelta(days=12)
    services.application_return_for_revision(
        actor=secretariat, application=submitted, deadline=deadline
    )
    submitted.refresh_from_db()
    return submitted


def overview(client, user, application):
    client.force_login(user)
    return client.get(reverse("applications:overview", args=[application.pk]))


def test_a_returned_application_shows_its_findings_and_deadline_on_the_overview(
    client, returned, applicant
):
    page = overview(client, applicant, returned)
    standing = page.context["standing"]
    assert [f.target_key for f in standing.findings] == ["contact_department", "business_licence"]
    html = page.content.decode()
    day = returned.revision_deadline
    assert f"{day.year}年{day.month}月{day.day}日" in html
    assert "部门请写具体名称。" in html and "营业执照复印件不清晰" in html
    assert "#field-contact_department" in html and "#material-business_licence" in html


def test_a_returned_application_is_not_complete_and_its_steps_read_awaiting_revision(
    client, returned, applicant
):
    page = overview(client, applicant, returned)
    assert page.context["completeness"] < 100
    states = {step.key: step.state_label for step in page.context["steps"]}
    assert states["form"] == "待补正" and states["proofs"] == "待补正"
    assert states["cover"] == "已完成"


def test_the_dashboard_shows_a_returned_applications_deadline(client, returned, applicant):
    client.force_login(applicant)
    html = client.get(reverse("core:dashboard")).content.decode()
    day = returned.revision_deadline
    assert f"请于 {day.year}年{day.month}月{day.day}日 前" in html
    assert "2 条待补正意见" in html


def test_a_certified_application_shows_the_awarded_level_and_its_certificate(
    client, certified_at_a_lower_level, applicant
):
    application, certificate = certified_at_a_lower_level
    assert application.state == S.CERTIFIED
    html = overview(client, applicant, application).content.decode()
    assert "申请等级：用户满意（四星）级" in html
    assert "授予等级：用户满意亮诺（三星）级" in html
    assert certificate.number in html
    assert reverse("publicity:certificate_pdf", args=[certificate.number]) in html
    assert reverse("publicity:certificate_verify", args=[certificate.number]) in html


def test_the_dashboard_shows_the_certificate_number_and_verification_link(
    client, certified_at_a_lower_level, applicant
):
    _application, certificate = certified_at_a_lower_level
    client.force_login(applicant)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert f"证书编号 {certificate.number}" in html and "用户满意亮诺（三星）级" in html
    assert reverse("publicity:certificate_verify", args=[certificate.number]) in html


def test_a_publicised_application_links_its_public_notice(
    client, scored, secretariat, open_campaign, applicant
):
    application = scored([80, 82, 84])
    services.levels_decide(actor=secretariat, decisions={application.pk: "three"})
    publication = publication_open(
        actor=secretariat, campaign=open_campaign, applications=[application]
    )
    page = overview(client, applicant, application)
    assert page.context["standing"].publication == publication
    html = page.content.decode()
    assert reverse("publicity:detail", args=[publication.pk]) in html
    assert "公示中" in html and "拟授予用户满意亮诺（三星）级" in html
