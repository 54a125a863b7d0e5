"""The chain is keyed and anchored outside the table: a cut tail or a recomputed chain is seen."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from manyi.web.audit.anchor import audit_key
from manyi.web.audit.chain import GENESIS_HASH, KEYED, LEGACY, entry_digest
from manyi.web.audit.models import AuditEntry, AuditHead
from manyi.web.audit.selectors import audit_verify
from manyi.web.audit.services import audit_content, audit_record

pytestmark = pytest.mark.django_db


def _rehash_from(entries: list[AuditEntry], start: int, key: bytes | None, scheme: str) -> None:
    """What someone with write access to the table does to hide an edit: recompute every later
    hash (and fix the head row)."""
    previous = entries[start - 1].entry_hash if start else GENESIS_HASH
    for entry in entries[start:]:
        entry.refresh_from_db()
        entry.previous_hash = previous
        entry.hash_scheme = scheme
        entry.entry_hash = entry_digest(previous, audit_content(entry), key)
        AuditEntry.objects.filter(pk=entry.pk).update(
            previous_hash=entry.previous_hash,
            entry_hash=entry.entry_hash,
            hash_scheme=scheme,
        )
        previous = entry.entry_hash
    AuditHead.objects.filter(pk=1).update(entry_hash=previous, count=len(entries))


def test_new_entries_are_keyed_and_the_key_is_not_in_the_database(chain):
    assert {entry.hash_scheme for entry in chain} == {KEYED}
    key = audit_key().decode()
    assert not AuditEntry.objects.filter(new_values__icontains=key).exists()
    assert entry_digest(chain[0].previous_hash, audit_content(chain[0])) != chain[0].entry_hash


def test_each_commit_appends_the_head_to_the_anchor_file(chain):
    lines = Path(settings.MANYI_AUDIT_ANCHOR).read_text().splitlines()
    assert [line.split()[:2] for line in lines] == [
        [str(n), entry.entry_hash] for n, entry in enumerate(chain, start=1)
    ]


def test_an_edit_recomputed_without_the_key_is_an_edited_entry(chain):
    AuditEntry.objects.filter(pk=chain[1].pk).update(actor_label="别人")
    _rehash_from(chain, 1, key=None, scheme=KEYED)
    result = audit_verify()
    assert result.problem.kind == "edited" and result.problem.entry_id == chain[1].pk


def test_an_edit_recomputed_as_old_unkeyed_entries_is_named(chain):
    AuditEntry.objects.filter(pk=chain[2].pk).update(actor_label="别人")
    _rehash_from(chain, 2, key=None, scheme=LEGACY)
    result = audit_verify()
    assert result.problem.kind == "unkeyed" and result.problem.entry_id == chain[2].pk


def test_a_chain_recomputed_with_the_key_is_caught_by_the_anchor(chain):
    AuditEntry.objects.filter(pk=chain[1].pk).update(actor_label="别人")
    _rehash_from(chain, 1, key=audit_key(), scheme=KEYED)
    result = audit_verify()
    assert result.problem.kind == "recomputed"
    assert result.problem.entry_id == chain[1].pk
    assert "外部锚点" in result.problem.reason


def test_a_cut_tail_with_the_head_row_fixed_is_caught_by_the_anchor(chain):
    AuditEntry.objects.filter(pk=chain[-1].pk).delete()
    AuditHead.objects.filter(pk=1).update(count=len(chain) - 1, entry_hash=chain[-2].entry_hash)
    result = audit_verify()
    assert result.problem.kind == "cut"
    assert "最后 1 条被删除" in result.problem.reason


def test_a_cut_tail_is_caught_by_the_head_row_without_an_anchor_file(chain, settings):
    settings.MANYI_AUDIT_ANCHOR = ""
    AuditEntry.objects.filter(pk=chain[-1].pk).delete()
    result = audit_verify()
    assert result.problem.kind == "cut" and "链头记录" in result.problem.reason


def test_an_edited_anchor_line_is_reported(chain):
    path = Path(settings.MANYI_AUDIT_ANCHOR)
    lines = path.read_text().splitlines()
    count, _hash, mac = lines[-1].split()
    lines[-1] = f"{count} {'f' * 64} {mac}"
    path.write_text("\n".join(lines) + "\n")
    result = audit_verify()
    assert result.problem.kind == "anchor" and "签名不符" in result.problem.reason


def test_another_key_does_not_verify(chain, settings):
    settings.MANYI_AUDIT_KEY = "a-different-key-" * 3
    assert audit_verify().problem.kind == "edited"


def test_without_anchoring_verify_says_what_it_cannot_see(chain, settings):
    settings.MANYI_AUDIT_ANCHOR = ""
    result = audit_verify()
    assert result.ok
    assert any("无法发现链尾被截断" in note for note in result.notes)


def test_the_key_comes_from_the_environment_setting_before_the_key_file(settings, tmp_path):
    settings.MANYI_AUDIT_KEY = "k" * 40
    settings.MANYI_AUDIT_KEY_FILE = str(tmp_path / "audit_key")
    assert audit_key() == b"k" * 40
    assert not (tmp_path / "audit_key").exists()


def test_local_runs_generate_a_private_key_file_once(settings, tmp_path):
    settings.MANYI_AUDIT_KEY = ""
    settings.MANYI_AUDIT_KEY_FILE = str(tmp_path / "audit_key")
    first = audit_key()
    assert audit_key() == first and len(first) >= 48
    assert (tmp_path / "audit_key").stat().st_mode & 0o777 == 0o600


def test_a_deleted_head_row_is_rebuilt_from_the_table(chain):
    AuditHead.objects.all().delete()
    audit_record(actor=None, action="test.after", target=chain[-1].actor)
    assert AuditHead.objects.get(pk=1).count == len(chain) + 1
    assert audit_verify().ok
