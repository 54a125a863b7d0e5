"""``manyi scheme show|rules|check``: read and check campaign scheme files from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from manyi.rules.catalogue import rule_catalogue
from manyi.rules.loader import SchemeError, load_scheme, load_scheme_file, newest_year
from manyi.rules.model import Material, Scheme

REQUIREMENT_NAMES = {"required": "必须", "optional": "可选", "not_applicable": "不适用"}


def add_scheme_arguments(parser: argparse.ArgumentParser) -> None:
    """``--year Y`` or ``--scheme FILE``: which scheme a command runs on (default: newest year)."""
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--year", type=int, help="评价年度（默认最新的年度）")
    which.add_argument("--scheme", metavar="FILE", help="方案文件（TOML），如下一年度的草稿")


def scheme_from_arguments(args: argparse.Namespace) -> Scheme:
    """The scheme the arguments name; raises SchemeError with a readable message."""
    if getattr(args, "scheme", None):
        return load_scheme_file(args.scheme)
    year = getattr(args, "year", None)
    return load_scheme(year if year is not None else newest_year())


def register(subparsers: Any) -> None:
    scheme = subparsers.add_parser("scheme", help="评价方案（申请书规则）：查看、检查方案文件")
    commands = scheme.add_subparsers(dest="scheme_command", metavar="SUBCOMMAND")
    commands.required = True

    show = commands.add_parser("show", help="显示某年度的评价方案")
    add_scheme_arguments(show)
    show.add_argument("--json", action="store_true", help="以 JSON 输出完整方案")
    show.set_defaults(handler=show_command)

    rules = commands.add_parser("rules", help="列出全部规则及其来源（申请书原文或系统建议）")
    add_scheme_arguments(rules)
    rules.add_argument("--json", action="store_true", help="以 JSON 输出")
    rules.set_defaults(handler=rules_command)

    check = commands.add_parser("check", help="检查一个方案文件（TOML）是否有效")
    check.add_argument("file", help="方案文件路径，如 2026.toml")
    check.set_defaults(handler=check_command)


def _scheme_or_report(args: argparse.Namespace) -> Scheme | None:
    try:
        return scheme_from_arguments(args)
    except SchemeError as exc:
        print(exc, file=sys.stderr)
        return None


def show_command(args: argparse.Namespace) -> int:
    scheme = _scheme_or_report(args)
    if scheme is None:
        return 1
    if args.json:
        print(json.dumps(scheme.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print("\n".join(summary_lines(scheme)))
    return 0


SEVERITY_NAMES = {"fail": "不通过", "warn": "警告"}


def rules_command(args: argparse.Namespace) -> int:
    scheme = _scheme_or_report(args)
    if scheme is None:
        return 1
    entries = rule_catalogue(scheme)
    if args.json:
        data = {"rules": [entry.to_dict() for entry in entries]}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    blocking = sum(entry.severity == "fail" for entry in entries)
    print(
        f"{scheme.campaign.title}：{len(entries)} 条规则，"
        f"{blocking} 条可判为不通过，{len(entries) - blocking} 条只给警告。"
    )
    for entry in entries:
        if entry.source == "seed":
            basis = f"申请书：“{entry.quote}”"
        elif entry.severity == "fail":
            basis = f"秘书处要求：{entry.quote}"
        else:
            basis = f"系统建议：{entry.reason}"
        print(
            f"[{SEVERITY_NAMES[entry.severity]}] {entry.id}（{entry.applies_to}）：{entry.message}"
        )
        print(f"    {basis}")
    return 0


def check_command(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"文件不存在：{path}", file=sys.stderr)
        return 2
    try:
        scheme = load_scheme_file(path)
    except SchemeError as exc:
        print(exc, file=sys.stderr)
        return 1
    headings = sum(len(o.headings) for o in scheme.outlines)
    print(
        f"方案文件有效：{path}（{scheme.campaign.title}，版本 {scheme.campaign.version}）："
        f"{len(scheme.categories)} 个类别，{len(scheme.levels)} 个等级，"
        f"{len(scheme.materials)} 项材料，{headings} 个提纲标题"
    )
    return 0


def chinese_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def summary_lines(scheme: Scheme) -> list[str]:
    campaign = scheme.campaign
    lines = [
        f"{campaign.title}（方案版本 {campaign.version}）",
        f"数据年度：{campaign.data_year}年（{campaign.data_basis}）",
        f"满意度调查开始日期：不早于 {chinese_date(campaign.survey_start_date)}",
        "标准：" + "；".join(f"{s.code}《{s.title}》" for s in campaign.standards),
        "",
        "类别与可申请等级：",
    ]
    for category in scheme.categories:
        levels = "、".join(
            f"{lv.short_name}（{lv.name}）" for lv in scheme.allowed_levels(category.key)
        )
        lines.append(f"  {category.name}：{levels}")
    lines += ["", "申请表字段："]
    lines.append(f"  通用：{len(scheme.form.common)} 项")
    for section in scheme.form.sections:
        lines.append(f"  {scheme.category(section.category).name}：另有 {len(section.fields)} 项")
    lines += ["", "各类别、等级的申报材料（必须 / 可选 项数）："]
    for category in scheme.categories:
        counts = []
        for level in scheme.allowed_levels(category.key):
            tally = Counter(r for _, r in scheme.materials_for(category.key, level.key))
            counts.append(f"{level.short_name} {tally['required']} / {tally['optional']}")
        lines.append(f"  {category.name}：" + "；".join(counts))
    lines += ["", "申报材料："]
    lines += [f"  {material_line(scheme, m)}" for m in scheme.materials]
    lines += ["", "实践报告提纲："]
    for outline in scheme.outlines:
        per_level = Counter(h.level for h in outline.headings)
        detail = "、".join(f"{level}级 {per_level[level]}" for level in sorted(per_level))
        name = scheme.category(outline.category).name
        lines.append(f"  {name}：{len(outline.headings)} 个标题（{detail}）")
    return lines


def material_line(scheme: Scheme, material: Material) -> str:
    def names(keys: tuple[str, ...] | None, lookup: Any, all_text: str) -> str:
        return all_text if keys is None else "、".join(lookup(k) for k in keys)

    categories = names(material.categories, lambda k: scheme.category(k).name, "全部类别")
    levels = names(material.levels, lambda k: scheme.level(k).short_name, "全部等级")
    limits = [f"格式 {'/'.join(material.formats)}"]
    if material.max_pages:
        limits.append(f"不超过 {material.max_pages} 页")
    if material.max_duration_seconds:
        limits.append(f"不超过 {material.max_duration_seconds // 60} 分钟")
    limits.append(f"不超过 {material.max_size_bytes / 1024 / 1024:g} MB")
    attachment = f"，{material.attachment}" if material.attachment else ""
    requirement = REQUIREMENT_NAMES[material.requirement]
    return (
        f"{material.name}［{material.group}{attachment}］{requirement}："
        f"{categories}，{levels}；{'，'.join(limits)}"
    )
