"""The background run of a survey analysis (a Celery task; see :mod:`manyi.web.tasks_runner`).

Every database file of the application is read and checked (its own quality records and
findings); the file with the most valid respondents is estimated, bootstrapped and reported,
and the run records which file that was and why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.measurement import (
    Analysis,
    MeasurementError,
    QualityRules,
    analyse,
    bootstrap,
    check_respondent_list,
    default_model,
    load_respondent_list,
)
from manyi.measurement.codebook import parse_codebook_toml
from manyi.measurement.codebook_file import dump_codebook
from manyi.measurement.ipa import compare_segments
from manyi.measurement.outputs import render_outputs
from manyi.rules.model import Scheme
from manyi.verdict import Finding
from manyi.web.applications.models import MaterialFile
from manyi.web.campaigns.selectors import scheme_for_campaign
from manyi.web.celery import app
from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis
from manyi.web.surveys.selectors import declared_score, survey_setup

logger = logging.getLogger(__name__)


def _progress(analysis_id: int, low: float = 0.0, high: float = 1.0):
    def report(stage: str, share: float) -> None:
        SurveyAnalysis.objects.filter(pk=analysis_id).update(
            stage=stage[:100], progress=low + (high - low) * share
        )

    return report


@app.task(name="manyi.surveys.analyse")
def analyse_survey(analysis_id: int) -> None:
    analysis = (
        SurveyAnalysis.objects.select_related(
            "application__campaign", "application__organisation", "database", "respondent_list"
        )
        .filter(pk=analysis_id)
        .first()
    )
    claimed = SurveyAnalysis.objects.filter(pk=analysis_id, status=AnalysisStatus.QUEUED).update(
        status=AnalysisStatus.RUNNING, stage=_("开始"), progress=0
    )
    if analysis is None or not claimed:
        return  # removed, or taken by another worker
    try:
        _run(analysis)
    except MeasurementError as exc:
        _fail(analysis, str(exc))
    except Exception:  # a bug must not leave the run "running" for ever
        logger.exception("survey analysis %s failed", analysis_id)
        _fail(analysis, _("计算时出现系统错误，已记录。请稍后重试或联系秘书处。"))


def _fail(analysis: SurveyAnalysis, reason: str) -> None:
    SurveyAnalysis.objects.filter(pk=analysis.pk).update(
        status=AnalysisStatus.FAILED, error=reason, finished_at=timezone.now()
    )


@dataclass
class _FileRun:
    stored: MaterialFile
    analysis: Analysis | None = None
    error: str = ""


def _run(analysis: SurveyAnalysis) -> None:
    application = analysis.application
    scheme = scheme_for_campaign(application.campaign)
    setup = survey_setup(application)
    rules = QualityRules.from_scheme(
        scheme, declared_period=setup.period if setup is not None else None
    )
    codebook = (
        parse_codebook_toml(setup.codebook_text, setup.codebook_name or "码本")
        if setup is not None and setup.codebook_text
        else None
    )
    runs = _read_every_file(analysis, rules, codebook)
    main = _main_run(runs)
    if main is None:
        reasons = "；".join(f"{r.stored.original_name}：{r.error}" for r in runs)
        raise MeasurementError(reasons or _("没有可读取的数据库文件。"))
    result = _finish(analysis, main)
    declared = declared_score(application, scheme)
    outputs = render_outputs(
        result,
        organisation=application.organisation.name,
        declared_score=float(declared) if declared is not None else None,
        progress=_progress(analysis.pk),
    )
    analysis.database = main.stored
    analysis.quality = outputs.quality
    analysis.findings = _respondent_findings(analysis, result, scheme, runs)
    analysis.declared_score = declared
    analysis.records.save("复核记录.xlsx", ContentFile(outputs.records), save=False)
    analysis.details = _details(runs, main, result)
    analysis.error = result.error or ""
    analysis.result = outputs.result or {}
    if result.result is not None:
        analysis.recomputed_index = result.result.satisfaction_index()
        _interval(analysis, result)
        analysis.diagram_svg, analysis.ipa_svg = outputs.diagram_svg, outputs.ipa_svg
    if outputs.report is not None:
        analysis.report.save("测评报告.pdf", ContentFile(outputs.report), save=False)
    analysis.status = AnalysisStatus.DONE
    analysis.stage = _("完成")
    analysis.progress = 1.0
    analysis.finished_at = timezone.now()
    analysis.save()


def _read_every_file(
    analysis: SurveyAnalysis, rules: QualityRules, codebook: Any
) -> list[_FileRun]:
    """Check every database file (no bootstrap yet): records, findings, valid respondents."""
    ids = [entry["id"] for entry in analysis.details.get("files", [])] or [analysis.database_id]
    stored_files = {f.pk: f for f in MaterialFile.objects.filter(pk__in=ids)}
    runs = []
    share = 0.2 / max(len(ids), 1)
    for position, file_id in enumerate(ids):
        stored = stored_files.get(file_id)
        if stored is None:
            continue
        run = _FileRun(stored)
        progress = _progress(analysis.pk, position * share, (position + 1) * share)
        try:
            run.analysis = analyse(
                stored.file.open("rb").read(),
                stored.original_name,
                codebook=codebook,
                rules=rules,
                segments=False,
                progress=progress,
            )
        except MeasurementError as exc:
            run.error = str(exc)
        runs.append(run)
    return runs


def _main_run(runs: list[_FileRun]) -> _FileRun | None:
    """The file to estimate: the one with the most valid respondents (first on a tie)."""
    readable = [r for r in runs if r.analysis is not None]
    if not readable:
        return None
    return max(readable, key=lambda r: r.analysis.quality.n_clean)  # type: ignore[union-attr]


def _finish(analysis: SurveyAnalysis, main: _FileRun) -> Analysis:
    """Bootstrap and segment comparison for the file that counts."""
    result = main.analysis
    assert result is not None
    fit = result.result
    if fit is not None:
        progress = _progress(analysis.pk, 0.25, 0.85)
        fit.bootstrap = bootstrap(
            fit,
            settings.MANYI_SURVEY_RESAMPLES,
            seed=analysis.application_id,
            progress=lambda done, total: progress("自助法", done / total),
        )
        segment = result.survey.codebook.segment_column
        if segment is not None:
            cleaned = result.quality.cleaned
            result.segments = compare_segments(
                cleaned, result.model, cleaned.segments, column=segment, overall=fit
            )
    return result


def _details(runs: list[_FileRun], main: _FileRun, result: Analysis) -> dict[str, Any]:
    files = []
    for run in runs:
        entry: dict[str, Any] = {
            "id": run.stored.pk,
            "name": run.stored.original_name,
            "sha256": run.stored.sha256,
            "used": run is main,
            "error": run.error,
        }
        if run.analysis is not None:
            quality = run.analysis.quality
            entry.update(
                n_raw=quality.n_raw,
                n_clean=quality.n_clean,
                status=quality.status,
                findings=[f.to_dict() for f in quality.findings()],
            )
        entry["why"] = _why(run, main, runs)
        files.append(entry)
    layout = result.layout
    codebook = result.survey.codebook
    layout_data: dict[str, Any] = layout.to_dict() if layout is not None else {}
    layout_data["items"] = [_item_row(item, codebook, layout) for item in codebook.items]
    return {
        "files": files,
        "layout": layout_data,
        "codebook": dump_codebook(codebook, _("本次复核所用的码本")),
        "notes": list(result.notes),
        "unused": [{"column": u.column, "why": u.why} for u in result.unused],
        "index_failures": result.index_failures() if result.result is not None else [],
        "period": _period(result),
    }


def _item_row(item: Any, codebook: Any, layout: Any) -> dict[str, Any]:
    """One question of the run's codebook, as the mapping form shows it."""
    guess = layout.column(item.column) if layout is not None else None
    construct = ""
    if item.construct:
        try:
            construct = default_model().construct(item.construct).key
        except MeasurementError:
            construct = ""
    bounds = codebook.item_bounds(item)
    label_set = codebook.label_set(item)
    answers = label_set.title if label_set is not None else ""
    if not answers and bounds is not None:
        answers = f"{bounds[0]:g}–{bounds[1]:g} 分"
    return {
        "header": item.column,
        "key": item.key,
        "wording": item.label or "",
        "construct": construct,
        "reverse": item.reverse,
        "why": guess.why if guess is not None and guess.kind == "item" else _("码本中的题项"),
        "answers": answers,
    }


