"""推进机构: recommend with an opinion or return with reasons; only its own applications."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from manyi.web.applications.lifecycle import IllegalTransition, transition
from manyi.web.applications.models import ApplicationState as S
from manyi.web.audit.models import AuditEntry
from manyi.web.review import services
from manyi.web.review.models import Recommendation

pytestmark = pytest.mark.django_db


def test_a_promoter_recommends_with_an_opinion(submitted, promoter):
    recommendation = services.application_recommend(
        actor=promoter, application=submitted, opinion="该单位用户满意经营实践扎实，同意推荐。"
    )
    submitted.refresh_from_db()
    assert submitted.state == S.RECOMMENDED
    assert recommendation.decision == Recommendation.Decision.RECOMMEND
    assert recommendation.version == 1
    assert recommendation.promoting_body == submitted.promoting_body
    entry = AuditEntry.objects.filter(action="application.recommend").get()
    assert entry.new_values["note"] == "该单位用户满意经营实践扎实，同意推荐。"


def test_a_promoter_returns_with_reasons_and_the_applicant_may_edit_again(submitted, promoter):
    services.application_promoter_return(
        actor=promoter, application=submitted, reasons="推进机构名称填写有误。"
    )
    submitted.refresh_from_db()
    assert submitted.state == S.RETURNED_BY_PROMOTER
    assert submitted.is_editable
    assert submitted.recommendations.get().opinion == "推进机构名称填写有误。"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (services.application_recommend, {"opinion": "  "}),
        (services.application_promoter_return, {"reasons": ""}),
    ],
)
def test_an_opinion_or_reasons_are_required(call, field, submitted, promoter):
    with pytest.raises(ValidationError):
        call(actor=promoter, application=submitted, **field)
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED
    assert not Recommendation.objects.exists()


def test_recommending_twice_is_an_illegal_transition(submitted, promoter, second_promoter):
    services.application_recommend(actor=promoter, application=submitted, opinion="同意推荐。")
    with pytest.raises(IllegalTransition):
        services.application_recommend(
            actor=second_promoter, application=submitted, opinion="同意。"
        )
    with pytest.raises(IllegalTransition):
        services.application_promoter_return(
            actor=second_promoter, application=submitted, reasons="退回。"
        )
    assert Recommendation.objects.count() == 1


def test_moves_out_of_order_are_illegal(submitted, secretariat, promoter):
    for action in ("accept", "return_for_revision", "decide", "publicise", "lapse"):
        with pytest.raises(IllegalTransition):
            transition(actor=secretariat, application=submitted, action=action)
    with pytest.raises(IllegalTransition):
        transition(actor=promoter, application=submitted, action="no_such_move")


def test_a_promoter_of_another_body_cannot_recommend(submitted, foreign_promoter):
    with pytest.raises(PermissionDenied):
        services.application_recommend(
            actor=foreign_promoter, application=submitted, opinion="同意推荐。"
        )


def test_the_queue_lists_submitted_applications_of_the_own_body_only(
    client, submitted, promoter, foreign_promoter, make_in_state, other_applicant
):
    draft = make_in_state(other_applicant, S.DRAFT)
    client.force_login(promoter)
    page = client.get(reverse("review:promoter_queue"))
    assert page.status_code == 200
    assert list(page.context["pending"]) == [submitted]
    assert draft not in page.context["handled"]
    client.force_login(foreign_promoter)
    page = client.get(reverse("review:promoter_queue"))
    assert list(page.context["pending"]) == []


def test_recommending_through_the_page(client, submitted, promoter):
    client.force_login(promoter)
    url = reverse("review:promoter", args=[submitted.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("review:recommend", args=[submitted.pk]), {"opinion": "同意推荐。"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == S.RECOMMENDED


def test_returning_without_reasons_shows_the_error(client, submitted, promoter):
    client.force_login(promoter)
    response = client.post(reverse("review:promoter_return", args=[submitted.pk]), {})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED


@pytest.mark.parametrize("who", ["foreign_promoter", "applicant", "secretariat"])
def test_others_cannot_use_the_promoter_pages(client, request, who, submitted):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("review:promoter", args=[submitted.pk])).status_code == 403
    response = client.post(reverse("review:recommend", args=[submitted.pk]), {"opinion": "x"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == S.SUBMITTED
