"""Every review page renders for the role it serves, with the navigation that role needs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from manyi.web.applications.models import ApplicationState as S
from manyi.web.review.models import ExpertProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_year(scored, make_in_state, applicant, other_applicant, secretariat, make_expert):
    """Applications in review, scored and waiting for experts."""
    return {
        "scored": scored([70, 80, 99], level="four"),
        "accepted": make_in_state(other_applicant, S.ACCEPTED),
        "recommended": make_in_state(applicant, S.RECOMMENDED, "team"),
        "returned": make_in_state(other_applicant, S.RETURNED, "team"),
    }


def test_the_secretariat_pages(client, secretariat, busy_year):
    client.force_login(secretariat)
    expert = ExpertProfile.objects.first()
    urls = [
        reverse("review:formal_queue"),
        reverse("review:formal_review", args=[busy_year["recommended"].pk]),
        reverse("review:expert_review_queue"),
        reverse("review:application_experts", args=[busy_year["accepted"].pk]),
        reverse("review:application_experts", args=[busy_year["scored"].pk]),
        reverse("review:experts"),
        reverse("review:expert_create"),
        reverse("review:expert_edit", args=[expert.pk]),
        reverse("review:decisions"),
        reverse("review:publicise"),
        reverse("review:exports"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        labels = [item["label"] for item in response.context["review_nav"]]
        assert labels == ["形式审查", "专家评审", "专家库", "等级拟定", "公示", "导出"]


def test_the_expert_review_queue_flags_a_wide_spread(client, secretariat, busy_year):
    client.force_login(secretariat)
    page = client.get(reverse("review:expert_review_queue"))
    assert busy_year["accepted"] in [a for a, _summary in page.context["rows"]]
    page = client.get(reverse("review:decisions")).content.decode()
    assert "⚑" in page  # 70 … 99 is wider than the 15 points the scheme allows


def test_an_expert_has_only_their_own_pages(client, three_experts):
    client.force_login(three_experts[0])
    response = client.get(reverse("review:my_assignments"))
    labels = [item["label"] for item in response.context["review_nav"]]
    assert labels == ["我的评审", "利益冲突声明"]
    for name in ("formal_queue", "experts", "decisions", "exports", "promoter_queue"):
        assert client.get(reverse(f"review:{name}")).status_code == 403, name


def test_an_applicant_has_no_review_pages(client, applicant):
    client.force_login(applicant)
    for name in ("promoter_queue", "formal_queue", "my_assignments", "my_conflicts"):
        assert client.get(reverse(f"review:{name}")).status_code == 403, name
