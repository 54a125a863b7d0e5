"""A submitted version freezes the organisation's details it shows: renaming the organisation
afterwards reaches neither the submitted cover, the 公示, the exports nor the certificate."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from manyi.web.accounts.services import ProfileFigures, organisation_update_profile
from manyi.web.applications.documents import generated_document
from manyi.web.applications.models import Application
from manyi.web.applications.selectors import organisation_of
from manyi.web.publicity.models import Publication
from manyi.web.publicity.services import certificate_issue, publication_open, publication_publish
from manyi.web.review import exports, services
from tests.documents.pdfhelpers import all_text

pytestmark = pytest.mark.django_db

OLD, NEW = "福州测试制造有限公司", "福州新名称科技有限公司"


def rename(applicant) -> None:
    organisation_update_profile(
        actor=applicant,
        organisation=applicant.organisation,
        name=NEW,
        figures=ProfileFigures(
            "34", employees=500, revenue=Decimal("30000"), assets=Decimal("20000")
        ),
        address="福建省福州市新地址 9 号",
    )


@pytest.fixture
def publicised(submitted, secretariat, open_campaign) -> tuple[Application, Publication]:
    """The really submitted version, decided (三星) and put on a 公示."""
    Application.objects.filter(pk=submitted.pk).update(state="decided", proposed_level="three")
    publication = publication_open(
        actor=secretariat, campaign=open_campaign, applications=[submitted]
    )
    submitted.refresh_from_db()
    return submitted, publication


def test_the_submitted_cover_keeps_the_details_it_was_submitted_with(submitted, applicant):
    rename(applicant)
    submitted.refresh_from_db()
    assert organisation_of(submitted).name == OLD
    assert organisation_of(submitted).address != "福建省福州市新地址 9 号"
    cover = all_text(generated_document(submitted, "cover"))
    assert OLD in cover and NEW not in cover


def test_the_public_notice_and_the_exports_show_the_submitted_name(client, publicised, applicant):
    _application, publication = publicised
    rename(applicant)
    html = client.get(reverse("publicity:detail", args=[publication.pk])).content.decode()
    assert OLD in html and NEW not in html
    assert exports.applications_table().rows[0][2] == OLD


def test_the_certificate_carries_the_submitted_name(publicised, applicant, secretariat):
    application, publication = publicised
    rename(applicant)
    ended = timezone.now() - datetime.timedelta(days=1)
    Publication.objects.filter(pk=publication.pk).update(
        opens_at=ended - datetime.timedelta(days=7), closes_at=ended
    )
    publication.refresh_from_db()
    publication_publish(
        actor=secretariat, publication=publication, decisions={application.pk: "grant"}
    )
    certificate = certificate_issue(actor=secretariat, application=application)
    assert certificate.organisation_name == OLD


def test_a_returned_application_shows_the_current_details_until_resubmitted(
    submitted, applicant, promoter
):
    services.application_promoter_return(
        actor=promoter, application=submitted, reasons="请核对单位名称。"
    )
    rename(applicant)
    submitted.refresh_from_db()
    assert organisation_of(submitted).name == NEW  # editable again: the live details
