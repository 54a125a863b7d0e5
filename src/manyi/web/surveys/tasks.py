"""The background run of a survey analysis (Celery; in-process without a broker)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.measurement import (
    MeasurementError,
    QualityRules,
    analyse,
    check_respondent_list,
    importance_performance,
    load_codebook,
    load_respondent_list,
    quality_json,
    quality_workbook,
    render_report_pdf,
    to_json,
)
from manyi.measurement.svg import ipa_chart, model_diagram
from manyi.rules import load_scheme
from manyi.web.celery import app
from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis
from manyi.web.surveys.selectors import declared_score

logger = logging.getLogger(__name__)


def _progress(analysis: SurveyAnalysis):
    def report(stage: str, share: float) -> None:
        SurveyAnalysis.objects.filter(pk=analysis.pk).update(stage=stage[:100], progress=share)

    return report


@app.task(name="manyi.surveys.analyse")
def analyse_survey(analysis_id: int) -> None:
    analysis = SurveyAnalysis.objects.select_related(
        "application__campaign", "database", "respondent_list"
    ).get(pk=analysis_id)
    SurveyAnalysis.objects.filter(pk=analysis_id).update(status=AnalysisStatus.RUNNING)
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


def _run(analysis: SurveyAnalysis) -> None:
    application = analysis.application
    scheme = load_scheme(application.campaign.scheme_year)
    database = analysis.database.file.open("rb").read()
    codebook = (
        load_codebook(analysis.codebook.open("rb").read(), analysis.codebook_name)
        if analysis.codebook
        else None
    )
    result = analyse(
        database,
        analysis.database.original_name,
        codebook=codebook,
        rules=QualityRules.from_scheme(scheme),
        resamples=settings.MANYI_SURVEY_RESAMPLES,
        seed=application.pk,
        progress=_progress(analysis),
    )
    findings = _respondent_findings(analysis, result, scheme)
    analysis.quality = quality_json(result.quality)
    analysis.findings = findings
    analysis.declared_score = declared_score(application)
    analysis.records.save(
        "复核记录.xlsx", ContentFile(quality_workbook(result.quality)), save=False
    )
    if result.result is None:
        analysis.error = result.error or ""
    else:
        analysis.result = to_json(result.result)
        analysis.recomputed_index = result.result.satisfaction_index()
        _interval(analysis, result.result)
        _charts(analysis, result.result)
        declared = analysis.declared_score
        pdf = render_report_pdf(
            result.result,
            quality=result.quality,
            segments=result.segments,
            organisation=application.organisation.name,
            declared_score=float(declared) if declared is not None else None,
        )
        analysis.report.save("测评报告.pdf", ContentFile(pdf), save=False)
    analysis.status = AnalysisStatus.DONE
    analysis.progress = 1.0
    analysis.finished_at = timezone.now()
    analysis.save()


def _charts(analysis: SurveyAnalysis, result) -> None:
    analysis.diagram_svg = model_diagram(result)
    try:
        analysis.ipa_svg = ipa_chart(importance_performance(result))
    except MeasurementError:  # e.g. no driver of satisfaction in a custom model
        analysis.ipa_svg = ""


def _interval(analysis: SurveyAnalysis, result) -> None:
    """The bootstrap percentile interval of the satisfaction index, when there is one."""
    boot = getattr(result, "bootstrap", None)
    try:
        interval = boot.interval("index", result.target) if boot is not None else None
    except KeyError:
        interval = None
    if interval is not None:
        analysis.index_low, analysis.index_high = interval.ci_low, interval.ci_high


def _respondent_findings(analysis: SurveyAnalysis, result, scheme) -> list[dict[str, str]]:
    if analysis.respondent_list is None:
        return []
    stored = analysis.respondent_list
    try:
        listing = load_respondent_list(stored.file.open("rb").read(), stored.original_name)
    except MeasurementError as exc:
        return [{"code": "respondents.read", "status": "fail", "message": str(exc)}]
    findings = check_respondent_list(
        listing, result.survey, rule=scheme.measurement.respondent_list
    )
    return [{"code": f.code, "status": f.status, "message": f.message} for f in findings]
