"""``manyi survey check`` and ``manyi csi estimate``: the measurement engine on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from manyi.measurement.codebook import Codebook, load_codebook
from manyi.measurement.errors import (
    CodebookError,
    MeasurementError,
    ModelError,
    SurveyReadError,
)
from manyi.measurement.model import Model, default_model, load_model, packaged_model
from manyi.measurement.pipeline import analyse, codebook_for
from manyi.measurement.quality import STATUS_LABELS, QualityReport, QualityRules, validate
from manyi.measurement.respondents import check_respondent_list, load_respondent_list
from manyi.measurement.serialize import findings_json, quality_json, to_json
from manyi.measurement.survey import survey_from_table
from manyi.measurement.tables import read_table
from manyi.measurement.workbook import quality_workbook

READ_ERRORS = (SurveyReadError, CodebookError, ModelError)
FINDING_LABELS = {"pass": "通过", "warn": "警告", "fail": "不通过"}


def register(subparsers: Any) -> None:
    """Add ``survey`` (check) and ``csi`` (estimate) to the ``manyi`` parser."""
    _register_survey(subparsers)
    _register_csi(subparsers)


def _register_survey(subparsers: Any) -> None:
    survey = subparsers.add_parser("survey", help="满意度调查数据库：校验、查错、清洗记录")
    commands = survey.add_subparsers(dest="survey_command", metavar="COMMAND")
    commands.required = True
    check = commands.add_parser(
        "check",
        help="校验调查数据库并输出校验标准、查错记录、清洗过程记录和复核记录",
        description="校验调查数据库。退出码：0 通过（可有警告），1 有不通过项，2 文件无法读取。",
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
            "退出码：0 成功，1 数据无法估计（如方差为零、不收敛），2 文件无法读取。"
        ),
    )
    parser.add_argument("data", metavar="DATA", help="调查数据库（.xlsx 或 .csv）")
    _data_options(parser)
    parser.add_argument("--model", metavar="FILE", help="模型文件（TOML）；或内置 china_csi、ecsi")
    parser.add_argument("--scheme", choices=("centroid", "factorial", "path"), default="centroid")
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
        "--text-as-missing", action="store_true", help="题项中的非数字内容按缺失处理并记入查错记录"
    )
    parser.add_argument(
        "--year", type=int, default=2025, help="评价年度（取调查开始日期，默认 2025）"
    )
    parser.add_argument("--start", metavar="YYYY-MM-DD", help="调查开始日期（覆盖评价方案）")
    parser.add_argument(
        "--max-missing", type=float, default=0.2, help="样本缺答比例上限（默认 0.2）"
    )
    parser.add_argument("--min-respondents", type=int, default=30, help="有效样本量下限（默认 30）")


# ---------------------------------------------------------------------------------------------
# survey check


def run_check(args: argparse.Namespace) -> int:
    try:
        rules = _rules(args)
        table = read_table(args.data)
        codebook = _codebook(args, table, default_model())
        survey = survey_from_table(table, codebook, text_cells=_text_cells(args))
        listing = load_respondent_list(args.respondents) if args.respondents else None
    except (MeasurementError, ValueError) as exc:
        return _fail("survey check", exc)
    report = validate(survey, rules)
    findings = check_respondent_list(listing, survey) if listing is not None else []
    if args.workbook:
        Path(args.workbook).write_bytes(quality_workbook(report))
    if args.json:
        data = quality_json(report)
        data["respondent_list"] = findings_json(findings) if listing is not None else None
        _print_json(data)
    else:
        print(_check_text(report, findings, args.workbook))
    failed = report.status == "fail" or any(f.status == "fail" for f in findings)
    return 1 if failed else 0


def _check_text(report: QualityReport, findings: list[Any], workbook: str | None) -> str:
    lines = [report.summary()]
    lines += [f"  [{STATUS_LABELS[s]}] {m}" for s, m in report.problems]
    counts = report.counts()
    if counts:
        lines.append("查错：" + "；".join(f"{rule} {count} 处" for rule, count in counts.items()))
    for step in report.steps:
        lines.append(
            f"清洗：{step.step} {step.affected}（{step.n_before} → {step.n_after}）{step.detail}"
        )
    for flag in report.flags[:20]:
        where = f"第 {flag.row} 行" if flag.row else "全表"
        lines.append(f"  {where} {flag.column or ''} {flag.rule}：{flag.value}（{flag.action}）")
    if len(report.flags) > 20:
        lines.append(f"  …… 共 {len(report.flags)} 条，完整记录请用 --workbook 或 --json")
    for finding in findings:
        lines.append(f"被访者名单 [{FINDING_LABELS[finding.status]}] {finding.message}")
        lines += [f"    {d}" for d in finding.details[:10]]
    if workbook:
        lines.append(f"记录已写入 {workbook}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# csi estimate


def run_estimate(args: argparse.Namespace) -> int:
    try:
        rules = _rules(args)
        model = _model(args.model)
        scale = tuple(args.scale) if args.scale else None
        analysis = analyse(
            args.data,
            codebook=load_codebook(args.codebook) if args.codebook else None,
            model=model,
            rules=rules,
            scheme=args.scheme,
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
        if analysis.segments is not None:
            data["segments"] = {
                "column": analysis.segments.column,
                "sizes": analysis.segments.sizes,
                "skipped": analysis.segments.skipped,
                "index": analysis.segments.index_table(),
            }
        _print_json(data)
    else:
        print(_estimate_text(result, args.declared))
    return 0


def _write_report(target: str, analysis: Any, declared: float | None) -> None:
    from manyi.measurement.report import render_report_html, render_report_pdf

    options = {"segments": analysis.segments, "declared_score": declared}
    if target.lower().endswith(".pdf"):
        Path(target).write_bytes(render_report_pdf(analysis.result, **options))
    else:
        Path(target).write_text(render_report_html(analysis.result, **options), encoding="utf-8")


def _estimate_text(result: Any, declared: float | None) -> str:
    model = result.model
    value = result.satisfaction_index()
    lines = [
        f"{model.name}：样本 {result.n} 个，{result.scheme} 方案，迭代 {result.iterations} 次",
        f"{model.label(result.target)}指数：{value:.2f}"
        if value is not None
        else "满意度指数：无法计算",
    ]
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
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Shared


def _rules(args: argparse.Namespace) -> QualityRules:
    start = date.fromisoformat(args.start) if args.start else None
    if start is None:
        from manyi.rules import SchemeError, load_scheme

        try:
            start = load_scheme(args.year).campaign.survey_start_date
        except SchemeError as exc:
            raise MeasurementError(str(exc)) from None
    return QualityRules(
        survey_start=start,
        max_missing_share=args.max_missing,
        min_respondents=args.min_respondents,
    )


def _model(name: str | None) -> Model:
    if name is None:
        return default_model()
    if name in ("china_csi", "ecsi") and not Path(name).exists():
        return packaged_model(name)
    return load_model(name)


def _codebook(args: argparse.Namespace, table: Any, model: Model) -> Codebook:
    if args.codebook:
        return load_codebook(args.codebook)
    return codebook_for(table, model)


def _text_cells(args: argparse.Namespace) -> Any:
    return "missing" if args.text_as_missing else "error"


def _fail(command: str, exc: Exception | str, code: int = 2) -> int:
    print(f"manyi {command}: 错误：{exc}", file=sys.stderr)
    return code


def _f(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
