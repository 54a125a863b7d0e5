"""Concurrent appends form one chain (on SQLite and, with DATABASE_URL, on PostgreSQL).

Each thread has its own database connection and its own transaction, as concurrent requests do.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from manyi.web.accounts.models import Role
from manyi.web.accounts.services import staff_user_create
from manyi.web.audit.models import AuditEntry, AuditHead
from manyi.web.audit.selectors import audit_verify
from manyi.web.audit.services import audit_record

APPENDS = 200
WORKERS = 24 if connection.vendor == "sqlite" else 32


@pytest.fixture
def reviewer(transactional_db):
    return staff_user_create(
        actor=None,
        username="shencha",
        password="Zq8-long-enough-pass",
        role=Role.SECRETARIAT,
        full_name="审查员",
    )


def _append_concurrently(reviewer, count: int) -> None:
    start = threading.Barrier(WORKERS)

    def append(n: int) -> None:
        try:
            if n < WORKERS:
                start.wait(timeout=30)
            audit_record(
                actor=reviewer, action="application.view", target=reviewer, new_values={"n": n}
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for future in [pool.submit(append, n) for n in range(count)]:
            future.result()


def test_200_concurrent_appends_form_one_chain_that_verifies(reviewer):
    before = AuditEntry.objects.count()
    _append_concurrently(reviewer, APPENDS)
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) == before + APPENDS
    previous = [entry.previous_hash for entry in entries]
    assert len(set(previous)) == len(entries), "two entries share a previous hash: a fork"
    assert AuditHead.objects.get(pk=1).count == len(entries)
    result = audit_verify()
    assert result.ok, result.problem
    assert result.count == len(entries)


def test_every_concurrent_commit_is_anchored(reviewer):
    _append_concurrently(reviewer, 60)
    lines = Path(settings.MANYI_AUDIT_ANCHOR).read_text().splitlines()
    counts = sorted(int(line.split()[0]) for line in lines)
    assert counts == list(range(1, AuditEntry.objects.count() + 1))
