"""``manyi audit verify``: exit 0 on an intact chain, exit 1 naming what it found."""

from __future__ import annotations

import argparse
import json

import pytest

from manyi.web.audit import cli
from manyi.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="manyi")
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.handler(args)


def test_an_intact_chain_exits_0_and_counts_the_entries(chain, capsys):
    assert run("audit", "verify") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"审计链完整，共 {len(chain)} 条"
    assert f"外部锚点核对 {len(chain)} 处，最近锚定到第 {len(chain)} 条" in out


def test_an_empty_log_is_intact(db, capsys):
    assert run("audit", "verify") == 0
    assert "共 0 条" in capsys.readouterr().out


def test_an_edited_entry_exits_1_and_is_named_with_the_reason(chain, capsys):
    tampered = chain[2]
    AuditEntry.objects.filter(pk=tampered.pk).update(new_values={"n": 99})
    assert run("audit", "verify") == 1
    err = capsys.readouterr().err
    assert "记录被改动" in err
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


def test_a_cut_tail_is_reported_with_how_many_entries_went(chain, capsys):
    AuditEntry.objects.filter(pk__in=[chain[-1].pk, chain[-2].pk]).delete()
    assert run("audit", "verify") == 1
    err = capsys.readouterr().err
    assert "链尾被截断" in err
    assert f"曾有 {len(chain)} 条，现只有 {len(chain) - 2} 条" in err


def test_json_output_is_one_object_on_stdout_with_the_problem(chain, capsys):
    AuditEntry.objects.filter(pk=chain[-1].pk).delete()
    assert run("audit", "verify", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["problem"]["kind"] == "cut"


def test_the_manyi_command_offers_audit_verify(chain, capsys):
    from manyi import cli as manyi_cli

    assert manyi_cli.main(["audit", "verify"]) == 0
    assert "审计链完整" in capsys.readouterr().out
