"""Reads for survey analyses."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from manyi.web.applications.models import Application, MaterialFile
from manyi.web.applications.selectors import current_files_by_material
from manyi.web.surveys.models import SurveyAnalysis

DATABASE_MATERIAL = "survey_database"


def current_database(application: Application) -> MaterialFile | None:
    files = current_files_by_material(application).get(DATABASE_MATERIAL, [])
    return files[0] if files else None


def respondent_list_material(application: Application, scheme) -> MaterialFile | None:
    key = scheme.measurement.respondent_list.material
    files = current_files_by_material(application).get(key, [])
    return files[0] if files else None


def latest_analysis(application: Application) -> SurveyAnalysis | None:
    return application.survey_analyses.select_related("database").first()


def analysis_is_current(analysis: SurveyAnalysis, application: Application) -> bool:
    """Run on the database that is uploaded now, with the declared score as it is now."""
    database = current_database(application)
    return database is not None and analysis.database_id == database.pk


DECLARED_SCORE_FIELD = "satisfaction_score"


def declared_score(application: Application) -> Decimal | None:
    """The 满意度（百分制得分） as typed on the form now, if it is a number."""
    raw = str(application.form_data.get(DECLARED_SCORE_FIELD, "")).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
