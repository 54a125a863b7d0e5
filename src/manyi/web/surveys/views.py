from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.verdict import Finding, by_severity
from manyi.web.accounts.permissions import Perm, has_perm, require
from manyi.web.applications.models import Application
from manyi.web.applications.views import _overview_context
from manyi.web.campaigns.selectors import scheme_for_campaign
from manyi.web.security.downloads import audited_download
from manyi.web.surveys import services
from manyi.web.surveys.models import SurveyAnalysis
from manyi.web.surveys.selectors import (
    analysis_in_progress,
    analysis_is_current,
    construct_choices,
    database_files,
    declared_score,
    latest_analysis,
    layout_analysis,
    mapping_rows,
    survey_setup,
)


def _application(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(Application, pk=pk)
    require(request.user, Perm.VIEW_APPLICATION, application)
    return application


@login_required
def analysis_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    context = _overview_context(request, application)
    context.update(_result_context(request, application))
    setup = survey_setup(application)
    context.update(
        setup=setup,
        mapping=mapping_rows(layout_analysis(application), setup),
        choices=construct_choices(),
    )
    return render(request, "surveys/analysis.html", context)


@login_required
def analysis_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The results section alone: the page swaps it in when a background run finishes."""
    application = _application(request, pk)
    return render(request, "surveys/_result.html", _result_context(request, application))


def _result_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    scheme = scheme_for_campaign(application.campaign)
    analysis = latest_analysis(application)
    declared = declared_score(application, scheme)
    files = database_files(application, scheme)
    difference = None
    if analysis is not None and analysis.recomputed_index is not None and declared is not None:
        difference = analysis.recomputed_index - float(declared)
    return {
        "application": application,
        "analysis": analysis,
        "databases": files,
        "is_current": analysis is not None and analysis_is_current(analysis, application, scheme),
        "in_progress": analysis_in_progress(analysis),
        "can_run": has_perm(request.user, Perm.RUN_SURVEY_ANALYSIS, application),
        "declared": declared,
        "difference": difference,
        "findings": _findings(analysis),
        "indices": _indices(analysis),
        "paths": (analysis.result.get("paths", []) if analysis else []),
        "boot_paths": (analysis.result.get("bootstrap", {}).get("paths", []) if analysis else []),
    }


def _findings(analysis: SurveyAnalysis | None) -> list[Finding]:
    """The quality verdict's reasons: every file's findings, then the respondent list's."""
    if analysis is None:
        return []
    found: list[Finding] = []
    several = len(analysis.details.get("files", [])) > 1
    for entry in analysis.details.get("files", []):
        prefix = f"「{entry['name']}」：" if several else ""
        for data in entry.get("findings", []):
            finding = Finding.from_dict(data)
            found.append(Finding.from_dict({**data, "message": prefix + finding.message}))
    found += [Finding.from_dict(data) for data in analysis.findings]
    return by_severity(found)


def _indices(analysis: SurveyAnalysis | None) -> list[dict[str, Any]]:
    """Each construct's index, or why it has none."""
    if analysis is None:
        return []
    detail = analysis.result.get("index_detail", {})
    labels = {c["key"]: c["label"] for c in analysis.result.get("model", {}).get("constructs", [])}
    return [
        {
            "key": key,
            "label": labels.get(key, key),
            "value": entry.get("value"),
            "note": entry.get("note"),
        }
        for key, entry in detail.items()
    ]


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
        messages.success(request, _("已开始复核，在后台计算，完成后本页自动显示结果。"))
    return redirect("surveys:analysis", pk=pk)


@login_required
@require_POST
def period_save(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    try:
        start = _date(request.POST.get("period_start", ""))
        end = _date(request.POST.get("period_end", ""))
        services.survey_period_save(
            actor=request.user, application=application, start=start, end=end
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已保存调查时间。"))
    return redirect("surveys:analysis", pk=pk)


def _date(text: str) -> datetime.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("日期「%(d)s」应写成 2025-03-01 的形式。") % {"d": text}) from None


@login_required
@require_POST
def mapping_save(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    rows = mapping_rows(layout_analysis(application), survey_setup(application))
    choices = services.mapping_choices(request.POST, [row["header"] for row in rows])
    try:
        services.survey_mapping_save(actor=request.user, application=application, choices=choices)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已把题项映射保存为码本，正在按它重新复核。"))
    return redirect("surveys:analysis", pk=pk)


@login_required
def analysis_status(request: HttpRequest, pk: int) -> JsonResponse:
    application = _application(request, pk)
    analysis = latest_analysis(application)
    if analysis is None:
        return JsonResponse({"status": None})
    return JsonResponse(
        {
            "id": analysis.pk,
            "status": analysis.status,
            "label": analysis.get_status_display(),
            "stage": analysis.stage,
            "progress": analysis.progress,
        }
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
