from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.web.accounts.permissions import Perm, has_perm, require
from manyi.web.applications.models import Application
from manyi.web.applications.views import _overview_context
from manyi.web.security.downloads import audited_download
from manyi.web.surveys import services
from manyi.web.surveys.models import SurveyAnalysis
from manyi.web.surveys.selectors import (
    analysis_is_current,
    current_database,
    declared_score,
    latest_analysis,
)


def _application(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(Application, pk=pk)
    require(request.user, Perm.VIEW_APPLICATION, application)
    return application


@login_required
def analysis_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    analysis = latest_analysis(application)
    context = _overview_context(request, application)
    declared = declared_score(application)
    context.update(
        analysis=analysis,
        database=current_database(application),
        is_current=analysis is not None and analysis_is_current(analysis, application),
        can_run=has_perm(request.user, Perm.RUN_SURVEY_ANALYSIS, application),
        declared=declared,
        difference=(
            analysis.recomputed_index - float(declared)
            if analysis and analysis.recomputed_index is not None and declared is not None
            else None
        ),
        indices=_rows(analysis, "index"),
        paths=(analysis.result.get("paths", []) if analysis else []),
        boot_paths=(analysis.result.get("bootstrap", {}).get("paths", []) if analysis else []),
    )
    return render(request, "surveys/analysis.html", context)


def _rows(analysis: SurveyAnalysis | None, key: str) -> list[tuple[str, object]]:
    if analysis is None:
        return []
    values = analysis.result.get(key, {})
    return sorted(values.items()) if isinstance(values, dict) else []


@login_required
@require_POST
def analysis_start(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    try:
        services.survey_analysis_start(
            actor=request.user, application=application, codebook=request.FILES.get("codebook")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已开始复核，完成后本页显示结果。"))
    return redirect("surveys:analysis", pk=pk)


@login_required
def analysis_status(request: HttpRequest, pk: int) -> JsonResponse:
    application = _application(request, pk)
    analysis = latest_analysis(application)
    if analysis is None:
        return JsonResponse({"status": None})
    return JsonResponse(
        {"status": analysis.status, "stage": analysis.stage, "progress": analysis.progress}
    )


@login_required
def analysis_download(request: HttpRequest, analysis_id: int, kind: str) -> HttpResponse:
    analysis = get_object_or_404(SurveyAnalysis, pk=analysis_id)
    _application(request, analysis.application_id)
    stored = {"records": analysis.records, "report": analysis.report}.get(kind)
    if not stored:
        raise Http404(_("该文件尚未生成。"))
    names = {"records": "数据复核记录.xlsx", "report": "满意度测评复核报告.pdf"}
    return audited_download(
        request, stored=stored, filename=names[kind], target=analysis.application
    )
