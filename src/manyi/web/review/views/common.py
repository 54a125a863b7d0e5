"""Shared by the review views: the local navigation, object lookup, error display."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from manyi.web.accounts.permissions import Perm, has_perm, require
from manyi.web.applications.models import Application
from manyi.web.applications.services import scheme_for
from manyi.web.audit.services import audit_record
from manyi.web.core.forms import add_service_errors

NAVIGATION = (
    (Perm.RECOMMEND_APPLICATION, "review:promoter_queue", _("推荐")),
    (Perm.FORMAL_REVIEW, "review:formal_queue", _("形式审查")),
    (Perm.ASSIGN_EXPERTS, "review:expert_review_queue", _("专家评审")),
    (Perm.MANAGE_EXPERTS, "review:experts", _("专家库")),
    (Perm.SCORE_APPLICATION, "review:my_assignments", _("我的评审")),
    (Perm.DECLARE_CONFLICT, "review:my_conflicts", _("利益冲突声明")),
    (Perm.DECIDE_LEVEL, "review:decisions", _("等级拟定")),
    (Perm.DECIDE_LEVEL, "review:publicise", _("公示")),
    (Perm.EXPORT_DATA, "review:exports", _("导出")),
)


def review_nav(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"url": reverse(name), "label": label, "active": request.path == reverse(name)}
        for perm, name, label in NAVIGATION
        if has_perm(request.user, perm)
    ]


def page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"review_nav": review_nav(request), **context})


def application_for(request: HttpRequest, pk: int, perm: Perm) -> Application:
    """The application, 404 when missing, 403 when ``perm`` is not held on it."""
    application = get_object_or_404(
        Application.objects.select_related("organisation", "campaign", "promoting_body"), pk=pk
    )
    require(request.user, perm, application)
    return application


def audit_view(request: HttpRequest, application: Application, page_name: str) -> None:
    """Reviewers' views of an application are recorded; the applicant's own are not."""
    if request.user.organisation_id != application.organisation_id:
        audit_record(
            actor=request.user,
            action="application.view",
            target=application,
            new_values={"page": page_name},
        )


def renewal_context(application: Application) -> dict[str, Any]:
    """复评: the earlier certificate and the score it was given, for the reviewers' pages."""
    from manyi.web.publicity.renewal import renewal_basis
    from manyi.web.review.selectors import score_summary

    basis = renewal_basis(application, scheme_for(application))
    score = None
    if basis is not None and basis.held:
        score = score_summary(basis.certificate.application).score
    return {"renewal": basis, "renewal_score": score}


errors_to = add_service_errors


def message_of(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
