"""``manyi creditcode`` and ``manyi size``: the organisation engines on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from manyi.orgs import creditcode, sizeclass
from manyi.orgs.industries import UnknownIndustryError

STATUS_LABELS = {"fail": "错误", "warn": "警告"}


def register(subparsers: Any) -> None:
    """Add the ``creditcode`` and ``size`` sub-commands to the ``manyi`` parser."""
    _register_creditcode(subparsers)
    _register_size(subparsers)


def _register_creditcode(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "creditcode",
        help="检查统一社会信用代码并解析登记管理部门、机构类别和行政区划",
        description="检查统一社会信用代码（GB 32100-2015）。有效时退出码为0，否则为1。",
    )
    parser.add_argument("code", metavar="CODE", help="18位统一社会信用代码（可含空格、小写）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.set_defaults(handler=run_creditcode)


def _register_size(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "size",
        help="按《统计上大中小微型企业划分办法（2017）》划分企业规模",
        description=(
            "按《统计上大中小微型企业划分办法（2017）》划分大型、中型、小型、微型。"
            "营业收入和资产总额以万元计。输入有误时退出码为2。"
        ),
    )
    parser.add_argument(
        "--industry",
        required=True,
        metavar="CODE",
        help="GB/T 4754-2017 行业代码：门类字母（如 C）、大类（如 65）或中类/小类（如 702、7010）",
    )
    parser.add_argument("--employees", metavar="N", help="从业人员（人）")
    parser.add_argument("--revenue", metavar="万元", help="营业收入（万元）")
    parser.add_argument("--assets", metavar="万元", help="资产总额（万元）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.set_defaults(handler=run_size)


def run_creditcode(args: argparse.Namespace) -> int:
    info = creditcode.analyze(args.code)
    if args.json:
        _print_json(info.to_dict())
    else:
        print(_creditcode_text(info))
    return 0 if info.valid else 1


def run_size(args: argparse.Namespace) -> int:
    try:
        result = sizeclass.classify(
            args.industry, employees=args.employees, revenue=args.revenue, assets=args.assets
        )
    except (UnknownIndustryError, sizeclass.SizeInputError) as exc:
        print(f"manyi size: 错误：{exc}", file=sys.stderr)
        return 2
    if args.json:
        _print_json(result.to_dict())
    else:
        print(_size_text(result))
    return 0


def _creditcode_text(info: creditcode.CreditCodeInfo) -> str:
    if info.valid:
        verdict = "有效"
    elif info.refused:
        verdict = "无效"
    else:
        verdict = "无效（仅有警告，可由秘书处人工核实后放行）"
    lines = [f"统一社会信用代码：{info.code or '（空）'}", f"结论：{verdict}"]
    lines += _derived_lines(info)
    if info.problems:
        lines.append("问题：")
        lines += [f"  [{STATUS_LABELS[p.status]}] {p.message}" for p in info.problems]
    return "\n".join(lines)


def _derived_lines(info: creditcode.CreditCodeInfo) -> list[str]:
    lines = []
    if info.authority:
        lines.append(f"登记管理部门：{info.authority_code} {info.authority}")
    if info.category:
        lines.append(f"机构类别：{info.category_code} {info.category}")
    if info.region_code:
        place = " ".join(n for n in (info.province, info.city, info.district) if n) or "（未知）"
        lines.append(f"登记管理机关行政区划：{info.region_code} {place}")
    if info.org_code:
        check = {True: "校验通过", False: "校验不通过，仅供参考", None: "无法校验"}
        lines.append(
            f"主体标识码（组织机构代码）：{info.org_code}（{check[info.org_code_check_ok]}）"
        )
    if info.check_char_ok is not None:
        lines.append(f"校验码：{'正确' if info.check_char_ok else '不符'}")
    return lines


def _size_text(result: sizeclass.SizeResult) -> str:
    lines = [f"行业：{result.industry_name}"]
    if result.classified:
        lines += [
            f"规模：{result.size}",
            f"适用：{result.industry_row}",
            f"依据：{result.explanation}",
            f"标准：{result.rule}",
        ]
    else:
        lines += [
            "规模：未分类（本办法不适用）",
            f"原因：{result.reason}",
            f"标准：{result.rule}",
        ]
    return "\n".join(lines)


def _print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
