"""Single-line fields refuse control characters; mail goes out after commit, and a mail failure
is logged and retried, never a 500 after the change is saved."""

from __future__ import annotations

from decimal import Decimal
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from manyi.web.accounts.forms import PromotingBodyForm
from manyi.web.accounts.models import Organisation
from manyi.web.accounts.services import ProfileFigures, organisation_register
from manyi.web.audit.models import Notification
from manyi.web.audit.tasks import deliver_due
from manyi.web.campaigns.forms import CampaignForm
from manyi.web.publicity.forms import ObjectionForm
from manyi.web.review.forms import ExpertAccountForm
from manyi.web.validators import validate_single_line
from tests.web.conftest import CODE_WITH_BAD_CHECK, registration_data

pytestmark = pytest.mark.django_db

BROKEN_NAMES = ["福州\r\n测试有限公司", "福州\n测试", "名称\t制表", "名称\x00", "名称\u2028分行"]


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise SMTPException("邮件服务器拒绝连接")


@pytest.mark.parametrize("name", BROKEN_NAMES)
def test_registration_refuses_a_name_with_control_characters(client, name):
    response = client.post(reverse("accounts:register"), registration_data(name=name))
    assert response.status_code == 200
    assert "不能包含换行、制表符等控制字符" in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("form", "data", "field"),
    [
        (PromotingBodyForm, {"name": "协\r\n会", "region": "福建省", "kind": "regional"}, "name"),
        (CampaignForm, {"title": "2025\n年度"}, "title"),
        (ExpertAccountForm, {"full_name": "张\n三", "username": "z", "password": "x"}, "full_name"),
    ],
)
def test_every_apps_single_line_fields_refuse_control_characters(form, data, field):
    bound = form(data)
    bound.is_valid()
    assert field in bound.errors
    assert any("控制字符" in message for message in bound.errors[field])


def test_a_multi_line_field_keeps_its_line_breaks():
    form = ObjectionForm({"content": "第一行\r\n第二行", "name": "张\n三"}, rows=[])
    form.is_valid()
    assert "content" not in form.errors and "name" in form.errors


def test_plain_chinese_text_passes():
    validate_single_line("福州测试制造有限公司（一期）·A-1")


def test_a_mail_failure_after_a_state_change_is_not_a_500_and_is_retried(
    client, settings, secretariat, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:register"), registration_data(credit_code=CODE_WITH_BAD_CHECK)
        )
    assert response.status_code == 302
    assert Organisation.objects.filter(credit_code=CODE_WITH_BAD_CHECK).exists()
    notice = Notification.objects.get(recipient=secretariat)
    assert notice.mailed_at is None and notice.attempts == 1
    assert "邮件服务器拒绝连接" in notice.last_error and notice.next_attempt_at is not None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=notice.pk).update(next_attempt_at=None)
    assert deliver_due() == 1
    notice.refresh_from_db()
    assert notice.mailed_at is not None and notice.attempts == 2 and not notice.last_error
    assert len(mail.outbox) == 1


def test_retries_stop_after_the_configured_attempts(settings, secretariat):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    settings.MANYI_MAIL_ATTEMPTS = 2
    notice = Notification.objects.create(recipient=secretariat, subject="s", body="b")
    for _ in range(4):
        Notification.objects.filter(pk=notice.pk).update(next_attempt_at=None)
        deliver_due()
    notice.refresh_from_db()
    assert notice.attempts == 2 and notice.mailed_at is None


def test_a_name_with_a_line_break_from_elsewhere_still_mails_a_one_line_subject(
    secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation_register(
            credit_code=CODE_WITH_BAD_CHECK,
            name="福州\r\nBcc: x@example.cn",
            figures=ProfileFigures(
                "34", employees=500, revenue=Decimal("30000"), assets=Decimal("20000")
            ),
            username="lin",
            password="Zq8-long-enough-pass",
            full_name="林",
            email="lin@example.cn",
        )
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject and "\r" not in mail.outbox[0].subject
