"""A small audit chain with its anchors written, as after real commits."""

from __future__ import annotations

import pytest

from manyi.web.accounts.models import Role
from manyi.web.accounts.services import staff_user_create
from manyi.web.audit.models import AuditEntry
from manyi.web.audit.services import audit_record


@pytest.fixture
def chain(db, django_capture_on_commit_callbacks) -> list[AuditEntry]:
    """An account created, then three changes to it; each append's commit anchors the head."""
    with django_capture_on_commit_callbacks(execute=True):
        user = staff_user_create(
            actor=None,
            username="mishu",
            password="Zq8-long-enough-pass",
            role=Role.SECRETARIAT,
            full_name="秘书处",
        )
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            audit_record(actor=user, action="test.change", target=user, new_values={"n": n})
    return list(AuditEntry.objects.order_by("id"))
