"""Registering an applicant organisation through the web form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from manyi.web.accounts.models import Organisation, Role, User
from manyi.web.audit.models import AuditEntry, Notification
from tests.web.conftest import CODE_WITH_BAD_CHECK, registration_data

pytestmark = pytest.mark.django_db


def test_registration_page_is_chinese(client):
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 200
    assert "统一社会信用代码" in response.content.decode()


def test_a_valid_registration_creates_the_organisation_and_logs_the_user_in(client):
    response = client.post(reverse("accounts:register"), registration_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:dashboard")
    organisation = Organisation.objects.get()
    assert organisation.credit_code == "91350100M000100Y43"  # spaces stripped, upper-cased
    assert organisation.authority == "工商"
    assert organisation.org_category == "企业"
    assert organisation.province == "福建省"
    assert organisation.city == "福州市"
    assert organisation.industry_section == "C"
    assert organisation.size_class == "中型"
    user = User.objects.get(username="lin")
    assert user.role == Role.APPLICANT and user.organisation == organisation
    assert response.context["user"] == user
    assert "福州测试制造有限公司" in response.content.decode()
    assert AuditEntry.objects.filter(action="organisation.register").count() == 1


def test_a_second_registration_of_the_same_code_is_refused_with_a_clear_message(client, applicant):
    response = client.post(reverse("accounts:register"), registration_data(username="other"))
    assert response.status_code == 200
    errors = response.context["form"].errors["credit_code"]
    assert "91350100M000100Y43 已经注册" in errors[0] and "秘书处" in errors[0]
    assert Organisation.objects.count() == 1
    assert not User.objects.filter(username="other").exists()


def test_the_duplicate_registration_message_does_not_name_the_organisation(
    client, applicant, settings
):
    settings.MANYI_SECRETARIAT_CONTACT = "010-12345678"
    response = client.post(
        reverse("accounts:register"), registration_data(username="other", name="别的名字")
    )
    html = response.content.decode()
    assert "福州测试制造有限公司" not in html
    assert "秘书处（010-12345678）" in " ".join(response.context["form"].errors["credit_code"])


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y4", "18"),
        ("91350100M000100YO3", "O"),
        ("", "必填"),
    ],
)
def test_a_malformed_code_is_refused_and_nothing_is_stored(client, code, fragment):
    response = client.post(reverse("accounts:register"), registration_data(credit_code=code))
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["credit_code"])
    assert fragment in message
    assert not Organisation.objects.exists() and not User.objects.exists()


def test_a_failed_check_character_registers_with_a_warning_for_the_secretariat(client, secretariat):
    response = client.post(
        reverse("accounts:register"),
        registration_data(
            credit_code=CODE_WITH_BAD_CHECK, industry_code="61", employees="120", revenue="3000"
        ),
        follow=True,
    )
    organisation = Organisation.objects.get()
    assert organisation.check_char_pending
    assert "校验码不符" in response.content.decode()
    assert Notification.objects.filter(recipient=secretariat).count() == 1


def test_password_mismatch_and_bad_phone_are_reported_per_field(client):
    response = client.post(
        reverse("accounts:register"),
        registration_data(password2="something-else-123", phone="12345"),
    )
    errors = response.context["form"].errors
    assert "两次输入的密码不一致" in errors["password2"][0]
    assert "手机" in errors["phone"][0]


def test_a_missing_size_indicator_is_reported_on_its_field(client):
    response = client.post(
        reverse("accounts:register"),
        registration_data(industry_code="47", revenue="5000", assets=""),
    )
    assert response.status_code == 200
    assert "资产总额" in str(response.context["form"].errors)
    assert not Organisation.objects.exists()


def test_unclassified_industry_is_registered_and_says_so(client):
    client.post(reverse("accounts:register"), registration_data(industry_code="66"))
    organisation = Organisation.objects.get()
    assert organisation.size_class == "未划型"
    assert "金融" in organisation.size_rule


def test_credit_code_preview_returns_the_derivation(client):
    response = client.get(reverse("accounts:creditcode"), {"code": "51610700305332460K"})
    data = response.json()
    assert data["valid"] is True
    assert data["authority"] == "民政"
    assert data["category"] == "社会团体"
