"""Writes for survey analyses: queue a run, and record what the run found."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.rules import load_scheme
from manyi.web.accounts.models import User
from manyi.web.accounts.permissions import Perm, require
from manyi.web.applications.models import Application, MaterialFile
from manyi.web.applications.services import register_upload_hook
from manyi.web.audit.services import audit_record
from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis
from manyi.web.surveys.selectors import (
    DATABASE_MATERIAL,
    current_database,
    respondent_list_material,
)

MAX_CODEBOOK_BYTES = 2 * 1024 * 1024


def _checked_codebook(uploaded: UploadedFile) -> bytes:
    if uploaded.size and uploaded.size > MAX_CODEBOOK_BYTES:
        raise ValidationError({"codebook": _("码本文件不应超过 2 MB。")})
    data = uploaded.read()
    # The measurement engine (numpy, scipy) is loaded on first use, not with every web process.
    from manyi.measurement import CodebookError, load_codebook

    try:
        load_codebook(data, uploaded.name)
    except CodebookError as exc:
        raise ValidationError({"codebook": str(exc)}) from exc
    return data


@transaction.atomic
def survey_analysis_start(
    *,
    actor: User,
    application: Application,
    codebook: UploadedFile | None = None,
    reuse_queued: bool = False,
) -> SurveyAnalysis:
    """Queue the checks and the estimation for the uploaded survey database."""
    require(actor, Perm.RUN_SURVEY_ANALYSIS, application)
    database = current_database(application)
    if database is None:
        raise ValidationError(_("请先在“第三方测量”中上传数据库文件。"))
    scheme = load_scheme(application.campaign.scheme_year)
    # A run queued but not started yet (e.g. the database and the respondent list uploaded in
    # one go) is brought up to date instead of queueing a second one.
    queued = application.survey_analyses.filter(status=AnalysisStatus.QUEUED)
    waiting = queued.first() if reuse_queued else None
    queue_task = waiting is None
    analysis = waiting or SurveyAnalysis(application=application, requested_by=actor)
    analysis.database = database
    analysis.respondent_list = respondent_list_material(application, scheme)
    if codebook is not None:
        analysis.codebook.save(codebook.name, ContentFile(_checked_codebook(codebook)), save=False)
        analysis.codebook_name = codebook.name
    else:
        previous = application.survey_analyses.exclude(codebook="").first()
        if previous is not None:  # keep using the codebook given last time
            analysis.codebook, analysis.codebook_name = previous.codebook, previous.codebook_name
    analysis.save()
    audit_record(
        actor=actor,
        action="survey.analyse",
        target=application,
        new_values={
            "database": database.original_name,
            "sha256": database.sha256,
            "codebook": analysis.codebook_name,
        },
    )
    from manyi.web.surveys.tasks import analyse_survey

    if queue_task:
        transaction.on_commit(lambda: analyse_survey.delay(analysis.pk))
    return analysis


@register_upload_hook
def rerun_on_upload(stored: MaterialFile, actor: User) -> None:
    """A new database or respondent list is checked straight away."""
    scheme = load_scheme(stored.application.campaign.scheme_year)
    watched = (DATABASE_MATERIAL, scheme.measurement.respondent_list.material)
    if stored.material_key in watched and current_database(stored.application) is not None:
        survey_analysis_start(actor=actor, application=stored.application, reuse_queued=True)
