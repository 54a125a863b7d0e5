"""``manyi survey codebook|check`` and ``manyi csi estimate``: the engine on the command line.

The campaign's rules come from ``--scheme FILE``, else the scheme of ``--year``, else the
newest scheme; the engine itself never picks a year.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from manyi.measurement.codebook import Codebook, load_codebook
from manyi.measurement.codebook_file import codebook_toml
from manyi.measurement.errors import (
    CodebookError,
    MeasurementError,
    ModelError,
    SurveyReadError,
)
from manyi.measurement.exports import recognise
from manyi.measurement.model import Model, default_model, load_model, packaged_model
from manyi.measurement.pipeline import (
    Analysis,
    analyse,
    codebook_for,
    complete_codebook,
    unused_columns,
)
from manyi.measurement.quality import QualityReport, QualityRules, validate
from manyi.measurement.respondents import check_respondent_list, load_respondent_list
from manyi.measurement.serialize import findings_json, quality_json, to_json
from manyi.measurement.survey import Unused, survey_from_table
from manyi.measurement.tables import read_table
from manyi.measurement.workbook import quality_workbook
from manyi.verdict import STATUS_LABELS, Finding, by_severity

READ_ERRORS = (SurveyReadError, CodebookError, ModelError)


def register(subparsers: Any) -> None:
    """Add ``survey`` (codebook, check) and ``csi`` (estimate) to the ``manyi`` parser."""
    _register_survey(subparsers)
    _register_csi(subparsers)


def _register_survey(subparsers: Any) -> None:
    survey = subparsers.add_parser("survey", help="满意度调查数据库：码本、校验、查错、清洗记录")
    commands = survey.add_subparsers(dest="survey_command", metavar="COMMAND")
    commands.required = True
    codebook = commands.add_parser(
        "codebook",
        help="按问卷星、腾讯问卷、金数据等导出文件生成码本（TOML），供核对后使用",
        description="识别导出格式，写出码本：题项编号、列名、潜变量、量表或答案标签；"
        "猜测之处加注释。退出码：0 已写出，2 文件无法读取。",
    )
    codebook.add_argument("data", metavar="DATA", help="调查数据（.xlsx 或 .csv）")
    codebook.add_argument("-o", "--output", metavar="OUT.toml", help="写入该文件（默认输出到屏幕）")
    codebook.add_argument(
        "--model", metavar="FILE", help="模型文件（TOML）；或内置 china_csi、ecsi"
    )
    codebook.set_defaults(handler=run_codebook)
    check = commands.add_parser(
        "check",
        help="校验调查数据库并输出校验标准、查错记录、清洗过程记录和复核记录",
        description="校验调查数据库。退出码：0 没有不通过项（警告会列出），1 不符合申请书的规定"
        "（调查时间、被访者名单），2 文件无法读取。",
    )
    check.add_argument("data", metavar="DATA", help="调查数据库（.xlsx 或 .csv）")
    _data_options(check)
    check.add_argument("--respondents", metavar="FILE", help="被访者名单（.xlsx/.csv），一并核对")
    check.add_argument("--workbook", metavar="OUT.xlsx", help="把四项记录写入该 XLSX 工作簿")
    check.add_argument("--json", action="store_true", help="以 JSON 输出")
    check.set_defaults(handler=run_check)


def _register_csi(subparsers: Any) -> None:
    csi = subparsers.add_parser("csi", help="顾客满意指数：PLS 路径模型估计、指数与自助法区间")
    commands = csi.add_subparsers(dest="csi_command", metavar="COMMAND")
    commands.required = True
    parser = commands.add_parser(
        "estimate",
        help="估计满意度模型并计算 0–100 指数",
        description=(
            "按 GB/T 19038-2009 顾客满意指数模型（或 --model 指定的模型）以 PLS 路径建模估计。"
            "退出码：0 成功，1 数据无法估计或指数不成立（说明原因），2 文件无法读取。"
        ),
    )
    parser.add_argument("data", metavar="DATA", help="调查数据库（.xlsx 或 .csv）")
    _data_options(parser)
    parser.add_argument("--model", metavar="FILE", help="模型文件（TOML）；或内置 china_csi、ecsi")
    parser.add_argument(
        "--weighting",
        choices=("centroid", "factorial", "path"),
        default="centroid",
        help="内部权重方案（默认 centroid 质心方案）",
    )
    parser.add_argument("--stop", choices=("plspm", "strict"), default="plspm", help="收敛规则")
    scaling = parser.add_mutually_exclusive_group()
    scaling.add_argument("--scaled", dest="scaled", action="store_true", help="标准化题项")
    scaling.add_argument(
        "--raw", dest="scaled", action="store_false", help="中心化原始题项（默认）"
    )
    parser.set_defaults(scaled=False)
    parser.add_argument("--bootstrap", type=int, default=0, metavar="N", help="自助法重抽样次数")
    parser.add_argument("--seed", type=int, metavar="S", help="随机种子（可复现）")
    parser.add_argument("--level", type=float, default=0.95, help="区间的置信水平（默认 0.95）")
    parser.add_argument(
        "--scale",
        type=float,
        nargs=2,
        metavar=("MIN", "MAX"),
        help="题项量表上下限（码本和模型均未给出时）",
    )
    parser.add_argument(
        "--declared", type=float, metavar="SCORE", help="申报表中的满意度，用于对照"
    )
    parser.add_argument("--report", metavar="OUT", help="写出测评报告（.html 或 .pdf）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.set_defaults(handler=run_estimate)


def _data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--codebook", metavar="FILE", help="码本（.toml、.xlsx 或 .csv）")
    parser.add_argument(
        "--text-as-missing",
        action="store_true",
        help="题项中无法识别的文字按缺失处理并记入查错记录",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--scheme", metavar="FILE", help="评价方案文件（默认取最新年度的方案）")
    source.add_argument("--year", type=int, help="评价年度（取该年度的方案）")
    parser.add_argument(
        "--period",
        nargs=2,
        metavar=("START", "END"),
        help="申报的调查起止日期 YYYY-MM-DD（数据没有访问日期列时据此核对调查时间）",
    )
    parser.add_argument("--max-missing", type=float, help="样本缺答比例上限（默认取方案）")
    parser.add_argument("--min-respondents", type=int, help="有效样本量下限（默认取方案）")


# ---------------------------------------------------------------------------------------------
# survey codebook


def run_codebook(args: argparse.Namespace) -> int:
    try:
        model = _model(args.model)
        table = read_table(args.data)
    except (MeasurementError, OSError) as exc:
        return _fail("survey codebook", exc)
    layout = recognise(table, model)
    text = codebook_toml(layout, table.filename, model)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        items = layout.items()
        assigned = sum(1 for c in items if c.construct)
        print(
            f"已写出 {args.output}：{layout.describe()}；{len(items)} 个题项（{assigned} 个已按"
            f"题目归入潜变量），{len(layout.unused())} 列未使用。请核对带「猜测」的注释。"
        )
    else:
        print(text, end="")
    return 0


# ---------------------------------------------------------------------------------------------
# survey check


def run_check(args: argparse.Namespace) -> int:
    try:
        scheme = _scheme(args)
        rules = _rules(args, scheme)
        table = read_table(args.data)
        model = default_model()
        layout = recognise(table, model)
        codebook, notes = _codebook(args, table, model, layout)
        unused = unused_columns(table, codebook, layout, _bound_or_empty(codebook, model))
        survey = survey_from_table(table, codebook, text_cells=_text_cells(args), unused=unused)
        listing = load_respondent_list(args.respondents) if args.respondents else None
    except (MeasurementError, ValueError, OSError) as exc:
        return _fail("survey check", exc)
    report = validate(survey, rules)
    rule = scheme.measurement.respondent_list
    listed = check_respondent_list(listing, survey, rule=rule) if listing is not None else []
    findings = report.findings() + [f.verdict() for f in listed]
    if args.workbook:
        Path(args.workbook).write_bytes(quality_workbook(report))
    if args.json:
        data = quality_json(report)
        data["respondent_list"] = findings_json(listed) if listing is not None else None
        data["findings"] = [f.to_dict() for f in findings]
        data["notes"] = notes
        data["unused"] = [{"column": u.column, "why": u.why} for u in survey.unused]
        _print_json(data)
    else:
        print(_check_text(report, findings, notes, survey.unused, args.workbook))
    return 1 if any(f.status == "fail" for f in findings) else 0


def _bound_or_empty(codebook: Codebook, model: Model) -> Model:
    try:
        return codebook.bind(model)
    except MeasurementError:
        return model


def _check_text(
    report: QualityReport,
    findings: list[Finding],
    notes: list[str],
    unused: list[Unused],
    workbook: str | None,
) -> str:
    lines = [report.summary()]
    lines += [f"  说明：{note}" for note in notes]
    for finding in by_severity(findings):
        if finding.status == "pass" and not finding.code.startswith("survey.respondent"):
            continue
        basis = finding.quote or finding.reason
        basis = f"（{finding.authority}：{basis}）" if finding.status != "pass" and basis else ""
        lines.append(f"  [{STATUS_LABELS[finding.status]}] {finding.message}{basis}")
    for step in report.steps:
        lines.append(
            f"清洗：{step.step} {step.affected}（{step.n_before} → {step.n_after}）{step.detail}"
        )
    for flag in report.flags[:20]:
        where = f"第 {flag.row} 行" if flag.row else "全表"
        lines.append(f"  {where} {flag.column or ''} {flag.rule}：{flag.value}（{flag.action}）")
    if len(report.flags) > 20:
        lines.append(f"  …… 共 {len(report.flags)} 条，完整记录请用 --workbook 或 --json")
    lines += _unused_lines(unused)
    if workbook:
        lines.append(f"记录已写入 {workbook}")
    return "\n".join(lines)


def _unused_lines(unused: list[Unused]) -> list[str]:
    if not unused:
        return []
    return ["未使用的列：", *(f"  {u.column} —— {u.why}" for u in unused)]


# ---------------------------------------------------------------------------------------------
# csi estimate


def run_estimate(args: argparse.Namespace) -> int:
    try:
        scheme = _scheme(args)
        rules = _rules(args, scheme)
        model = _model(args.model)
        scale = tuple(args.scale) if args.scale else None
        analysis = analyse(
            args.data,
            codebook=load_codebook(args.codebook) if args.codebook else None,
            model=model,
            rules=rules,
            scheme=args.weighting,
            stop=args.stop,
            scaled=args.scaled,
            resamples=args.bootstrap,
            seed=args.seed,
            level=args.level,
            scale=scale,  # type: ignore[arg-type]
            text_cells=_text_cells(args),
        )
    except READ_ERRORS as exc:
        return _fail("csi estimate", exc)
    except (MeasurementError, ValueError, OSError) as exc:
        return _fail("csi estimate", exc, code=2 if isinstance(exc, OSError) else 1)
    if analysis.result is None:
        return _fail("csi estimate", analysis.error or "无法估计", code=1)
    result = analysis.result
    if args.report:
        _write_report(args.report, analysis, args.declared)
    if args.json:
        data = to_json(result)
        data["notes"] = analysis.notes
        data["unused"] = [{"column": u.column, "why": u.why} for u in analysis.unused]
        data["index_failures"] = analysis.index_failures()
        if analysis.segments is not None:
            data["segments"] = {
                "column": analysis.segments.column,
                "sizes": analysis.segments.sizes,
                "skipped": analysis.segments.skipped,
                "index": analysis.segments.index_table(),
            }
        _print_json(data)
    else:
        print(_estimate_text(analysis, args.declared))
    failures = analysis.index_failures()
    if failures:
        for failure in failures:
            print(f"manyi csi estimate: 指数不成立：{failure}", file=sys.stderr)
        return 1
    return 0


def _write_report(target: str, analysis: Analysis, declared: float | None) -> None:
    from manyi.measurement.report import render_report_html, render_report_pdf

    options = {"segments": analysis.segments, "declared_score": declared}
    assert analysis.result is not None
    if target.lower().endswith(".pdf"):
        Path(target).write_bytes(render_report_pdf(analysis.result, **options))
    else:
        Path(target).write_text(render_report_html(analysis.result, **options), encoding="utf-8")


def _estimate_text(analysis: Analysis, declared: float | None) -> str:
    result = analysis.result
    assert result is not None
    model = result.model
    value = result.satisfaction_index()
    lines = [f"{model.name}：样本 {result.n} 个，{result.scheme} 方案，迭代 {result.iterations} 次"]
    lines += [f"说明：{note}" for note in analysis.notes]
    if value is not None:
        lines.append(f"{model.label(result.target)}指数：{value:.2f}")
    else:
        lines.append(
            f"{model.label(result.target)}指数：不成立（{result.index[result.target].note}）"
        )
    if declared is not None and value is not None:
        lines.append(
            f"申报满意度 {declared:.2f}，重新计算 {value:.2f}，相差 {value - declared:+.2f}"
        )
    lines.append(
        "指数：" + "，".join(f"{model.label(k)} {_f(v.value, 1)}" for k, v in result.index.items())
    )
    lines.append("路径系数：")
    boot = result.bootstrap
    for path in result.paths:
        text = f"  {path.source} → {path.target}  {path.estimate:.4f}"
        if boot is not None:
            interval = boot.interval("paths", f"{path.source}->{path.target}")
            text += f"  [{interval.ci_low:.4f}, {interval.ci_high:.4f}]"
        lines.append(text)
    lines.append("R²：" + "，".join(f"{k} {result.r2_of(k):.3f}" for k in model.endogenous()))
    lines.append(f"GoF：{result.gof:.4f}")
    if boot is not None:
        lines.append(f"自助法：{boot.resamples} 次，失败 {boot.failed} 次，种子 {boot.seed}")
    lines += [f"提示：{w}" for w in result.warnings]
    lines += _unused_lines(analysis.unused)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Shared


def _scheme(args: argparse.Namespace) -> Any:
    from manyi.rules import SchemeError, load_scheme, load_scheme_file, newest_year

    try:
        if args.scheme:
            return load_scheme_file(args.scheme)
        return load_scheme(args.year if args.year is not None else newest_year())
    except (SchemeError, OSError) as exc:
        raise MeasurementError(str(exc)) from None


def _rules(args: argparse.Namespace, scheme: Any) -> QualityRules:
    overrides: dict[str, Any] = {}
    if args.max_missing is not None:
        overrides["max_missing_share"] = args.max_missing
    if args.min_respondents is not None:
        overrides["min_respondents"] = args.min_respondents
    if args.period:
        start, end = (_date(text) for text in args.period)
        if end < start:
            raise MeasurementError(f"调查结束日期 {end} 早于开始日期 {start}")
        overrides["declared_period"] = (start, end)
    return QualityRules.from_scheme(scheme, **overrides)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise MeasurementError(f"日期「{text}」应写成 YYYY-MM-DD，如 2025-03-01") from None


def _model(name: str | None) -> Model:
    if name is None:
        return default_model()
    if name in ("china_csi", "ecsi") and not Path(name).exists():
        return packaged_model(name)
    return load_model(name)


def _codebook(
    args: argparse.Namespace, table: Any, model: Model, layout: Any
) -> tuple[Codebook, list[str]]:
    if args.codebook:
        return complete_codebook(load_codebook(args.codebook), layout)
    return codebook_for(table, model, layout=layout)


def _text_cells(args: argparse.Namespace) -> Any:
    return "missing" if args.text_as_missing else "error"


def _fail(command: str, exc: Exception | str, code: int = 2) -> int:
    print(f"manyi {command}: 错误：{exc}", file=sys.stderr)
    return code


def _f(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
