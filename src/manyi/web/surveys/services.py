"""Writes for survey analyses: queue a run, and save what the applicant declares on the
measurement step (the survey period, the question-to-construct mapping or a codebook file)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.web.accounts.models import User
from manyi.web.accounts.permissions import Perm, require
from manyi.web.applications.models import Application, MaterialFile
from manyi.web.applications.services import register_upload_hook
from manyi.web.audit.services import audit_record
from manyi.web.campaigns.selectors import scheme_for_campaign
from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis, SurveySetup
from manyi.web.surveys.selectors import (
    database_files,
    layout_analysis,
    respondent_list_material,
)
from manyi.web.tasks_runner import dispatch, register_recovery

if TYPE_CHECKING:
    from manyi.measurement import Codebook

# The measurement engine (numpy, scipy) is imported where it is used, not with every web
# process (docs/security.md, light start-up).

MAX_CODEBOOK_BYTES = 2 * 1024 * 1024
MAPPING_NAME = "测量步骤中保存的题项映射"


def _checked_codebook(uploaded: UploadedFile) -> str:
    if uploaded.size and uploaded.size > MAX_CODEBOOK_BYTES:
        raise ValidationError({"codebook": _("码本文件不应超过 2 MB。")})
    data = uploaded.read()
    from manyi.measurement import CodebookError, load_codebook
    from manyi.measurement.codebook_file import dump_codebook

    try:
        codebook = load_codebook(data, uploaded.name)
    except CodebookError as exc:
        raise ValidationError({"codebook": str(exc)}) from exc
    if uploaded.name.lower().endswith(".toml"):
        return data.decode("utf-8-sig")
    return dump_codebook(codebook, _("由上传的码本 %(n)s 转写") % {"n": uploaded.name})


def _setup(application: Application) -> SurveySetup:
    setup, _created = SurveySetup.objects.select_for_update().get_or_create(application=application)
    return setup


@transaction.atomic
def survey_analysis_start(
    *,
    actor: User,
    application: Application,
    codebook: UploadedFile | None = None,
    reuse_queued: bool = False,
) -> SurveyAnalysis:
    """Queue the checks and the estimation for every uploaded survey database file.

    The work runs in the background (:mod:`manyi.web.tasks_runner`) once this transaction is
    committed; the page follows its progress.
    """
    require(actor, Perm.RUN_SURVEY_ANALYSIS, application)
    scheme = scheme_for_campaign(application.campaign)
    files = database_files(application, scheme)
    if not files:
        raise ValidationError(_("请先在“第三方测量”中上传数据库文件。"))
    setup = _setup(application)
    if codebook is not None:
        setup.codebook_text = _checked_codebook(codebook)
        setup.codebook_name = codebook.name
        setup.save()
    # A run queued but not started yet (e.g. the database and the respondent list uploaded in
    # one go) is brought up to date instead of queueing a second one.
    waiting = None
    if reuse_queued:
        waiting = application.survey_analyses.filter(status=AnalysisStatus.QUEUED).first()
    analysis = waiting or SurveyAnalysis(application=application, requested_by=actor)
    analysis.database = files[0]
    analysis.respondent_list = respondent_list_material(application, scheme)
    analysis.details = {"files": [{"id": f.pk, "name": f.original_name} for f in files]}
    if setup.codebook_text:
        analysis.codebook.save(
            "codebook.toml", ContentFile(setup.codebook_text.encode("utf-8")), save=False
        )
        analysis.codebook_name = setup.codebook_name
    analysis.save()
    audit_record(
        actor=actor,
        action="survey.analyse",
        target=application,
        new_values={
            "databases": [{"name": f.original_name, "sha256": f.sha256} for f in files],
            "codebook": analysis.codebook_name,
        },
    )
    if waiting is None:
        transaction.on_commit(lambda: _queue(analysis.pk))
    return analysis


def _queue(analysis_id: int) -> None:
    from manyi.web.surveys.tasks import analyse_survey

    dispatch(analyse_survey, analysis_id)


@register_recovery
def requeue_waiting_analyses() -> None:
    """Runs a stopped server left queued or half done are started again."""
    waiting = SurveyAnalysis.objects.filter(
        status__in=(AnalysisStatus.QUEUED, AnalysisStatus.RUNNING)
    )
    for analysis_id in waiting.values_list("pk", flat=True):
        SurveyAnalysis.objects.filter(pk=analysis_id).update(
            status=AnalysisStatus.QUEUED, stage="", progress=0
        )
        _queue(analysis_id)


@transaction.atomic
def survey_period_save(
    *,
    actor: User,
    application: Application,
    start: datetime.date | None,
    end: datetime.date | None,
) -> SurveySetup:
    """The survey period as declared on the measurement step (checked when the data has no
    interview dates); a present database is checked again."""
    require(actor, Perm.RUN_SURVEY_ANALYSIS, application)
    if (start is None) != (end is None):
        raise ValidationError(_("请同时填写调查开始日期和结束日期。"))
    if start is not None and end is not None and end < start:
        raise ValidationError(_("调查结束日期不能早于开始日期。"))
    setup = _setup(application)
    old = {"start": _iso(setup.period_start), "end": _iso(setup.period_end)}
    setup.period_start, setup.period_end = start, end
    setup.save()
    audit_record(
        actor=actor,
        action="survey.period",
        target=application,
        old_values=old,
        new_values={"start": _iso(start), "end": _iso(end)},
    )
    _rerun(actor, application)
    return setup


@transaction.atomic
def survey_mapping_save(
    *,
    actor: User,
    application: Application,
    choices: Mapping[str, Mapping[str, Any]],
) -> SurveySetup:
    """Save the question mapping as the codebook: ``choices`` maps a column header to
    ``{"construct": key or "", "reverse": bool}`` for the questions of the last run's layout."""
    require(actor, Perm.RUN_SURVEY_ANALYSIS, application)
    analysis = layout_analysis(application)
    if analysis is None:
        raise ValidationError(_("数据库还没有读出题目，请等复核完成后再保存题项映射。"))
    from manyi.measurement import default_model
    from manyi.measurement.codebook_file import dump_codebook

    codebook = _run_codebook(analysis.details)
    keys = set(default_model().keys)
    items = []
    for item in codebook.items:
        choice = choices.get(item.column, {})
        construct = str(choice.get("construct") or "")
        if construct and construct not in keys:
            raise ValidationError(_("未知的潜变量：%(c)s") % {"c": construct})
        items.append(
            replace(item, construct=construct or None, reverse=bool(choice.get("reverse")))
        )
    codebook = replace(codebook, items=tuple(items))
    _refuse_unbounded_reverse(codebook)
    setup = _setup(application)
    setup.codebook_text = dump_codebook(codebook, MAPPING_NAME)
    setup.codebook_name = MAPPING_NAME
    setup.save()
    mapped = [i for i in codebook.items if i.construct]
    audit_record(
        actor=actor,
        action="survey.mapping",
        target=application,
        new_values={
            "items": len(codebook.items),
            "mapped": len(mapped),
            "reverse": [i.column for i in codebook.items if i.reverse],
        },
    )
    _rerun(actor, application)
    return setup


