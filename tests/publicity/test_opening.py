"""Opening a 公示: which applications go in, and how long objections are accepted."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from manyi.web.applications.models import ApplicationState
from manyi.web.audit.models import AuditEntry
from manyi.web.publicity.models import Publication
from manyi.web.publicity.services import publication_open

pytestmark = pytest.mark.django_db


def test_the_window_is_the_schemes_objection_period(publication):
    assert publication.closes_at - publication.opens_at == datetime.timedelta(days=7)
    assert publication.is_open()
    assert publication.title == "2025年用户满意等级评价拟授予等级公示"


def test_each_application_keeps_the_level_proposed_when_the_publicity_opened(
    publication, enterprise_application
):
    item = publication.items.get(application=enterprise_application)
    assert item.proposed_level == "four"


def test_opening_is_audited(publication, enterprise_application, service_application):
    entry = AuditEntry.objects.get(action="publication.open")
    assert entry.target_id == str(publication.pk)
    listed = set(entry.new_values["applications"].split(","))
    assert listed == {str(enterprise_application.pk), str(service_application.pk)}


def test_decided_applications_are_moved_to_publicised_through_the_lifecycle(
    secretariat, campaign, make_publicised, applicant
):
    decided = make_publicised(applicant, state=ApplicationState.DECIDED)
    publication_open(actor=secretariat, campaign=campaign, applications=[decided])
    decided.refresh_from_db()
    assert decided.state == ApplicationState.PUBLICISED
    assert AuditEntry.objects.filter(
        action="application.publicise", target_id=str(decided.pk)
    ).exists()


def test_an_application_is_in_one_publicity_only(
    secretariat, campaign, publication, enterprise_application
):
    with pytest.raises(ValidationError, match="已在公示中"):
        publication_open(
            actor=secretariat, campaign=campaign, applications=[enterprise_application]
        )


def test_applications_still_under_review_cannot_be_publicised(
    secretariat, campaign, make_publicised, applicant
):
    scored = make_publicised(applicant, state=ApplicationState.SCORED)
    with pytest.raises(ValidationError, match="不能公示"):
        publication_open(actor=secretariat, campaign=campaign, applications=[scored])
    assert not Publication.objects.exists()


def test_only_the_secretariat_opens_a_publicity(applicant, campaign, enterprise_application):
    with pytest.raises(PermissionDenied):
        publication_open(actor=applicant, campaign=campaign, applications=[enterprise_application])


def test_the_secretariat_opens_one_for_every_waiting_application_from_its_page(
    client, secretariat, campaign, enterprise_application, service_application
):
    client.force_login(secretariat)
    page = client.get(reverse("publicity:manage")).content.decode()
    assert "福州测试制造有限公司" in page and "北京示例服务有限公司" in page
    response = client.post(reverse("publicity:open", args=[campaign.pk]), {"title": "第一批公示"})
    publication = Publication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("publicity:manage_publication", args=[publication.pk])
    assert publication.title == "第一批公示"
    assert publication.items.count() == 2
    page = client.get(reverse("publicity:manage")).content.decode()
    assert f'data-testid="pending-{campaign.pk}"' not in page
