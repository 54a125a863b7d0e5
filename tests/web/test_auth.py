"""Logging in and out, changing and resetting a password."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_the_right_password_opens_the_dashboard(client, applicant):
    response = client.post(
        reverse("accounts:login"), {"username": "applicant", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("core:dashboard")
    assert "福州测试制造有限公司 的工作台" in response.content.decode()


def test_login_with_a_wrong_password_says_so_in_chinese(client, applicant):
    response = client.post(reverse("accounts:login"), {"username": "applicant", "password": "x"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_logout_ends_the_session(client, applicant):
    client.force_login(applicant)
    client.post(reverse("accounts:logout"))
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_password_change_requires_the_old_password(client, applicant):
    client.force_login(applicant)
    new = "Another-long-pass-42"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": new, "new_password2": new},
    )
    assert "旧密码" in str(response.context["form"].errors)
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    applicant.refresh_from_db()
    assert applicant.check_password(new)


def test_password_reset_mails_a_link_that_sets_a_new_password(client, applicant):
    client.post(reverse("accounts:password_reset"), {"email": "applicant@example.cn"})
    assert len(mail.outbox) == 1
    assert "重设密码" in mail.outbox[0].subject
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    new = "Reset-long-pass-77"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    applicant.refresh_from_db()
    assert applicant.check_password(new)


def test_password_reset_for_an_unknown_address_reveals_nothing(client, applicant):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})
    assert response.status_code == 302
    assert mail.outbox == []
