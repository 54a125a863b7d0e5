"""The audit log is a hash chain: any change to a past entry is detected."""

from __future__ import annotations

import pytest

from manyi.web.audit.models import AuditEntry
from manyi.web.audit.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def test_an_untouched_chain_verifies(applicant, open_campaign):
    assert AuditEntry.objects.count() >= 3
    assert audit_chain_verify() is None


def test_an_edited_entry_is_named(applicant, open_campaign):
    entry = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=entry.pk).update(new_values={"name": "篡改"})
    broken = audit_chain_verify()
    assert broken is not None and broken.entry_id == entry.pk


def test_a_deleted_entry_breaks_the_chain_at_the_next_one(applicant, open_campaign):
    _first, second, third = AuditEntry.objects.order_by("id")[:3]
    second.delete()
    broken = audit_chain_verify()
    assert broken is not None and broken.entry_id == third.pk
