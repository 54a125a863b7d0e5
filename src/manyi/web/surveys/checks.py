"""What the survey recomputation adds to the pre-submission check."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.rules.model import Scheme
from manyi.web.applications.checks import CheckItem, register_check
from manyi.web.applications.models import Application
from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis
from manyi.web.surveys.selectors import (
    analysis_is_current,
    current_database,
    declared_score,
    latest_analysis,
)

STATUS = {"fail": "fail", "warn": "warn", "warning": "warn", "pass": "pass"}


def _where(scheme: Scheme) -> str:
    return f"materials.{scheme.material('survey_database').group}"


@register_check
def survey_checks(application: Application, scheme: Scheme) -> Iterable[CheckItem]:
    if current_database(application) is None:
        return  # the materials check already asks for the database
    where = _where(scheme)
    link = reverse("surveys:analysis", args=[application.pk])
    analysis = latest_analysis(application)
    if analysis is None or not analysis_is_current(analysis, application):
        yield CheckItem(
            "survey.analysis",
            "warn",
            _("数据库尚未按原始数据复核满意度。"),
            where,
            link,
            _("在“测评复核”页运行复核，核对数据质量和满意度得分。"),
        )
        return
    if analysis.status in (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING):
        yield CheckItem("survey.analysis", "warn", _("满意度复核正在计算中。"), where, link)
        return
    if analysis.status == AnalysisStatus.FAILED:
        yield CheckItem(
            "survey.read",
            "fail",
            _("数据库无法读取：%(e)s") % {"e": analysis.error},
            where,
            link,
            _("请检查数据库文件和码本后重新上传。"),
        )
        return
    yield from _quality(analysis, where, link)
    yield from _respondents(analysis, where, link)
    yield from _score(application, analysis, scheme, where, link)


def _quality(analysis: SurveyAnalysis, where: str, link: str) -> Iterable[CheckItem]:
    quality = analysis.quality
    standards = {rule["name"]: rule for rule in quality.get("rules", [])}
    flagged: dict[str, list[dict]] = {}
    for flag in quality.get("flags", []):
        flagged.setdefault(flag["rule"], []).append(flag)
    for name, flags in flagged.items():
        severity = max((f.get("severity", "warn") for f in flags), key=lambda s: s == "fail")
        rule = standards.get(name, {})
        message = _("数据校验「%(r)s」：%(n)s 处（%(std)s），处理：%(a)s。") % {
            "r": name,
            "n": len(flags),
            "std": rule.get("standard", ""),
            "a": flags[0].get("action", ""),
        }
        yield CheckItem(
            "survey.quality",
            STATUS.get(severity, "warn"),
            message,
            where,
            link,
            _("详见复核记录（XLSX）的查错记录。"),
        )
    for problem in quality.get("problems", []):
        yield CheckItem(
            "survey.quality",
            STATUS.get(problem.get("severity", ""), "warn"),
            problem["message"],
            where,
            link,
            _("详见复核记录（XLSX）。"),
        )
    if not flagged and not quality.get("problems"):
        yield CheckItem(
            "survey.quality",
            "pass",
            _("数据库校验通过：原始样本 %(a)s 个，清洗后 %(b)s 个。")
            % {"a": quality.get("n_raw"), "b": quality.get("n_clean")},
            where,
        )


def _respondents(analysis: SurveyAnalysis, where: str, link: str) -> Iterable[CheckItem]:
    for finding in analysis.findings:
        yield CheckItem(
            f"survey.{finding['code']}",
            STATUS.get(finding["status"], "warn"),
            finding["message"],
            where,
            link,
        )


def _score(
    application: Application, analysis: SurveyAnalysis, scheme: Scheme, where: str, link: str
) -> Iterable[CheckItem]:
    if analysis.recomputed_index is None:
        yield CheckItem(
            "survey.estimate",
            "warn",
            _("无法由数据库重算满意度：%(e)s") % {"e": analysis.error},
            where,
            link,
        )
        return
    declared = declared_score(application)
    difference = None if declared is None else analysis.recomputed_index - float(declared)
    tolerance = scheme.measurement.declared_score_tolerance
    values = {"r": f"{analysis.recomputed_index:.1f}", "t": tolerance}
    if difference is None:
        yield CheckItem(
            "survey.score",
            "warn",
            _("由原始数据重算的满意度为 %(r)s，申请表尚未填写满意度。") % values,
            where,
            link,
        )
    elif abs(difference) > tolerance:
        values.update(d=f"{declared}", x=f"{difference:+.1f}")
        yield CheckItem(
            "survey.score",
            "warn",
            _("申请表填报的满意度 %(d)s 与由原始数据重算的 %(r)s 相差 %(x)s 分，超过 %(t)s 分。")
            % values,
            where,
            link,
            _("请核对第三方测量报告中的得分和数据库是否一致。"),
        )
    else:
        values.update(d=f"{declared}")
        yield CheckItem(
            "survey.score",
            "pass",
            _("填报的满意度 %(d)s 与重算的 %(r)s 一致（相差不超过 %(t)s 分）。") % values,
            where,
        )
