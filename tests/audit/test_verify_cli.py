"""``manyi audit verify``: exit 0 on an intact chain, exit 1 naming the first bad entry."""

from __future__ import annotations

import argparse

import pytest

from manyi.web.accounts.models import Role
from manyi.web.accounts.services import staff_user_create
from manyi.web.audit import cli
from manyi.web.audit.models import AuditEntry
from manyi.web.audit.services import audit_record

pytestmark = pytest.mark.django_db


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="manyi")
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.handler(args)


@pytest.fixture
def chain(db) -> list[AuditEntry]:
    """A few entries: an account created, then changes to it."""
    user = staff_user_create(
        actor=None,
        username="mishu",
        password="Zq8-long-enough-pass",
        role=Role.SECRETARIAT,
        full_name="秘书处",
    )
    for n in range(3):
        audit_record(actor=user, action="test.change", target=user, new_values={"n": n})
    return list(AuditEntry.objects.order_by("id"))


def test_an_intact_chain_exits_0_and_counts_the_entries(chain, capsys):
    assert run("audit", "verify") == 0
    assert capsys.readouterr().out.strip() == f"审计链完整，共 {len(chain)} 条"


def test_an_empty_log_is_intact(db, capsys):
    assert run("audit", "verify") == 0
    assert "共 0 条" in capsys.readouterr().out


def test_an_edited_entry_exits_1_and_is_named_with_the_reason(chain, capsys):
    tampered = chain[2]
    AuditEntry.objects.filter(pk=tampered.pk).update(new_values={"n": 99})
    assert run("audit", "verify") == 1
    err = capsys.readouterr().err
    assert f"第一条有问题的记录编号 {tampered.pk}" in err
    assert "记录内容与其哈希不符" in err


def test_a_deleted_entry_is_found_at_the_next_one(chain, capsys):
    AuditEntry.objects.filter(pk=chain[1].pk).delete()
    assert run("audit", "verify") == 1
    err = capsys.readouterr().err
    assert f"记录编号 {chain[2].pk}" in err and "前一条哈希" in err


def test_the_first_of_several_bad_entries_is_named(chain, capsys):
    for entry in (chain[3], chain[1]):
        AuditEntry.objects.filter(pk=entry.pk).update(actor_label="别人")
    assert run("audit", "verify") == 1
    assert f"记录编号 {chain[1].pk}，" in capsys.readouterr().err


def test_the_manyi_command_offers_audit_verify(chain, capsys):
    from manyi import cli as manyi_cli

    if "manyi.web.audit.cli" not in manyi_cli.COMMAND_MODULES:
        pytest.skip("manyi.web.audit.cli is not yet listed in manyi.cli.COMMAND_MODULES")
    assert manyi_cli.main(["audit", "verify"]) == 0
    assert "审计链完整" in capsys.readouterr().out
