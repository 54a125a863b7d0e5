from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from manyi.rules.loader import load_scheme
from manyi.web.accounts.models import Role
from manyi.web.accounts.selectors import organisations_pending_check_count, promoting_bodies_active
from manyi.web.applications.selectors import applications_visible_to, applications_with_names
from manyi.web.campaigns.selectors import campaign_current
from manyi.web.core.standing import application_standing


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    campaign = campaign_current()
    scheme = load_scheme(campaign.scheme_year) if campaign else None
    eligibility = (
        [
            (category.name, [scheme.is_eligible(category.key, lvl.key) for lvl in scheme.levels])
            for category in scheme.categories
        ]
        if scheme
        else []
    )
    return render(
        request,
        "core/home.html",
        {"campaign": campaign, "scheme": scheme, "eligibility": eligibility},
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    campaign = campaign_current()
    context: dict[str, object] = {"campaign": campaign}
    if user.role == Role.APPLICANT:
        context["organisation"] = user.organisation
        context["scheme"] = load_scheme(campaign.scheme_year) if campaign else None
        applications = applications_with_names(applications_visible_to(user))
        context["applications"] = [(a, application_standing(a, request)) for a in applications]
    elif user.role == Role.SECRETARIAT:
        context["pending_check_count"] = organisations_pending_check_count()
        context["promoting_body_count"] = promoting_bodies_active().count()
    elif user.role == Role.PROMOTER:
        context["promoting_body"] = user.promoting_body
    return render(request, f"core/dashboard_{user.role}.html", context)
