"""推进机构: the queue of applications that named the body; recommend or return."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.web.accounts.permissions import Perm, has_perm, permission_required
from manyi.web.applications.lifecycle import IllegalTransition
from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.listing import application_facets, application_search, listing
from manyi.web.review import selectors, services
from manyi.web.review.forms import PromoterReturnForm, RecommendForm
from manyi.web.review.views.common import application_for, errors_to, page


@permission_required(Perm.RECOMMEND_APPLICATION)
def promoter_queue(request: HttpRequest) -> HttpResponse:
    found = listing(
        request,
        selectors.promoter_queue(request.user),
        search=application_search(),
        facets=application_facets(promoting_body=False),
    )
    applications = found.rows
    return page(
        request,
        "review/promoter_queue.html",
        {
            "listing": found,
            "pending": [a for a in applications if a.state == S.SUBMITTED],
            "handled": [a for a in applications if a.state != S.SUBMITTED],
            "promoting_body": request.user.promoting_body,
        },
    )


def _page(
    request: HttpRequest,
    application: Application,
    recommend: RecommendForm | None = None,
    give_back: PromoterReturnForm | None = None,
) -> HttpResponse:
    can_act = application.state == S.SUBMITTED and has_perm(
        request.user, Perm.RECOMMEND_APPLICATION, application
    )
    return page(
        request,
        "review/promoter_application.html",
        {
            "application": application,
            "can_act": can_act,
            "recommend_form": recommend or RecommendForm(),
            "return_form": give_back or PromoterReturnForm(),
            "recommendations": application.recommendations.select_related("created_by"),
            "versions": application.versions.order_by("-number"),
        },
    )


@login_required
def promoter_application(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk, Perm.RECOMMEND_APPLICATION)
    return _page(request, application)


@login_required
@require_POST
def promoter_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk, Perm.RECOMMEND_APPLICATION)
    form = RecommendForm(request.POST)
    if form.is_valid():
        try:
            services.application_recommend(
                actor=request.user, application=application, **form.cleaned_data
            )
        except (ValidationError, IllegalTransition) as exc:
            _error(form, exc)
        else:
            messages.success(request, _("已推荐，申报转入秘书处形式审查。"))
            return redirect("review:promoter_queue")
    return _page(request, application, recommend=form)


@login_required
@require_POST
def promoter_return(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk, Perm.RECOMMEND_APPLICATION)
    form = PromoterReturnForm(request.POST)
    if form.is_valid():
        try:
            services.application_promoter_return(
                actor=request.user, application=application, **form.cleaned_data
            )
        except (ValidationError, IllegalTransition) as exc:
            _error(form, exc)
        else:
            messages.success(request, _("已退回申报单位修改。"))
            return redirect("review:promoter_queue")
    return _page(request, application, give_back=form)


def _error(form: RecommendForm | PromoterReturnForm, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        errors_to(form, exc)
    else:
        form.add_error(None, str(exc))
