"""``manyi audit verify``: check the audit log's keyed hash chain against its anchors."""

from __future__ import annotations

import argparse
import json
import sys

PROBLEM_LABELS = {
    "edited": "记录被改动",
    "linked": "记录被删除或插入",
    "unkeyed": "插入了无密钥记录",
    "recomputed": "链被重算",
    "cut": "链尾被截断",
    "anchor": "锚点文件被改动",
}


def _verify(args: argparse.Namespace) -> int:
    from manyi.web.cli import setup_django

    setup_django()
    from manyi.web.audit.selectors import audit_verify

    result = audit_verify()
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return 0 if result.ok else 1
    if result.problem is not None:
        problem = result.problem
        label = PROBLEM_LABELS.get(problem.kind, problem.kind)
        print(f"审计链已被破坏（{label}）：{problem.description}", file=sys.stderr)
        return 1
    legacy = f"，其中启用密钥前的旧格式 {result.legacy} 条" if result.legacy else ""
    print(f"审计链完整，共 {result.count} 条{legacy}")
    print(f"外部锚点核对 {result.anchors_checked} 处，最近锚定到第 {result.last_anchor} 条")
    for note in result.notes:
        print(f"说明：{note}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    audit = subparsers.add_parser("audit", help="审计日志：校验哈希链")
    commands = audit.add_subparsers(dest="audit_command", required=True)
    verify = commands.add_parser(
        "verify",
        help="逐条校验审计日志的密钥哈希链与外部锚点；被改动、删除、截断或重算时退出码为 1",
    )
    verify.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    verify.set_defaults(handler=_verify)
