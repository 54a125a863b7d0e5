"""After the window, with every objection handled, the secretariat publishes the results:
each application is granted its level or refused, through the lifecycle."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from manyi.web.applications.models import ApplicationState
from manyi.web.audit.models import AuditEntry
from manyi.web.publicity.models import ItemResult, Objection
from manyi.web.publicity.services import (
    objection_handle,
    objection_submit,
    publication_open,
    publication_publish,
)
from tests.publicity.conftest import close_window

pytestmark = pytest.mark.django_db


def _object_to(publication, application) -> Objection:
    return objection_submit(
        publication=publication,
        item_id=publication.items.get(application=application).pk,
        name="张三",
        contact="zhangsan@example.com",
        content="申报的满意度数据与第三方报告不一致。",
    )


def _grant_all(publication, *applications) -> dict[int, str]:
    return {application.pk: "grant" for application in applications}


def test_publishing_is_refused_while_the_window_is_open(
    secretariat, publication, enterprise_application, service_application
):
    decisions = _grant_all(publication, enterprise_application, service_application)
    with pytest.raises(ValidationError, match="结束后才能发布结果"):
        publication_publish(actor=secretariat, publication=publication, decisions=decisions)
    enterprise_application.refresh_from_db()
    assert enterprise_application.state == ApplicationState.PUBLICISED


def test_publishing_is_refused_while_an_objection_is_unhandled(
    secretariat, publication, enterprise_application, service_application
):
    _object_to(publication, enterprise_application)
    close_window(publication)
    decisions = _grant_all(publication, enterprise_application, service_application)
    with pytest.raises(ValidationError, match="还有 1 条异议未处理"):
        publication_publish(actor=secretariat, publication=publication, decisions=decisions)
    publication.refresh_from_db()
    assert publication.published_at is None


def test_the_page_explains_why_it_cannot_publish_yet(client, secretariat, publication):
    client.force_login(secretariat)
    page = client.get(reverse("publicity:manage_publication", args=[publication.pk]))
    assert "结束后才能发布结果" in page.content.decode()
    response = client.post(
        reverse("publicity:publish", args=[publication.pk]),
        {f"decision_{item.application_id}": "grant" for item in publication.items.all()},
        follow=True,
    )
    assert "结束后才能发布结果" in response.content.decode()
    assert publication.items.filter(result="").count() == 2


def test_grant_and_refuse_move_each_application_through_the_lifecycle(
    secretariat, publication, enterprise_application, service_application
):
    close_window(publication)
    publication_publish(
        actor=secretariat,
        publication=publication,
        decisions={enterprise_application.pk: "grant", service_application.pk: "refuse"},
    )
    enterprise_application.refresh_from_db()
    service_application.refresh_from_db()
    assert enterprise_application.state == ApplicationState.GRANTED
    assert service_application.state == ApplicationState.NOT_GRANTED
    grant = AuditEntry.objects.get(
        action="application.grant", target_id=str(enterprise_application.pk)
    )
    assert grant.new_values["note"] == "授予用户满意（四星）级"
    assert AuditEntry.objects.filter(
        action="application.refuse", target_id=str(service_application.pk)
    ).exists()
    publication.refresh_from_db()
    assert publication.published_at is not None and publication.published_by == secretariat
    results = dict(publication.items.values_list("application_id", "result"))
    assert results == {
        enterprise_application.pk: ItemResult.GRANTED,
        service_application.pk: ItemResult.REFUSED,
    }


def test_results_are_published_once(
    secretariat, publication, enterprise_application, service_application
):
    close_window(publication)
    decisions = _grant_all(publication, enterprise_application, service_application)
    publication_publish(actor=secretariat, publication=publication, decisions=decisions)
    with pytest.raises(ValidationError, match="已经发布"):
        publication_publish(actor=secretariat, publication=publication, decisions=decisions)


def test_every_application_needs_a_decision(secretariat, publication, enterprise_application):
    close_window(publication)
    with pytest.raises(ValidationError, match="每一项申报"):
        publication_publish(
            actor=secretariat,
            publication=publication,
            decisions={enterprise_application.pk: "grant"},
        )
    enterprise_application.refresh_from_db()
    assert enterprise_application.state == ApplicationState.PUBLICISED


def test_an_upheld_objection_presets_refuse_and_the_secretariat_publishes_from_the_page(
    client, secretariat, publication, enterprise_application, service_application
):
    objection = _object_to(publication, enterprise_application)
    objection_handle(
        actor=secretariat, objection=objection, handling="核实属实。", outcome="upheld"
    )
    close_window(publication)
    client.force_login(secretariat)
    page = client.get(reverse("publicity:manage_publication", args=[publication.pk]))
    form = page.context["form"]
    assert form[f"decision_{enterprise_application.pk}"].initial == "refuse"
    assert form[f"decision_{service_application.pk}"].initial == "grant"
    response = client.post(
        reverse("publicity:publish", args=[publication.pk]),
        {
            f"decision_{enterprise_application.pk}": "refuse",
            f"decision_{service_application.pk}": "grant",
        },
        follow=True,
    )
    assert "公示结果已发布" in response.content.decode()
    enterprise_application.refresh_from_db()
    service_application.refresh_from_db()
    assert enterprise_application.state == ApplicationState.NOT_GRANTED
    assert service_application.state == ApplicationState.GRANTED


def test_handling_cannot_change_after_the_results_are_published(
    secretariat, publication, enterprise_application, service_application
):
    objection = _object_to(publication, enterprise_application)
    objection_handle(
        actor=secretariat, objection=objection, handling="不属实。", outcome="dismissed"
    )
    close_window(publication)
    decisions = _grant_all(publication, enterprise_application, service_application)
    publication_publish(actor=secretariat, publication=publication, decisions=decisions)
    with pytest.raises(ValidationError, match="不能再修改"):
        objection_handle(actor=secretariat, objection=objection, handling="改", outcome="upheld")


def test_an_application_proposed_for_no_level_can_only_be_refused(
    secretariat, campaign, make_publicised, applicant
):
    unranked = make_publicised(
        applicant, category="team", project_name="总装一班", proposed_level=""
    )
    publication = close_window(
        publication_open(actor=secretariat, campaign=campaign, applications=[unranked])
    )
    with pytest.raises(ValidationError, match="只能发布为“不授予”"):
        publication_publish(
            actor=secretariat, publication=publication, decisions={unranked.pk: "grant"}
        )
    publication_publish(
        actor=secretariat, publication=publication, decisions={unranked.pk: "refuse"}
    )
    unranked.refresh_from_db()
    assert unranked.state == ApplicationState.NOT_GRANTED


def test_only_the_secretariat_publishes(applicant, publication, enterprise_application):
    close_window(publication)
    with pytest.raises(PermissionDenied):
        publication_publish(
            actor=applicant,
            publication=publication,
            decisions={enterprise_application.pk: "grant"},
        )
