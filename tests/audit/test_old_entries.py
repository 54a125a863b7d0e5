"""Entries written before keying (plain SHA-256) stay verifiable after the migration."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from manyi.web.audit.chain import GENESIS_HASH, entry_digest
from manyi.web.audit.models import AuditEntry, AuditHead
from manyi.web.audit.selectors import audit_verify
from manyi.web.audit.services import audit_record

BEFORE = [("audit", "0001_initial")]
AFTER = [("audit", "0002_keyed_chain_outbox")]


def _old_content(n: int) -> dict:
    return {
        "created_at": datetime.datetime(2025, 3, n + 1, tzinfo=datetime.UTC).isoformat(),
        "actor_id": None,
        "actor_label": "",
        "action": "campaign.create",
        "target_type": "campaigns.campaign",
        "target_id": str(n),
        "target_label": f"第 {n} 个",
        "old_values": {},
        "new_values": {"n": n},
    }


def _write_old_chain(apps, count: int) -> None:
    OldEntry = apps.get_model("audit", "AuditEntry")
    previous = GENESIS_HASH
    for n in range(count):
        content = _old_content(n)
        digest = entry_digest(previous, content)  # the old, unkeyed hash
        OldEntry.objects.create(
            created_at=datetime.datetime.fromisoformat(content["created_at"]),
            actor_label="",
            action=content["action"],
            target_type=content["target_type"],
            target_id=content["target_id"],
            target_label=content["target_label"],
            old_values={},
            new_values=content["new_values"],
            previous_hash=previous,
            entry_hash=digest,
        )
        previous = digest


@pytest.fixture
def migrated_old_chain(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    _write_old_chain(executor.loader.project_state(BEFORE).apps, 4)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    yield list(AuditEntry.objects.order_by("id"))
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_old_entries_verify_after_the_migration(migrated_old_chain):
    assert {e.hash_scheme for e in migrated_old_chain} == {"sha256"}
    head = AuditHead.objects.get(pk=1)
    assert (head.count, head.entry_hash) == (4, migrated_old_chain[-1].entry_hash)
    result = audit_verify()
    assert result.ok and result.legacy == 4
    assert any("旧格式" in note for note in result.notes)


def test_the_first_keyed_entry_seals_the_old_ones(migrated_old_chain):
    audit_record(actor=None, action="test.after", target=AuditHead.objects.get(pk=1))
    old = migrated_old_chain[1]
    AuditEntry.objects.filter(pk=old.pk).update(target_label="改过")
    # Recompute the old, unkeyed hashes from there on: the keyed entry no longer links.
    previous = migrated_old_chain[0].entry_hash
    for entry in AuditEntry.objects.filter(hash_scheme="sha256", pk__gte=old.pk).order_by("id"):
        from manyi.web.audit.services import audit_content

        digest = entry_digest(previous, audit_content(entry))
        AuditEntry.objects.filter(pk=entry.pk).update(previous_hash=previous, entry_hash=digest)
        previous = digest
    result = audit_verify()
    assert result.problem.kind == "linked"
    assert result.problem.entry_id == AuditEntry.objects.get(hash_scheme="hmac-sha256").pk