def _run_codebook(details: Mapping[str, Any]) -> Codebook:
    """The codebook the run used (its questions, labels and scales), to map anew."""
    from manyi.measurement import CodebookError, Layout
    from manyi.measurement.codebook import parse_codebook_toml

    text = details.get("codebook")
    if text:
        try:
            return parse_codebook_toml(text, "码本")
        except CodebookError:
            pass  # fall back on the questions read from the file
    return Layout.from_dict(details.get("layout", {})).codebook()


def _refuse_unbounded_reverse(codebook: Any) -> None:
    for item in codebook.items:
        if item.reverse and codebook.item_bounds(item) is None:
            raise ValidationError(
                _("「%(c)s」的量表范围未知，无法反向计分：请上传写明量表的码本。")
                % {"c": item.column}
            )


def _rerun(actor: User, application: Application) -> None:
    scheme = scheme_for_campaign(application.campaign)
    if database_files(application, scheme):
        survey_analysis_start(actor=actor, application=application, reuse_queued=True)


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


@register_upload_hook
def rerun_on_upload(stored: MaterialFile, actor: User) -> None:
    """A new database or respondent list is checked straight away (in the background)."""
    scheme = scheme_for_campaign(stored.application.campaign)
    watched = (scheme.roles.materials.survey_database, scheme.roles.materials.respondent_list)
    if stored.material_key in watched and database_files(stored.application, scheme):
        survey_analysis_start(actor=actor, application=stored.application, reuse_queued=True)


def mapping_choices(post: Mapping[str, Any], headers: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The mapping form's fields (construct_<n>, reverse_<n> for question n) by header."""
    choices = {}
    for index, header in enumerate(headers):
        choices[header] = {
            "construct": post.get(f"construct_{index}", ""),
            "reverse": post.get(f"reverse_{index}") in ("on", "1", "true"),
        }
    return choices
