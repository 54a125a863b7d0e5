"""``manyi report check|template``: check a practice report, write a category's template."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from manyi.practice_report.api import check_report
from manyi.practice_report.errors import ReportReadError
from manyi.practice_report.findings import ReportCheck
from manyi.practice_report.template import build_template

CATEGORIES = ("enterprise", "team", "service", "product", "engineering")
SEVERITY_NAMES = {"fail": "不通过", "warning": "提醒"}


def register(subparsers: Any) -> None:
    report = subparsers.add_parser("report", help="实践报告（附件1-4）：检查格式和提纲、生成模板")
    commands = report.add_subparsers(dest="report_command", metavar="SUBCOMMAND")
    commands.required = True

    check = commands.add_parser("check", help="检查一份实践报告（DOCX 或 PDF）")
    check.add_argument("file", help="报告文件路径（.docx 或 .pdf）")
    check.add_argument("--category", required=True, choices=CATEGORIES, help="申请类别")
    check.add_argument("--organisation", help="申请单位名称（用于检查文件名）")
    check.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    check.set_defaults(handler=check_command)

    template = commands.add_parser("template", help="生成某类别的报告模板（DOCX）")
    template.add_argument("--category", required=True, choices=CATEGORIES, help="申请类别")
    template.add_argument("-o", "--output", required=True, help="输出文件路径（.docx）")
    template.set_defaults(handler=template_command)


def check_command(args: argparse.Namespace) -> int:
    """Exit 0 when nothing fails, 1 when something fails, 2 when the file cannot be read."""
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"无法读取文件 {path}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        result = check_report(data, path.name, args.category, organisation_name=args.organisation)
    except ReportReadError as exc:
        print(f"无法检查 {path.name}：{exc}", file=sys.stderr)
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
        f"提醒 {summary['warn']} 项，通过 {summary['pass']} 项",
        f"字数：全文 {result.chars.total} 字" + (f"（{parts}）" if parts else ""),
    ]
    for finding in result.findings:
        lines.append(f"[{SEVERITY_NAMES[finding.severity]}] {finding.code}：{finding.message}")
        where = finding.location.describe()
        if where:
            lines.append(f"    位置：{where}")
        lines.append(f"    修改：{finding.hint}")
    if result.ok:
        lines.append("没有不通过的项目。")
    return lines


def template_command(args: argparse.Namespace) -> int:
    path = Path(args.output)
    try:
        path.write_bytes(build_template(args.category))
    except OSError as exc:
        print(f"无法写入 {path}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"已生成模板：{path}")
    return 0
