"""Level decisions (ranked table, bulk decide), the move to 公示, and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from manyi.web.accounts.permissions import Perm, permission_required
from manyi.web.applications.models import Application
from manyi.web.audit.services import audit_record
from manyi.web.review import exports, selectors, services
from manyi.web.review.views.common import message_of, page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _selected(request: HttpRequest) -> list[int]:
    try:
        return sorted({int(pk) for pk in request.POST.getlist("selected")})
    except ValueError as exc:
        raise Http404 from exc


def _options(row: selectors.RankedRow) -> list[tuple[str, str]]:
    application = row.application
    return [
        (level, services.level_label(application, level))
        for level in services.allowed_decisions(application)
    ]


@permission_required(Perm.DECIDE_LEVEL)
@require_http_methods(["GET", "POST"])
def decisions(request: HttpRequest) -> HttpResponse:
    """The ranked table of scored applications per category; propose levels in bulk."""
    if request.method == "POST":
        chosen = {pk: request.POST.get(f"level_{pk}", "") for pk in _selected(request)}
        try:
            decided = services.levels_decide(actor=request.user, decisions=chosen)
        except ValidationError as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("已为 %(n)s 个申报拟定等级。") % {"n": len(decided)})
        return redirect("review:decisions")
    rankings = [
        (ranking, [(row, _options(row)) for row in ranking.rows]) for ranking in selectors.ranking()
    ]
    return page(request, "review/decisions.html", {"rankings": rankings})


@permission_required(Perm.DECIDE_LEVEL)
@require_http_methods(["GET", "POST"])
def publicise(request: HttpRequest) -> HttpResponse:
    """Decided applications; put the selected ones on the 公示 in one go."""
    if request.method == "POST":
        chosen = Application.objects.filter(pk__in=_selected(request)).order_by("pk")
        try:
            moved = services.applications_publicise(actor=request.user, applications=chosen)
        except ValidationError as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(
                request,
                _("已将 %(n)s 个申报转入公示中，请在公示管理中开启公示。") % {"n": len(moved)},
            )
        return redirect("review:publicise")
    applications = list(selectors.decided_applications())
    totals = selectors.submitted_totals(a.pk for a in applications)
    rows = [
        (a, selectors.summarise(services.scheme_for(a), totals.get(a.pk, []), 0).score)
        for a in applications
    ]
    return page(request, "review/publicise.html", {"rows": rows})


@permission_required(Perm.EXPORT_DATA)
def export_index(request: HttpRequest) -> HttpResponse:
    tables = [(kind, label) for kind, (label, _build) in exports.TABLES.items()]
    return page(request, "review/exports.html", {"tables": tables})


@permission_required(Perm.EXPORT_DATA)
def export_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in exports.TABLES or fmt not in ("xlsx", "csv"):
        raise Http404
    label, build = exports.TABLES[kind]
    table = build()
    audit_record(
        actor=request.user,
        action="data.export",
        target=request.user,
        new_values={"table": kind, "format": fmt, "rows": len(table.rows)},
    )
    if fmt == "xlsx":
        response = HttpResponse(exports.to_xlsx(table), content_type=XLSX)
    else:
        response = HttpResponse(exports.to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{label}.{fmt}")
    return response
