"""Experts: conflicts (detected and declared) block assignment; automatic assignment
balances the load and respects expertise."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from manyi.web.accounts.models import Role
from manyi.web.applications.models import ApplicationState as S
from manyi.web.review import services
from manyi.web.review.models import (
    AssignmentMethod,
    ConflictDeclaration,
    ExpertAssignment,
    ExpertProfile,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(make_in_state, applicant):
    """福州测试制造有限公司 (section C), 企业类, recommended by 福建省质量管理协会."""
    return make_in_state(applicant, S.ACCEPTED)


def assign(secretariat, application, profile, **kwargs):
    return services.expert_assign(
        actor=secretariat, application=application, expert=profile.user, **kwargs
    )


def test_an_expert_of_the_applicant_organisation_cannot_be_assigned(
    accepted, secretariat, make_expert
):
    colleague = make_expert("colleague", organisation_name=" 福州测试制造有限公司 ")
    with pytest.raises(ValidationError, match="工作单位与申报单位相同"):
        assign(secretariat, accepted, colleague)
    assert not ExpertAssignment.objects.exists()


def test_an_expert_of_the_same_promoting_body_cannot_be_assigned(
    accepted, secretariat, make_expert, promoting_body
):
    member = make_expert("member", promoting_body=promoting_body)
    with pytest.raises(ValidationError, match="同一推进机构"):
        assign(secretariat, accepted, member)


def test_a_declared_relationship_blocks_the_assignment(accepted, secretariat, make_expert):
    consultant = make_expert("consultant")
    services.conflict_declare(
        actor=consultant.user, organisation=accepted.organisation, reason="近三年为其提供咨询。"
    )
    with pytest.raises(ValidationError, match="声明"):
        assign(secretariat, accepted, consultant)


def test_a_conflicted_expert_is_never_chosen_automatically(
    accepted, secretariat, make_expert, promoting_body
):
    make_expert("colleague", organisation_name="福州测试制造有限公司")
    make_expert("member", promoting_body=promoting_body)
    free = [make_expert(f"free{n}") for n in range(3)]
    result = services.auto_assign(accepted, actor=secretariat)
    assert {a.expert for a in result.assigned} == {p.user for p in free}


def test_a_category_gap_is_refused_unless_the_secretariat_insists(
    accepted, secretariat, make_expert
):
    engineer = make_expert("engineer", categories=["engineering"])
    with pytest.raises(ValidationError, match="擅长类别"):
        assign(secretariat, accepted, engineer)
    assignment = assign(secretariat, accepted, engineer, allow_expertise_gap=True)
    assert "类别不匹配" in assignment.note


def test_the_nth_expert_starts_the_expert_review(accepted, secretariat, three_experts, make_expert):
    for expert in three_experts:
        services.expert_assign(actor=secretariat, application=accepted, expert=expert)
    accepted.refresh_from_db()
    assert accepted.state == S.EXPERT_REVIEW
    with pytest.raises(ValidationError, match="已分配 3 位"):
        assign(secretariat, accepted, make_expert("fourth"))


def test_auto_assignment_takes_the_least_loaded_experts_first(
    make_in_state, applicant, other_applicant, secretariat, make_expert
):
    busy = make_expert("busy")
    idle = [make_expert(f"idle{n}") for n in range(3)]
    earlier = make_in_state(other_applicant, S.ACCEPTED)
    assign(secretariat, earlier, busy)
    application = make_in_state(applicant, S.ACCEPTED)
    result = services.auto_assign(application, actor=secretariat)
    assert {a.expert for a in result.assigned} == {p.user for p in idle}
    assert {a.method for a in result.assigned} == {AssignmentMethod.AUTO}
    application.refresh_from_db()
    assert application.state == S.EXPERT_REVIEW


def test_loads_even_out_over_several_applications(
    make_in_state, applicant, secretariat, make_expert
):
    experts = [make_expert(f"zj{n}") for n in range(6)]
    for n in range(4):
        application = make_in_state(applicant, S.ACCEPTED, "service", project_name=f"服务{n}")
        services.auto_assign(application, actor=secretariat)
    loads = [ExpertAssignment.objects.filter(expert=p.user).count() for p in experts]
    assert sorted(loads) == [2, 2, 2, 2, 2, 2]


def test_auto_assignment_requires_the_category_and_prefers_the_industry(
    accepted, secretariat, make_expert
):
    make_expert("product_only", categories=["product"])
    manufacturing = make_expert("manufacturing", categories=["enterprise"], industries=["C"])
    others = [make_expert(f"general{n}", categories=["enterprise"]) for n in range(3)]
    result = services.auto_assign(accepted, actor=secretariat)
    chosen = [a.expert for a in result.assigned]
    assert chosen[0] == manufacturing.user
    assert len(chosen) == 3 and set(chosen[1:]) <= {p.user for p in others}


def test_auto_assignment_reports_how_many_experts_are_missing(accepted, secretariat, make_expert):
    make_expert("only")
    result = services.auto_assign(accepted, actor=secretariat)
    assert (len(result.assigned), result.missing) == (1, 2)
    accepted.refresh_from_db()
    assert accepted.state == S.ACCEPTED


def test_experts_are_assigned_only_after_acceptance(
    make_in_state, applicant, secretariat, make_expert
):
    application = make_in_state(applicant, S.RECOMMENDED)
    with pytest.raises(ValidationError):
        assign(secretariat, application, make_expert("early"))


def test_an_expert_declares_conflicts_on_their_own_page(client, make_expert, applicant):
    expert = make_expert("zhang").user
    client.force_login(expert)
    url = reverse("review:my_conflicts")
    assert client.get(url).status_code == 200
    response = client.post(url, {"organisation": "不存在的公司", "reason": "亲属"})
    assert "未找到该单位" in response.content.decode()
    code = applicant.organisation.credit_code
    response = client.post(url, {"organisation": code.lower(), "reason": "配偶在该单位任职。"})
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get(expert=expert)
    assert declaration.organisation == applicant.organisation


def test_the_secretariat_keeps_the_pool_and_assigns_on_the_pages(
    client, secretariat, accepted, password
):
    client.force_login(secretariat)
    assert client.get(reverse("review:experts")).status_code == 200
    response = client.post(
        reverse("review:expert_create"),
        {
            "full_name": "李专家",
            "username": "li",
            "password": password,
            "categories": ["enterprise"],
            "industries": ["C"],
            "organisation_name": "某大学",
            "region": "上海市",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    expert = ExpertProfile.objects.get(user__username="li")
    assert (expert.user.role, expert.categories, expert.industries) == (
        Role.EXPERT,
        ["enterprise"],
        ["C"],
    )
    page = client.get(reverse("review:application_experts", args=[accepted.pk]))
    assert page.status_code == 200
    response = client.post(reverse("review:assign", args=[accepted.pk]), {"expert": expert.user_id})
    assert response.status_code == 302
    assert accepted.expert_assignments.get().expert == expert.user


@pytest.mark.parametrize("who", ["applicant", "promoter"])
def test_others_cannot_manage_experts(client, request, who, accepted, make_expert):
    make_expert("x")
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("review:experts")).status_code == 403
    assert client.get(reverse("review:application_experts", args=[accepted.pk])).status_code == 403
    assert client.post(reverse("review:auto_assign", args=[accepted.pk])).status_code == 403
    assert not ExpertAssignment.objects.exists()


def test_an_inactive_expert_is_neither_listed_nor_assigned(accepted, secretariat, make_expert):
    retired = make_expert("retired")
    services.expert_update(actor=secretariat, expert=retired, is_active=False)
    assert not services.auto_assign(accepted, actor=secretariat).assigned
    with pytest.raises(ValidationError, match="不可分配"):
        assign(secretariat, accepted, retired)


def test_the_same_promoting_body_is_allowed_when_the_scheme_says_so(
    monkeypatch, accepted, secretariat, make_expert, promoting_body
):
    from manyi.web.review import selectors

    scheme = selectors.scheme_for(accepted)
    relaxed = scheme.model_copy(
        update={"review": scheme.review.model_copy(update={"conflict_same_promoting_body": False})}
    )
    monkeypatch.setattr(selectors, "scheme_for", lambda application: relaxed)
    member = make_expert("member", promoting_body=promoting_body)
    assert assign(secretariat, accepted, member).expert == member.user
