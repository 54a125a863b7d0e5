"""``manyi report check|template``: check a practice report, write a category's template.

The rules come from a scheme: ``--scheme FILE`` (e.g. next year's draft), or the scheme of
``--year`` (by default the newest year there is a scheme for).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from manyi.practice_report.api import check_report
from manyi.practice_report.errors import ReportReadError
from manyi.practice_report.findings import ReportCheck
from manyi.practice_report.template import build_template
from manyi.rules import SchemeError
from manyi.rules.cli import add_scheme_arguments, scheme_from_arguments
from manyi.rules.model import Scheme
from manyi.verdict import STATUS_LABELS

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    report = subparsers.add_parser("report", help="实践报告（附件1-4）：检查格式和提纲、生成模板")
    commands = report.add_subparsers(dest="report_command", metavar="SUBCOMMAND")
    commands.required = True

    check = commands.add_parser("check", help="检查一份实践报告（DOCX 或 PDF）")
    check.add_argument("file", help="报告文件路径（.docx 或 .pdf）")
    check.add_argument("--category", required=True, help="申请类别，如 enterprise、team")
    check.add_argument("--organisation", help="申请单位名称（用于检查 PDF 的文件名）")
    check.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    add_scheme_arguments(check)
    check.set_defaults(handler=check_command)

    template = commands.add_parser("template", help="生成某类别的报告模板（DOCX）")
    template.add_argument("--category", required=True, help="申请类别，如 enterprise、team")
    template.add_argument("-o", "--output", required=True, help="输出文件路径（.docx）")
    add_scheme_arguments(template)
    template.set_defaults(handler=template_command)


def _scheme_and_category(args: argparse.Namespace) -> Scheme | None:
    """The scheme the arguments name, with the category checked; None after an error message."""
    try:
        scheme = scheme_from_arguments(args)
    except SchemeError as exc:
        print(str(exc), file=sys.stderr)
        return None
    known = [category.key for category in scheme.categories]
    if args.category not in known:
        print(
            f"未知的申请类别 {args.category}（可选：{'、'.join(known)}）",
            file=sys.stderr,
        )
        return None
    return scheme


def check_command(args: argparse.Namespace) -> int:
    """Exit 0 when nothing fails, 1 when something fails, 2 when the file cannot be read."""
    scheme = _scheme_and_category(args)
    if scheme is None:
        return 2
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"无法读取文件 {path}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        result = check_report(
            data, path.name, args.category, scheme=scheme, organisation_name=args.organisation
        )
    except ReportReadError as exc:
        print(f"无法检查 {path.name}：{exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never report a crash as "has findings" (exit 1)
        log.exception("检查 %s 时出错", path.name)
        print(f"无法检查 {path.name}：检查器出错（{type(exc).__name__}）", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(result)))
    return 0 if result.ok else 1


def summary_lines(result: ReportCheck) -> list[str]:
    summary = result.summary
    parts = "，".join(f"{name} {count} 字" for name, count in result.chars.parts.items())
    lines = [
        f"{result.file}（{result.kind.upper()}）：不通过 {summary['fail']} 项，"
        f"警告 {summary['warn']} 项，通过 {summary['pass']} 项",
        f"字数：全文 {result.chars.total} 字" + (f"（{parts}）" if parts else ""),
    ]
    for finding in result.findings:
        lines.append(f"[{STATUS_LABELS[finding.status]}] {finding.code}：{finding.message}")
        where = finding.location.describe()
        if where:
            lines.append(f"    位置：{where}")
        lines.append(f"    修改：{finding.fix}")
        common = finding.verdict()
        lines.append(f"    依据：{common.authority}：{finding.quote or finding.reason}")
    if result.ok:
        lines.append("没有不通过的项目。")
    return lines


def template_command(args: argparse.Namespace) -> int:
    scheme = _scheme_and_category(args)
    if scheme is None:
        return 2
    path = Path(args.output)
    try:
        path.write_bytes(build_template(args.category, scheme=scheme))
    except OSError as exc:
        print(f"无法写入 {path}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"已生成模板：{path}")
    return 0
