"""Reads for survey analyses. Material and field keys come from the scheme's roles."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from manyi.rules.model import Scheme
from manyi.web.applications.models import Application, MaterialFile
from manyi.web.applications.selectors import current_files_by_material
from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis, SurveySetup


def database_files(application: Application, scheme: Scheme) -> list[MaterialFile]:
    """The survey database files uploaded now, oldest first."""
    key = scheme.roles.materials.survey_database
    return current_files_by_material(application).get(key, [])


def respondent_list_material(application: Application, scheme: Scheme) -> MaterialFile | None:
    files = current_files_by_material(application).get(scheme.roles.materials.respondent_list, [])
    return files[0] if files else None


def latest_analysis(application: Application) -> SurveyAnalysis | None:
    return application.survey_analyses.select_related("database").first()


def layout_analysis(application: Application) -> SurveyAnalysis | None:
    """The latest run that read the questions (a run still waiting has not yet)."""
    for analysis in application.survey_analyses.only("pk", "details")[:10]:
        if analysis.details.get("layout", {}).get("items"):
            return analysis
    return None


def analysis_is_current(analysis: SurveyAnalysis, application: Application, scheme: Scheme) -> bool:
    """Run on the database files that are uploaded now."""
    current = {f.pk for f in database_files(application, scheme)}
    # A run recorded before every file was checked (no file list) is to be run again.
    used = {entry.get("id") for entry in analysis.details.get("files", [])}
    return bool(current) and used == current


def analysis_in_progress(analysis: SurveyAnalysis | None) -> bool:
    return analysis is not None and analysis.status in (
        AnalysisStatus.QUEUED,
        AnalysisStatus.RUNNING,
    )


def survey_setup(application: Application) -> SurveySetup | None:
    return SurveySetup.objects.filter(application=application).first()


def declared_score(application: Application, scheme: Scheme) -> Decimal | None:
    """The 满意度（百分制得分） as typed on the form now, if it is a number."""
    raw = str(application.form_data.get(scheme.roles.fields.satisfaction_score, "")).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def mapping_rows(
    analysis: SurveyAnalysis | None, setup: SurveySetup | None
) -> list[dict[str, Any]]:
    """The questions of the estimated file for the mapping form: header, answers, the
    construct saved (else suggested from the wording) and whether it is reverse-worded."""
    if analysis is None:
        return []
    layout = analysis.details.get("layout", {})
    saved = _saved_mapping(setup)
    rows = []
    for index, column in enumerate(layout.get("items", [])):
        header = column["header"]
        chosen = saved.get(header)
        rows.append(
            {
                "index": index,
                "header": header,
                "key": column.get("key", ""),
                "answers": column.get("answers", ""),
                "suggested": column.get("construct") or "",
                "why": column.get("why", ""),
                "construct": chosen["construct"] if chosen else column.get("construct") or "",
                "reverse": chosen["reverse"] if chosen else bool(column.get("reverse")),
                "saved": chosen is not None,
            }
        )
    return rows


def construct_choices() -> list[tuple[str, str]]:
    """("", not estimated) then the GB/T 19038 constructs (key, label)."""
    from manyi.measurement import default_model  # numpy and scipy load on first use

    return [("", "不参与估计"), *((c.key, c.label) for c in default_model().constructs)]


def _saved_mapping(setup: SurveySetup | None) -> dict[str, dict[str, Any]]:
    if setup is None or not setup.codebook_text:
        return {}
    from manyi.measurement import MeasurementError, default_model
    from manyi.measurement.codebook import parse_codebook_toml

    try:
        codebook = parse_codebook_toml(setup.codebook_text, setup.codebook_name or "码本")
    except MeasurementError:
        return {}
    model = default_model()
    mapping = {}
    for item in codebook.items:
        key = ""
        if item.construct:
            try:
                key = model.construct(item.construct).key
            except MeasurementError:  # a construct of another model: shown as not mapped
                key = ""
        mapping[item.column] = {"construct": key, "reverse": item.reverse}
    return mapping
