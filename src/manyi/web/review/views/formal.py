"""Formal review (形式审查) by the secretariat; findings and version changes for readers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.web.accounts.permissions import Perm, has_perm, permission_required
from manyi.web.applications.lifecycle import IllegalTransition
from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.applications.precheck import run_precheck
from manyi.web.listing import application_facets, application_search, listing
from manyi.web.review import selectors, services
from manyi.web.review.diff import version_diff
from manyi.web.review.forms import FindingForm, RejectForm, ReturnForRevisionForm
from manyi.web.review.models import FormalFinding
from manyi.web.review.views.common import (
    application_for,
    audit_view,
    errors_to,
    message_of,
    page,
    renewal_context,
)


@permission_required(Perm.FORMAL_REVIEW)
def formal_queue(request: HttpRequest) -> HttpResponse:
    found = listing(
        request,
        selectors.formal_queue(),
        search=application_search(),
        facets=application_facets(state=False),
    )
    returned = listing(
        request,
        selectors.returned_for_revision(),
        search=application_search(),
        page_parameter="returned_page",
    )
    return page(
        request,
        "review/formal_queue.html",
        {
            "pending": found.rows,
            "listing": found,
            "returned": returned.rows,
            "returned_listing": returned,
        },
    )


def _forms(application: Application, **bound) -> dict:
    return {
        "finding_form": bound.get("finding_form")
        or FindingForm(targets=selectors.finding_targets(application)),
        "return_form": bound.get("return_form")
        or ReturnForRevisionForm(default=services.default_deadline(application)),
        "reject_form": bound.get("reject_form") or RejectForm(),
    }


def _review_page(request: HttpRequest, application: Application, **bound) -> HttpResponse:
    versions = selectors.last_two_versions(application)
    return page(
        request,
        "review/formal_review.html",
        {
            "application": application,
            "report": run_precheck(application),
            "finding_rows": selectors.findings_with_changes(application),
            "open_count": selectors.open_findings(application).count(),
            "unsettled_count": selectors.unsettled_findings(application).count(),
            **renewal_context(application),
            "in_review": application.state == S.RECOMMENDED,
            "recommendations": application.recommendations.select_related("created_by"),
            "has_changes": len(versions) == 2,
            **_forms(application, **bound),
        },
    )


@login_required
def formal_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk, Perm.FORMAL_REVIEW)
    audit_view(request, application, "formal_review")
    return _review_page(request, application)


@login_required
@require_POST
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk, Perm.FORMAL_REVIEW)
    form = FindingForm(request.POST, targets=selectors.finding_targets(application))
    if form.is_valid():
        kind, key = form.target_parts()
        try:
            services.finding_add(
                actor=request.user,
                application=application,
                target_kind=kind,
                target_key=key,
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            errors_to(form, exc)
        else:
            messages.success(request, _("已记录审查意见。"))
            return redirect("review:formal_review", pk=pk)
    return _review_page(request, application, finding_form=form)


@login_required
@require_POST
def finding_resolve(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = get_object_or_404(FormalFinding, pk=finding_id)
    application_for(request, finding.application_id, Perm.FORMAL_REVIEW)
    services.finding_resolve(actor=request.user, finding=finding, note=request.POST.get("note", ""))
    messages.success(request, _("该条意见已核实为已解决。"))
    return redirect("review:formal_review", pk=finding.application_id)


@login_required
@require_POST
def finding_waive(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = get_object_or_404(FormalFinding, pk=finding_id)
    application_for(request, finding.application_id, Perm.FORMAL_REVIEW)
    try:
        services.finding_waive(
            actor=request.user, finding=finding, note=request.POST.get("note", "")
        )
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("该条意见已标记为不再要求，理由已记录。"))
    return redirect("review:formal_review", pk=finding.application_id)


@login_required
@require_POST
def formal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk, Perm.FORMAL_REVIEW)
    try:
        services.application_accept(actor=request.user, application=application)
    except (ValidationError, IllegalTransition) as exc:
        messages.error(request, message_of(exc))
        return redirect("review:formal_review", pk=pk)
    messages.success(request, _("已受理，可以分配评审专家。"))
    return redirect("review:formal_queue")


@login_required
@require_POST
def formal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk, Perm.FORMAL_REVIEW)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.application_reject(
                actor=request.user, application=application, **form.cleaned_data
            )
        except (ValidationError, IllegalTransition) as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, _("已作不予受理处理，并通知申报单位。"))
            return redirect("review:formal_queue")
    return _review_page(request, application, reject_form=form)


@login_required
@require_POST
def formal_return(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk, Perm.FORMAL_REVIEW)
    form = ReturnForRevisionForm(request.POST, default=services.default_deadline(application))
    if form.is_valid():
        try:
            services.application_return_for_revision(
                actor=request.user, application=application, **form.cleaned_data
            )
        except (ValidationError, IllegalTransition) as exc:
            if isinstance(exc, ValidationError):
                errors_to(form, exc)
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(request, _("已退回补正，全部审查意见已一次性告知申报单位。"))
            return redirect("review:formal_queue")
    return _review_page(request, application, return_form=form)


@login_required
def application_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """What the formal review asked the applicant to correct, each item with its state."""
    application = application_for(request, pk, Perm.VIEW_APPLICATION)
    return page(
        request,
        "review/application_findings.html",
        {
            "application": application,
            "findings": selectors.sent_findings(application),
            "can_edit": has_perm(request.user, Perm.EDIT_APPLICATION, application),
        },
    )


@login_required
def version_changes(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed between two submitted versions (default: the last two)."""
    application = application_for(request, pk, Perm.VIEW_APPLICATION)
    versions = {v.number: v for v in application.versions.all()}
    numbers = sorted(versions)
    diff = None
    if len(numbers) >= 2:
        old, new = _numbers(request, numbers)
        if old not in versions or new not in versions:
            raise Http404(_("没有该版本。"))
        diff = version_diff(versions[old], versions[new])
        audit_view(request, application, f"changes v{old}→v{new}")
    return page(
        request,
        "review/version_changes.html",
        {"application": application, "diff": diff, "numbers": numbers},
    )


def _numbers(request: HttpRequest, numbers: list[int]) -> tuple[int, int]:
    try:
        old = int(request.GET.get("old", numbers[-2]))
        new = int(request.GET.get("new", numbers[-1]))
    except ValueError as exc:
        raise Http404 from exc
    return old, new
