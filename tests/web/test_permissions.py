"""Who may see and change what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from manyi.web.accounts.models import Organisation, PromotingBody, Role
from manyi.web.accounts.permissions import Perm, has_perm
from manyi.web.accounts.services import (
    ProfileFigures,
    organisation_accept_check_char,
    organisation_register,
    organisation_update_profile,
    promoting_body_save,
    staff_user_create,
)
from manyi.web.audit.models import AuditEntry
from tests.web.conftest import CODE_WITH_BAD_CHECK, PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_applicant(db):
    return organisation_register(
        credit_code="91110108551385082Q",
        name="北京其他公司",
        figures=ProfileFigures("65", employees=50, revenue=Decimal("800")),
        username="other",
        password=PASSWORD,
        full_name="王其他",
        email="other@example.cn",
    )


def test_an_applicant_sees_only_its_own_organisation(client, applicant, other_applicant):
    client.force_login(applicant)
    assert client.get(reverse("accounts:my_organisation")).status_code == 200
    own = reverse("accounts:organisation", args=[applicant.organisation_id])
    foreign = reverse("accounts:organisation", args=[other_applicant.organisation_id])
    assert client.get(own).status_code == 200
    assert client.get(foreign).status_code == 403
    assert client.get(reverse("accounts:organisations")).status_code == 403
    assert client.get(reverse("accounts:promoting_bodies")).status_code == 403
    assert client.get(reverse("campaigns:list")).status_code == 403


def test_the_secretariat_sees_every_organisation(client, secretariat, applicant, other_applicant):
    client.force_login(secretariat)
    page = client.get(reverse("accounts:organisations")).content.decode()
    assert "福州测试制造有限公司" in page and "北京其他公司" in page


def test_roles_grant_permissions_from_one_table(secretariat, applicant, promoting_body):
    promoter = staff_user_create(
        actor=secretariat,
        username="tj",
        password=PASSWORD,
        role=Role.PROMOTER,
        full_name="推进",
        promoting_body=promoting_body,
    )
    expert = staff_user_create(
        actor=secretariat, username="zj", password=PASSWORD, role=Role.EXPERT, full_name="专家"
    )
    assert has_perm(secretariat, Perm.MANAGE_PROMOTING_BODIES)
    assert not has_perm(applicant, Perm.MANAGE_PROMOTING_BODIES)
    assert has_perm(promoter, Perm.VIEW_PROMOTING_BODY, promoting_body)
    assert not has_perm(promoter, Perm.VIEW_ORGANISATION, applicant.organisation)
    assert {perm for perm in Perm if has_perm(expert, perm)} == {
        Perm.VIEW_APPLICATION,
        Perm.SCORE_APPLICATION,
        Perm.DECLARE_CONFLICT,
    }


def test_updating_the_profile_recomputes_the_size_class_and_audits(applicant):
    organisation = organisation_update_profile(
        actor=applicant,
        organisation=applicant.organisation,
        name="福州测试制造有限公司",
        figures=ProfileFigures("34", employees=1500, revenue=Decimal("50000")),
        address="",
    )
    assert organisation.size_class == "大型"
    entry = AuditEntry.objects.filter(action="organisation.update").get()
    assert entry.old_values["size_class"] == "中型"
    assert entry.new_values["size_class"] == "大型"


def test_an_applicant_cannot_change_another_organisation(applicant, other_applicant):
    with pytest.raises(PermissionDenied):
        organisation_update_profile(
            actor=applicant,
            organisation=other_applicant.organisation,
            name="x",
            figures=ProfileFigures("65", employees=1, revenue=Decimal(1)),
            address="",
        )


def test_only_the_secretariat_accepts_a_failed_check_character(client, secretariat):
    user = organisation_register(
        credit_code=CODE_WITH_BAD_CHECK,
        name="厦门试点公司",
        figures=ProfileFigures("61", employees=50, revenue=Decimal("900")),
        username="xm",
        password=PASSWORD,
        full_name="黄",
        email="xm@example.cn",
    )
    organisation = user.organisation
    with pytest.raises(PermissionDenied):
        organisation_accept_check_char(actor=user, organisation=organisation, note="自己放行")
    with pytest.raises(ValidationError):
        organisation_accept_check_char(actor=secretariat, organisation=organisation, note=" ")
    client.force_login(secretariat)
    client.post(
        reverse("accounts:organisation_accept_check_char", args=[organisation.pk]),
        {"note": "已核对营业执照原件"},
    )
    organisation.refresh_from_db()
    assert not organisation.check_char_pending
    assert organisation.check_override_by == secretariat


def test_the_secretariat_keeps_the_promoting_body_list(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("accounts:promoting_body_new"),
        {"name": "浙江省质量协会", "kind": "regional", "region": "浙江省", "is_active": "on"},
    )
    assert response.status_code == 302
    body = PromotingBody.objects.get(name="浙江省质量协会")
    promoting_body_save(actor=secretariat, body=body, is_active=False)
    body.refresh_from_db()
    assert not body.is_active
    assert AuditEntry.objects.filter(target_type="accounts.promotingbody").count() == 2


def test_a_duplicate_promoting_body_name_is_refused(client, secretariat, promoting_body):
    client.force_login(secretariat)
    response = client.post(
        reverse("accounts:promoting_body_new"), {"name": promoting_body.name, "kind": "regional"}
    )
    assert response.status_code == 200
    assert "存在" in str(response.context["form"].errors)
    assert PromotingBody.objects.count() == 1


def test_an_applicant_account_cannot_exist_without_its_organisation(secretariat):
    with pytest.raises(ValidationError):
        staff_user_create(
            actor=secretariat, username="a", password=PASSWORD, role=Role.APPLICANT, full_name="a"
        )
    assert not Organisation.objects.exists()
