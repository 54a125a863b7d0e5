"""Every action that cannot be undone asks first, and the question names what cannot be
undone: submit, recommend or return, accept, reject, return for revision, decide, publicise,
open a 公示, publish the results, certify, revoke."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from manyi.web.applications.models import Application
from manyi.web.applications.samples import fill_complete
from manyi.web.publicity.models import Publication
from manyi.web.publicity.services import publication_open, publication_publish
from manyi.web.review import services
from tests.review.conftest import create_application

pytestmark = pytest.mark.django_db


def confirmation(html: str, action: str) -> str:
    """The data-confirm question of the form posting to ``action`` ("" when it asks none)."""
    for tag in re.findall(r"<form\b[^>]*>", html):
        if f'action="{action}"' in tag or (not action and "action=" not in tag):
            match = re.search(r'data-confirm="([^"]*)"', tag)
            return match.group(1) if match else ""
    raise AssertionError(f"no form posting to {action!r}")


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_submitting_asks_first(client, applicant, open_campaign, promoting_body):
    draft = fill_complete(create_application(applicant, open_campaign, promoting_body), applicant)
    html = page(client, applicant, reverse("applications:check", args=[draft.pk]))
    question = confirmation(html, reverse("applications:submit", args=[draft.pk]))
    assert "提交" in question and "不能再修改" in question


def test_the_promoter_asks_before_recommending_or_returning(client, submitted, promoter):
    html = page(client, promoter, reverse("review:promoter", args=[submitted.pk]))
    assert "不能收回" in confirmation(html, reverse("review:recommend", args=[submitted.pk]))
    assert "不能撤回" in confirmation(html, reverse("review:promoter_return", args=[submitted.pk]))


def test_the_formal_review_asks_before_accepting_rejecting_or_returning(
    client, submitted, promoter, secretariat
):
    services.application_recommend(actor=promoter, application=submitted, opinion="同意。")
    html = page(client, secretariat, reverse("review:formal_review", args=[submitted.pk]))
    pk = submitted.pk
    assert "不能再退回补正" in confirmation(html, reverse("review:accept", args=[pk]))
    assert "不能撤销" in confirmation(html, reverse("review:reject", args=[pk]))
    assert "不能撤回或追加" in confirmation(html, reverse("review:return", args=[pk]))


def test_deciding_and_publicising_ask_first(client, scored, secretariat):
    application = scored([80, 82, 84])
    assert "不能再修改" in confirmation(page(client, secretariat, reverse("review:decisions")), "")
    services.levels_decide(actor=secretariat, decisions={application.pk: "three"})
    assert "不能退回评审" in confirmation(
        page(client, secretariat, reverse("review:publicise")), ""
    )


def test_publishing_and_certifying_ask_first(client, scored, secretariat, open_campaign):
    application = scored([80, 82, 84])
    services.levels_decide(actor=secretariat, decisions={application.pk: "three"})
    publication = publication_open(
        actor=secretariat, campaign=open_campaign, applications=[application]
    )
    ended = timezone.now() - datetime.timedelta(days=1)
    Publication.objects.filter(pk=publication.pk).update(
        opens_at=ended - datetime.timedelta(days=7), closes_at=ended
    )
    html = page(client, secretariat, reverse("publicity:manage_publication", args=[publication.pk]))
    assert "不能撤销" in confirmation(html, reverse("publicity:publish", args=[publication.pk]))
    publication.refresh_from_db()
    publication_publish(
        actor=secretariat, publication=publication, decisions={application.pk: "grant"}
    )
    assert Application.objects.get(pk=application.pk).state == "granted"
    html = page(client, secretariat, reverse("publicity:certificates"))
    question = confirmation(html, reverse("publicity:certificate_issue", args=[application.pk]))
    assert "签发证书" in question and "不能收回" in question
