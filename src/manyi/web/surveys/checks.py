"""What the survey recomputation adds to the pre-submission check."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.rules.model import Scheme
from manyi.verdict import Finding
from manyi.web.applications.models import Application
from manyi.web.applications.precheck import register_check, register_link
from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis
from manyi.web.surveys.selectors import (
    analysis_is_current,
    current_database,
    declared_score,
    latest_analysis,
)

SURVEY_DATE_FLAG = "访问日期早于开始日期"
QUALITY_REASON = (
    "数据质量规则（样本量、缺失、重复、直线作答等）是本系统按常用做法给出的建议，申请书未作规定"
)


def _analysis_link(application: Application, rest: str) -> str:
    return reverse("surveys:analysis", args=[application.pk])


register_link("survey", _analysis_link)


@register_check
def survey_checks(application: Application, scheme: Scheme) -> Iterable[Finding]:
    if current_database(application) is None:
        return  # the materials check already asks for the database
    where = "survey"
    analysis = latest_analysis(application)
    if analysis is None or not analysis_is_current(analysis, application):
        yield Finding(
            "survey.analysis",
            "warn",
            _("数据库尚未按原始数据复核满意度。"),
            where=where,
            fix=_("在“测评复核”页运行复核，核对数据质量和满意度得分。"),
            reason=_("由原始数据复核满意度是本系统提供的核对，申请书未作要求。"),
        )
        return
    if analysis.status in (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING):
        yield Finding(
            "survey.analysis",
            "warn",
            _("满意度复核正在计算中。"),
            where=where,
            reason=_("复核完成后才能给出数据质量和满意度的结论。"),
        )
        return
    if analysis.status == AnalysisStatus.FAILED:
        yield Finding(
            "survey.read",
            "warn",
            _("数据库无法读取：%(e)s") % {"e": analysis.error},
            where=where,
            fix=_("请检查数据库文件和码本后重新上传。"),
            reason=_("系统读不了的数据库无法复核，但不等于数据库不合要求。"),
        )
        return
    yield from _quality(analysis, scheme, where)
    yield from _respondents(analysis, scheme, where)
    yield from _score(application, analysis, scheme, where)


def _quality(analysis: SurveyAnalysis, scheme: Scheme, where: str) -> Iterable[Finding]:
    quality = analysis.quality
    standards = {rule["name"]: rule for rule in quality.get("rules", [])}
    flagged: dict[str, list[dict]] = {}
    for flag in quality.get("flags", []):
        flagged.setdefault(flag["rule"], []).append(flag)
    for name, flags in flagged.items():
        rule = standards.get(name, {})
        message = _("数据校验「%(r)s」：%(n)s 处（%(std)s），处理：%(a)s。") % {
            "r": name,
            "n": len(flags),
            "std": rule.get("standard", ""),
            "a": flags[0].get("action", ""),
        }
        fix = _("详见复核记录（XLSX）的查错记录。")
        if name == SURVEY_DATE_FLAG:
            yield Finding(
                "survey.date",
                "fail",
                message,
                where=where,
                fix=fix,
                source="seed",
                quote=scheme.measurement.source,
            )
        else:
            yield Finding(
                "survey.quality", "warn", message, where=where, fix=fix, reason=QUALITY_REASON
            )
    for problem in quality.get("problems", []):
        yield Finding(
            "survey.quality",
            "warn",
            problem["message"],
            where=where,
            fix=_("详见复核记录（XLSX）。"),
            reason=QUALITY_REASON,
        )
    if not flagged and not quality.get("problems"):
        yield Finding(
            "survey.quality",
            "pass",
            _("数据库校验通过：原始样本 %(a)s 个，清洗后 %(b)s 个。")
            % {"a": quality.get("n_raw"), "b": quality.get("n_clean")},
            where=where,
        )


def _respondents(analysis: SurveyAnalysis, scheme: Scheme, where: str) -> Iterable[Finding]:
    rule = scheme.measurement.respondent_list
    for finding in analysis.findings:
        status = finding["status"]
        yield Finding(
            f"survey.{finding['code']}",
            status,
            finding["message"],
            where=where,
            source="seed" if status == "fail" else "advice",
            quote=rule.source if status == "fail" else "",
            reason="" if status == "fail" else _("被访者名单的核对"),
        )


def _score(
    application: Application, analysis: SurveyAnalysis, scheme: Scheme, where: str
) -> Iterable[Finding]:
    reason = _("申请表填报的满意度应与第三方测量报告和数据库一致；系统重算的结果仅供核对。")
    if analysis.recomputed_index is None:
        yield Finding(
            "survey.estimate",
            "warn",
            _("无法由数据库重算满意度：%(e)s") % {"e": analysis.error},
            where=where,
            reason=reason,
        )
        return
    declared = declared_score(application)
    difference = None if declared is None else analysis.recomputed_index - float(declared)
    tolerance = scheme.measurement.declared_score_tolerance
    values = {"r": f"{analysis.recomputed_index:.1f}", "t": tolerance}
    if difference is None:
        yield Finding(
            "survey.score",
            "warn",
            _("由原始数据重算的满意度为 %(r)s，申请表尚未填写满意度。") % values,
            where=where,
            reason=reason,
        )
    elif abs(difference) > tolerance:
        values.update(d=f"{declared}", x=f"{difference:+.1f}")
        yield Finding(
            "survey.score",
            "warn",
            _("申请表填报的满意度 %(d)s 与由原始数据重算的 %(r)s 相差 %(x)s 分，超过 %(t)s 分。")
            % values,
            where=where,
            fix=_("请核对第三方测量报告中的得分和数据库是否一致。"),
            reason=reason,
        )
    else:
        values.update(d=f"{declared}")
        yield Finding(
            "survey.score",
            "pass",
            _("填报的满意度 %(d)s 与重算的 %(r)s 一致（相差不超过 %(t)s 分）。") % values,
            where=where,
        )
