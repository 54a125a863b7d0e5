"""Formal review: itemised findings, one notice with a deadline; the corrected resubmission
comes back to the secretariat, which verifies or waives each finding before accepting."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from manyi.web.applications import services as application_services
from manyi.web.applications.lifecycle import IllegalTransition
from manyi.web.applications.models import ApplicationState as S
from manyi.web.audit.models import Notification
from manyi.web.review import services
from manyi.web.review.models import FindingStatus, FormalFinding

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def recommended(submitted, promoter):
    services.application_recommend(actor=promoter, application=submitted, opinion="同意推荐。")
    submitted.refresh_from_db()
    return submitted


def add_findings(application, secretariat):
    return [
        services.finding_add(
            actor=secretariat,
            application=application,
            target_kind="field",
            target_key="satisfaction_score",
            text="满意度得分与第三方报告不一致，请核对。",
        ),
        services.finding_add(
            actor=secretariat,
            application=application,
            target_kind="material",
            target_key="business_licence",
            text="营业执照复印件不清晰，请重新扫描。",
        ),
        services.finding_add(
            actor=secretariat,
            application=application,
            target_kind="general",
            target_key="ignored",
            text="申报书请按装订顺序整理。",
        ),
    ]


def test_findings_are_tied_to_a_field_a_material_or_the_whole(recommended, secretariat):
    field, material, general = add_findings(recommended, secretariat)
    assert (field.target_label, field.version) == ("满意度（百分制得分）", 1)
    assert material.target_label == "有效期内年检合格营业执照复印件"
    assert (general.target_key, general.target_label) == ("", "总体")
    assert all(f.status == FindingStatus.OPEN and f.sent_at is None for f in (field, material))


def test_a_finding_must_name_a_field_or_material_of_this_application(recommended, secretariat):
    with pytest.raises(ValidationError):
        services.finding_add(
            actor=secretariat,
            application=recommended,
            target_kind="material",
            target_key="report_video",  # a 五星 material; this is a 三星 application
            text="视频过长。",
        )
    with pytest.raises(ValidationError):
        services.finding_add(
            actor=secretariat,
            application=recommended,
            target_kind="field",
            target_key="satisfaction_score",
            text=" ",
        )


def test_findings_are_only_added_during_the_formal_review(submitted, secretariat):
    with pytest.raises(ValidationError):
        add_findings(submitted, secretariat)


def test_a_return_sends_every_finding_at_once_with_the_default_deadline(
    recommended, secretariat, applicant
):
    findings = add_findings(recommended, secretariat)
    services.application_return_for_revision(actor=secretariat, application=recommended)
    recommended.refresh_from_db()
    assert recommended.state == S.RETURNED
    assert recommended.revision_deadline == TODAY() + datetime.timedelta(days=15)
    notices = Notification.objects.filter(recipient=applicant)
    notice = notices.latest("id")
    assert notices.filter(subject=notice.subject, created_at__gte=notice.created_at).count() == 1
    for finding in findings:
        assert finding.text in notice.body
    assert "请于" in notice.body and "3 条意见" in notice.body
    assert not FormalFinding.objects.filter(sent_at=None).exists()


def test_the_deadline_can_be_set_but_not_in_the_past(recommended, secretariat):
    add_findings(recommended, secretariat)
    with pytest.raises(ValidationError):
        services.application_return_for_revision(
            actor=secretariat, application=recommended, deadline=TODAY()
        )
    deadline = TODAY() + datetime.timedelta(days=30)
    services.application_return_for_revision(
        actor=secretariat, application=recommended, deadline=deadline
    )
    recommended.refresh_from_db()
    assert recommended.revision_deadline == deadline


def test_a_return_needs_at_least_one_finding(recommended, secretariat):
    with pytest.raises(ValidationError):
        services.application_return_for_revision(actor=secretariat, application=recommended)


def test_accepting_is_refused_while_findings_are_open(recommended, secretariat):
    finding = add_findings(recommended, secretariat)[0]
    FormalFinding.objects.exclude(pk=finding.pk).update(status=FindingStatus.RESOLVED)
    with pytest.raises(ValidationError):
        services.application_accept(actor=secretariat, application=recommended)
    services.finding_resolve(actor=secretariat, finding=finding)
    services.application_accept(actor=secretariat, application=recommended)
    recommended.refresh_from_db()
    assert recommended.state == S.ACCEPTED


def test_rejecting_needs_a_reason(recommended, secretariat):
    with pytest.raises(ValidationError):
        services.application_reject(actor=secretariat, application=recommended, reason="")
    services.application_reject(
        actor=secretariat, application=recommended, reason="不属于本年度评价范围。"
    )
    recommended.refresh_from_db()
    assert recommended.state == S.REJECTED
    with pytest.raises(IllegalTransition):
        services.application_accept(actor=secretariat, application=recommended)


def test_the_applicant_sees_each_finding_open_until_the_resubmission(
    client, recommended, secretariat, applicant
):
    add_findings(recommended, secretariat)
    url = reverse("review:findings", args=[recommended.pk])
    client.force_login(applicant)
    assert client.get(url).context["findings"].count() == 0  # not told yet
    services.application_return_for_revision(actor=secretariat, application=recommended)
    page = client.get(url)
    assert page.status_code == 200
    assert [f.status for f in page.context["findings"]] == [FindingStatus.OPEN] * 3
    assert "营业执照复印件不清晰" in page.content.decode()
    assert 'data-testid="revision-deadline"' in page.content.decode()

    application_services.application_submit(actor=applicant, application=recommended)
    statuses = {f.status for f in client.get(url).context["findings"]}
    assert statuses == {FindingStatus.RESUBMITTED}
    recommended.refresh_from_db()
    assert recommended.versions.count() == 2


@pytest.fixture
def resubmitted(recommended, secretariat, applicant):
    add_findings(recommended, secretariat)
    services.application_return_for_revision(actor=secretariat, application=recommended)
    application_services.application_submit(actor=applicant, application=recommended)
    recommended.refresh_from_db()
    return recommended


def test_a_resubmission_after_a_formal_return_goes_back_to_the_formal_review(
    client, resubmitted, promoter, secretariat
):
    assert resubmitted.state == S.RECOMMENDED
    client.force_login(secretariat)
    assert resubmitted in client.get(reverse("review:formal_queue")).context["pending"]
    client.force_login(promoter)
    queue = client.get(reverse("review:promoter_queue")).context
    assert resubmitted not in queue["pending"] and resubmitted in queue["handled"]


def test_a_resubmission_after_the_promoters_return_goes_back_to_the_promoter(
    submitted, promoter, applicant
):
    services.application_promoter_return(
        actor=promoter, application=submitted, reasons="请补充推荐材料。"
    )
    application_services.application_submit(actor=applicant, application=submitted)
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED


def test_accepting_needs_every_resubmitted_finding_verified_or_waived(resubmitted, secretariat):
    field, material, general = FormalFinding.objects.filter(application=resubmitted)
    assert {f.status for f in (field, material, general)} == {FindingStatus.RESUBMITTED}
    with pytest.raises(ValidationError, match="3 条已重新提交、待核实"):
        services.application_accept(actor=secretariat, application=resubmitted)
    services.finding_resolve(actor=secretariat, finding=field)
    services.finding_waive(actor=secretariat, finding=material, note="原件已当面核对。")
    with pytest.raises(ValidationError, match="1 条已重新提交、待核实"):
        services.application_accept(actor=secretariat, application=resubmitted)
    services.finding_resolve(actor=secretariat, finding=general, note="已按顺序整理。")
    services.application_accept(actor=secretariat, application=resubmitted)
    resubmitted.refresh_from_db()
    assert resubmitted.state == S.ACCEPTED
    material.refresh_from_db()
    assert (material.status, material.resolution_note) == (FindingStatus.WAIVED, "原件已当面核对。")
    assert material.resolved_by == secretariat


def test_waiving_a_finding_needs_a_note(resubmitted, secretariat):
    finding = FormalFinding.objects.filter(application=resubmitted).first()
    with pytest.raises(ValidationError):
        services.finding_waive(actor=secretariat, finding=finding, note="  ")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RESUBMITTED


def test_the_formal_review_shows_each_earlier_finding_beside_what_changed(
    client, recommended, secretariat, applicant
):
    add_findings(recommended, secretariat)
    services.application_return_for_revision(actor=secretariat, application=recommended)
    application_services.application_save_form(
        actor=applicant, application=recommended, raw_values={"satisfaction_score": "86.5"}
    )
    application_services.application_submit(actor=applicant, application=recommended)
    client.force_login(secretariat)
    page = client.get(reverse("review:formal_review", args=[recommended.pk]))
    rows = {row.finding.target_key: row for row in page.context["finding_rows"]}
    assert [c.new for c in rows["satisfaction_score"].fields] == ["86.5"]
    assert rows["business_licence"].unchanged
    html = page.content.decode()
    assert "86.5" in html and "未修改" in html


def test_other_organisations_cannot_read_the_findings(
    client, recommended, other_applicant, foreign_promoter
):
    url = reverse("review:findings", args=[recommended.pk])
    for user in (other_applicant, foreign_promoter):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_secretariat_reviews_through_the_pages(client, recommended, secretariat):
    client.force_login(secretariat)
    assert recommended in client.get(reverse("review:formal_queue")).context["pending"]
    page = client.get(reverse("review:formal_review", args=[recommended.pk]))
    assert page.status_code == 200
    assert "自动检查结果" in page.content.decode()
    response = client.post(
        reverse("review:finding_add", args=[recommended.pk]),
        {"target": "material:business_licence", "text": "请补充盖章。"},
    )
    assert response.status_code == 302
    deadline = TODAY() + datetime.timedelta(days=20)
    response = client.post(
        reverse("review:return", args=[recommended.pk]), {"deadline": deadline.isoformat()}
    )
    assert response.status_code == 302
    recommended.refresh_from_db()
    assert (recommended.state, recommended.revision_deadline) == (S.RETURNED, deadline)


@pytest.mark.parametrize("who", ["applicant", "promoter"])
def test_only_the_secretariat_opens_the_formal_review(client, request, who, recommended):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("review:formal_queue")).status_code == 403
    assert client.get(reverse("review:formal_review", args=[recommended.pk])).status_code == 403
    assert client.post(reverse("review:accept", args=[recommended.pk])).status_code == 403