def _why(run: _FileRun, main: _FileRun, runs: list[_FileRun]) -> str:
    if run.analysis is None:
        return _("无法读取：%(e)s") % {"e": run.error}
    if len(runs) == 1:
        return _("唯一的数据库文件")
    if run is main:
        return _("有效样本最多（%(n)s 个），用于估计和测评报告") % {
            "n": run.analysis.quality.n_clean
        }
    return _("已校验；估计用有效样本最多的「%(m)s」") % {"m": main.stored.original_name}


def _period(result: Analysis) -> dict[str, Any]:
    rules = result.quality.rules_used
    declared = rules.declared_period if rules is not None else None
    has_dates = result.survey.codebook.date_column is not None
    return {
        "from_data": has_dates,
        "declared": [d.isoformat() for d in declared] if declared else None,
    }


def _interval(analysis: SurveyAnalysis, result: Analysis) -> None:
    """The bootstrap percentile interval of the satisfaction index, when the index stands."""
    fit = result.result
    boot = fit.bootstrap if fit is not None else None
    if boot is None or analysis.recomputed_index is None:
        return
    try:
        interval = boot.interval("index", fit.target)
    except KeyError:
        return
    analysis.index_low, analysis.index_high = interval.ci_low, interval.ci_high


def _respondent_findings(
    analysis: SurveyAnalysis, result: Analysis, scheme: Scheme, runs: list[_FileRun]
) -> list[dict[str, Any]]:
    if analysis.respondent_list is None:
        return []
    stored = analysis.respondent_list
    try:
        listing = load_respondent_list(stored.file.open("rb").read(), stored.original_name)
    except MeasurementError as exc:
        unread = Finding(
            "survey.respondents_read",
            "warn",
            _("被访者名单无法自动核对：%(e)s") % {"e": exc},
            where="survey",
            fix=_("名单为表格（XLSX/CSV）时系统可逐条核对；请人工核对名单的姓名和联系方式。"),
            reason=_("系统读不了的名单无法核对，但这不等于名单不合要求。"),
        )
        return [unread.to_dict()]
    total = sum(r.analysis.quality.n_raw for r in runs if r.analysis is not None)
    findings = check_respondent_list(
        listing, result.survey, rule=scheme.measurement.respondent_list, total=total
    )
    return [f.verdict().to_dict() for f in findings]
