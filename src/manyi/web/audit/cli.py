"""``manyi audit verify``: check the audit log's hash chain."""

from __future__ import annotations

import argparse
import sys


def _verify(args: argparse.Namespace) -> int:
    from manyi.web.cli import setup_django

    setup_django()
    from manyi.web.audit.models import AuditEntry
    from manyi.web.audit.selectors import audit_chain_verify

    broken = audit_chain_verify()
    if broken is not None:
        print(
            f"审计链已被破坏：第一条有问题的记录编号 {broken.entry_id}，原因：{broken.reason}",
            file=sys.stderr,
        )
        return 1
    print(f"审计链完整，共 {AuditEntry.objects.count()} 条")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    audit = subparsers.add_parser("audit", help="审计日志：校验哈希链")
    commands = audit.add_subparsers(dest="audit_command", required=True)
    verify = commands.add_parser(
        "verify", help="逐条校验审计日志的哈希链；被改动时退出码为 1 并指出第一条有问题的记录"
    )
    verify.set_defaults(handler=_verify)
