"""What the survey recomputation adds to the pre-submission check (体检).

Every finding is a :class:`manyi.verdict.Finding` with ``where="survey"`` and the provenance
the engine gave it from the scheme: the form's own rules (survey date, respondent list) fail
and quote the form; data-quality checks, the respondents-in-database match and the declared
score's agreement are the system's advice and warn. A check that could not run says so.
"""

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
    database_files,
    declared_score,
    latest_analysis,
)

WHERE = "survey"


def _analysis_link(application: Application, rest: str) -> str:
    return reverse("surveys:analysis", args=[application.pk])


register_link(WHERE, _analysis_link)


def _advice(code: str, message: str, reason: str, fix: str = "") -> Finding:
    return Finding(code, "warn", message, where=WHERE, fix=fix, reason=reason)


@register_check
def survey_checks(application: Application, scheme: Scheme) -> Iterable[Finding]:
    if not database_files(application, scheme):
        return  # the materials check already asks for the database
    analysis = latest_analysis(application)
    if analysis is None or not analysis_is_current(analysis, application, scheme):
        yield _advice(
            "survey.analysis",
            _("数据库尚未按原始数据复核满意度。"),
            _("由原始数据复核满意度是本系统提供的核对，申请书未作要求。"),
            _("在“第三方测量”步骤运行复核，核对数据质量和满意度得分。"),
        )
        return
    if analysis.status in (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING):
        yield _advice(
            "survey.analysis",
            _("满意度复核正在后台计算中。"),
            _("复核完成后才能给出数据质量和满意度的结论。"),
        )
        return
    if analysis.status == AnalysisStatus.FAILED:
        yield _advice(
            "survey.read",
            _("数据库无法读取，未能复核：%(e)s") % {"e": analysis.error or _("原因未记录")},
            _("系统读不了的数据库无法复核，但这不等于数据库不合要求。"),
            _("请检查数据库文件和码本后重新上传。"),
        )
        return
    yield from _file_findings(analysis)
    yield from (Finding.from_dict(f) for f in analysis.findings)
    yield from _score(application, analysis, scheme)


def _file_findings(analysis: SurveyAnalysis) -> Iterable[Finding]:
    """Each database file's own findings (an unknown status raises, it never passes)."""
    files = analysis.details.get("files") or [{"name": "", "findings": None}]
    several = len(files) > 1
    for entry in files:
        stored = entry.get("findings")
        if stored is None:  # a run from before per-file findings: the estimated file's
            stored = analysis.quality.get("findings", [])
        if entry.get("error"):
            yield _advice(
                "survey.read",
                _("数据库文件「%(n)s」无法读取：%(e)s") % {"n": entry["name"], "e": entry["error"]},
                _("系统读不了的数据库无法复核，但这不等于数据库不合要求。"),
            )
            continue
        prefix = _("「%(n)s」：") % {"n": entry["name"]} if several else ""
        found = [Finding.from_dict(data) for data in stored]
        for finding in found:
            yield Finding.from_dict({**finding.to_dict(), "message": prefix + finding.message})
        if not found:
            yield Finding(
                "survey.quality",
                "pass",
                prefix
                + _("数据库校验通过：原始样本 %(a)s 个，清洗后 %(b)s 个。")
                % {"a": entry.get("n_raw", "—"), "b": entry.get("n_clean", "—")},
                where=WHERE,
            )


def _score(application: Application, analysis: SurveyAnalysis, scheme: Scheme) -> Iterable[Finding]:
    rule = scheme.measurement.declared_score
    tolerance = rule.value or 0
    if analysis.recomputed_index is None:
        reasons = analysis.details.get("index_failures") or [analysis.error or _("原因未记录")]
        yield rule.violation(
            "survey.estimate",
            _("由数据库重算的满意度没有给出：%(r)s") % {"r": "；".join(reasons)},
            where=WHERE,
            fix=_("按原因修改码本（量表、反向计分的题项、题项与潜变量的对应）后重新复核。"),
        )
        return
    declared = declared_score(application, scheme)
    values = {"r": f"{analysis.recomputed_index:.1f}", "t": f"{tolerance:g}"}
    if declared is None:
        yield rule.violation(
            "survey.score",
            _("由原始数据重算的满意度为 %(r)s，申请表尚未填写满意度。") % values,
            where=WHERE,
        )
        return
    difference = analysis.recomputed_index - float(declared)
    values.update(d=f"{declared}", x=f"{difference:+.1f}")
    if abs(difference) > tolerance:
        yield rule.violation(
            "survey.score",
            _("申请表填报的满意度 %(d)s 与由原始数据重算的 %(r)s 相差 %(x)s 分，超过 %(t)s 分。")
            % values,
            where=WHERE,
            fix=_("请核对第三方测量报告中的得分和数据库是否一致。"),
        )
    else:
        yield rule.satisfied(
            "survey.score",
            _("填报的满意度 %(d)s 与重算的 %(r)s 一致（相差不超过 %(t)s 分）。") % values,
            where=WHERE,
        )
