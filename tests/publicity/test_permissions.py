"""Who may open which page: the public pages need no login; the secretariat's pages are the
secretariat's alone (real HTTP requests)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from manyi.web.applications.models import ApplicationState
from manyi.web.publicity.services import certificate_issue, objection_submit
from tests.publicity.conftest import png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def objection(publication, enterprise_application):
    return objection_submit(
        publication=publication,
        item_id=publication.items.get(application=enterprise_application).pk,
        name="张三",
        contact="13700137000",
        content="异议内容",
        uploads=[upload("照片.png", png_bytes())],
    )


@pytest.fixture
def certificate(secretariat, make_publicised, applicant):
    application = make_publicised(applicant, category="team", project_name="总装一班")
    type(application).objects.filter(pk=application.pk).update(state=ApplicationState.GRANTED)
    return certificate_issue(
        actor=secretariat, application=application, issued_on=datetime.date(2025, 7, 1)
    )


@pytest.fixture
def public_urls(publication, certificate) -> list[str]:
    return [
        reverse("publicity:list"),
        reverse("publicity:detail", args=[publication.pk]),
        reverse("publicity:objection", args=[publication.pk]),
        reverse("publicity:certificate_search"),
        reverse("publicity:certificate_verify", args=[certificate.number]),
    ]


@pytest.fixture
def secretariat_urls(publication, objection, certificate, campaign) -> list[str]:
    return [
        reverse("publicity:manage"),
        reverse("publicity:manage_publication", args=[publication.pk]),
        reverse("publicity:objection_detail", args=[objection.pk]),
        reverse("publicity:attachment", args=[objection.attachments.get().pk]),
        reverse("publicity:certificates"),
        reverse("publicity:audit"),
    ]


@pytest.fixture
def secretariat_posts(publication, objection, certificate, campaign, make_publicised, applicant):
    return [
        reverse("publicity:open", args=[campaign.pk]),
        reverse("publicity:publish", args=[publication.pk]),
        reverse("publicity:objection_detail", args=[objection.pk]),
        reverse("publicity:certificate_issue", args=[certificate.application_id]),
        reverse("publicity:certificate_revoke", args=[certificate.number]),
    ]


def test_public_pages_need_no_login(client, public_urls):
    for url in public_urls:
        assert client.get(url).status_code == 200, url


def test_visitors_are_sent_to_log_in_for_the_secretariats_pages(client, secretariat_urls):
    for url in secretariat_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("role", ["applicant", "promoter", "expert"])
def test_other_roles_are_refused_the_secretariats_pages(
    request, client, role, secretariat_urls, secretariat_posts
):
    client.force_login(request.getfixturevalue(role))
    for url in secretariat_urls:
        assert client.get(url).status_code == 403, url
    for url in secretariat_posts:
        assert (
            client.post(url, {"reason": "x", "outcome": "upheld", "handling": "x"}).status_code
            == 403
        ), url


def test_refused_posts_change_nothing(client, applicant, objection, certificate):
    client.force_login(applicant)
    client.post(
        reverse("publicity:objection_detail", args=[objection.pk]),
        {"outcome": "upheld", "handling": "申报单位自己处理"},
    )
    client.post(reverse("publicity:certificate_revoke", args=[certificate.number]), {"reason": "x"})
    objection.refresh_from_db()
    certificate.refresh_from_db()
    assert objection.outcome == "" and not certificate.revoked


def test_the_secretariat_opens_all_its_pages(client, secretariat, secretariat_urls):
    client.force_login(secretariat)
    for url in secretariat_urls:
        assert client.get(url).status_code == 200, url


def test_a_certificate_pdf_is_for_its_organisation_and_the_secretariat_only(
    client, certificate, applicant, other_applicant, secretariat
):
    url = reverse("publicity:certificate_pdf", args=[certificate.number])
    assert client.get(url).status_code == 302  # log in first
    client.force_login(other_applicant)
    assert client.get(url).status_code == 403
    client.force_login(applicant)
    assert client.get(url).status_code == 200
    client.force_login(secretariat)
    assert client.get(url).status_code == 200
