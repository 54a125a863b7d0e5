"""Notices speak in words (category and level names), link to the application, and the
certificate notice gives the number and the public verification link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from manyi.web.audit.models import Notification
from manyi.web.review import services

pytestmark = pytest.mark.django_db


def latest_notice(user) -> Notification:
    return Notification.objects.filter(recipient=user).latest("id")


def test_a_notice_names_the_category_and_level_and_links_to_the_application(
    submitted, promoter, applicant
):
    services.application_recommend(actor=promoter, application=submitted, opinion="同意推荐。")
    notice = latest_notice(applicant)
    text = notice.subject + notice.body
    assert "企业类" in text and "用户满意亮诺（三星）级" in text
    assert "enterprise" not in text and "three" not in text
    assert "推荐" in notice.subject and "福州测试制造有限公司" in notice.subject
    assert reverse("applications:overview", args=[submitted.pk]) in notice.body
    assert notice.body.splitlines()[-1].startswith("查看申报：http")


def test_the_certificate_notice_gives_the_number_and_the_verification_link(
    certified_at_a_lower_level, applicant
):
    _application, certificate = certified_at_a_lower_level
    notice = latest_notice(applicant)
    assert "发证" in notice.subject
    assert certificate.number in notice.body
    assert "用户满意亮诺（三星）级" in notice.body
    assert reverse("publicity:certificate_verify", args=[certificate.number]) in notice.body


def test_a_promoting_body_is_not_told_about_drafts_it_never_received(
    make_in_state, applicant, promoter
):
    from manyi.web.applications.lifecycle import transition

    draft = make_in_state(applicant, "draft")
    transition(actor=applicant, application=draft, action="withdraw", note="不再申报。")
    assert not Notification.objects.filter(recipient=promoter).exists()
    assert Notification.objects.filter(recipient=applicant).exists()
