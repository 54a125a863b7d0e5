from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from manyi.web.accounts.permissions import Perm, permission_required
from manyi.web.campaigns import selectors, services
from manyi.web.campaigns.forms import CampaignForm
from manyi.web.campaigns.models import Campaign
from manyi.web.core.forms import add_service_errors


@permission_required(Perm.MANAGE_CAMPAIGNS)
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("评价年度已创建。"))
            return redirect("campaigns:list")
    return render(
        request,
        "campaigns/campaign_list.html",
        {"campaigns": selectors.campaigns_all(), "form": form},
    )


@permission_required(Perm.MANAGE_CAMPAIGNS)
@require_POST
def campaign_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.POST.get("action") == "open":
        services.campaign_open(actor=request.user, campaign=campaign)
        messages.success(request, _("%(title)s 已开放申报。") % {"title": campaign.title})
    else:
        services.campaign_close(actor=request.user, campaign=campaign)
        messages.success(request, _("%(title)s 已关闭。") % {"title": campaign.title})
    return redirect("campaigns:list")
