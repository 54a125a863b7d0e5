"""The secretariat's audit log page: newest first, paged, filtered by target, chain checked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from manyi.web.audit.models import AuditEntry
from manyi.web.audit.services import audit_record
from manyi.web.publicity.selectors import AUDIT_PAGE_SIZE

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, secretariat):
    client.force_login(secretariat)
    return client


def test_an_intact_chain_is_reported_at_the_top(logged_in, publication):
    page = logged_in.get(reverse("publicity:audit")).content.decode()
    assert 'data-ok="1"' in page and "审计链完整" in page


def test_a_tampered_entry_is_named_at_the_top(logged_in, publication):
    entry = AuditEntry.objects.get(action="publication.open")
    AuditEntry.objects.filter(pk=entry.pk).update(new_values={"applications": "1"})
    page = logged_in.get(reverse("publicity:audit")).content.decode()
    assert 'data-ok="0"' in page
    assert f"第一条有问题的记录编号 {entry.pk}" in page


def test_entries_can_be_filtered_by_target(logged_in, publication, enterprise_application):
    response = logged_in.get(
        reverse("publicity:audit"),
        {"target_type": "applications.application", "target_id": enterprise_application.pk},
    )
    entries = list(response.context["page"])
    assert entries
    assert all(e.target_id == str(enterprise_application.pk) for e in entries)
    assert all(e.target_type == "applications.application" for e in entries)


def test_the_log_is_paged_newest_first(logged_in, secretariat):
    for n in range(AUDIT_PAGE_SIZE + 5):
        audit_record(actor=secretariat, action="test.step", target=secretariat, new_values={"n": n})
    first = logged_in.get(reverse("publicity:audit")).context["page"]
    assert len(first) == AUDIT_PAGE_SIZE
    assert first[0].pk == AuditEntry.objects.order_by("-id").first().pk
    second = logged_in.get(reverse("publicity:audit"), {"page": 2}).context["page"]
    assert len(second) == AuditEntry.objects.count() - AUDIT_PAGE_SIZE


def test_actions_are_named_in_chinese(logged_in, publication):
    page = logged_in.get(reverse("publicity:audit")).content.decode()
    assert "开始公示" in page and "创建申报" in page
