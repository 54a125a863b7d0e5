from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from manyi.orgs import creditcode
from manyi.web.accounts import selectors, services
from manyi.web.accounts.forms import (
    CheckCharAcceptForm,
    OrganisationProfileForm,
    PromotingBodyForm,
    RegistrationForm,
)
from manyi.web.accounts.models import Organisation, PromotingBody
from manyi.web.accounts.permissions import Perm, has_perm, permission_required, require
from manyi.web.audit.selectors import audit_entries_for
from manyi.web.core.forms import add_service_errors
from manyi.web.core.standing import evaluation_history
from manyi.web.listing import Facet, listing


def _figures(cleaned: dict) -> services.ProfileFigures:
    return services.ProfileFigures(
        industry_code=cleaned["industry_code"],
        industry_detail=cleaned.get("industry_detail", ""),
        employees=cleaned.get("employees"),
        revenue=cleaned.get("revenue"),
        assets=cleaned.get("assets"),
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.organisation_register(
                credit_code=data["credit_code"],
                name=data["name"],
                figures=_figures(data),
                address=data["address"],
                username=data["username"],
                password=data["password1"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("注册成功，欢迎使用用户满意等级评价系统。"))
            if user.organisation.check_char_pending:
                messages.warning(
                    request,
                    _(
                        "统一社会信用代码的校验码不符，秘书处核实放行前可以填写材料，但不能提交申报。"
                    ),
                )
            return redirect("core:dashboard")
    return render(request, "accounts/register.html", {"form": form})


@require_GET
def credit_code_lookup(request: HttpRequest) -> JsonResponse:
    """What the code encodes, for the registration form's live preview."""
    return JsonResponse(creditcode.analyze(request.GET.get("code", "")).to_dict())


@login_required
def organisation_detail(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = _organisation_for(request, pk)
    require(request.user, Perm.VIEW_ORGANISATION, organisation)
    context = {
        "organisation": organisation,
        "can_edit": _can(request, Perm.EDIT_ORGANISATION, organisation),
        "can_accept": organisation.check_char_pending
        and _can(request, Perm.OVERRIDE_CREDIT_CODE, organisation),
        "accept_form": CheckCharAcceptForm(),
        "history": audit_entries_for("accounts.organisation", organisation.pk)
        if _can(request, Perm.VIEW_AUDIT_LOG)
        else [],
        "evaluations": evaluation_history(organisation, request.user),
    }
    return render(request, "accounts/organisation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = _organisation_for(request, pk)
    require(request.user, Perm.EDIT_ORGANISATION, organisation)
    form = OrganisationProfileForm(
        request.POST or None, initial=OrganisationProfileForm.initial_for(organisation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update_profile(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                figures=_figures(form.cleaned_data),
                address=form.cleaned_data["address"],
                enterprise_type=form.cleaned_data["enterprise_type"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("单位信息已保存，组织规模已按新数据重新划型。"))
            return redirect("accounts:organisation", pk=organisation.pk)
    return render(
        request, "accounts/organisation_edit.html", {"form": form, "organisation": organisation}
    )


@permission_required(Perm.OVERRIDE_CREDIT_CODE)
@require_POST
def organisation_accept_check_char(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = CheckCharAcceptForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写核实说明。"))
        services.organisation_accept_check_char(
            actor=request.user, organisation=organisation, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已人工放行该单位的统一社会信用代码。"))
    return redirect("accounts:organisation", pk=organisation.pk)


@permission_required(Perm.LIST_ORGANISATIONS)
def organisation_list(request: HttpRequest) -> HttpResponse:
    pending_only = request.GET.get("pending") == "1"
    found = listing(
        request,
        selectors.organisations_list(pending_check_only=pending_only),
        search=("name", "credit_code", "city"),
        facets=ORGANISATION_FACETS,
    )
    return render(
        request,
        "accounts/organisation_list.html",
        {"organisations": found.rows, "listing": found, "pending_only": pending_only},
    )


ORGANISATION_FACETS = [
    Facet("province", gettext_lazy("省份"), "province"),
    Facet("size", gettext_lazy("组织规模"), "size_class"),
]


@permission_required(Perm.MANAGE_PROMOTING_BODIES)
def promoting_body_list(request: HttpRequest) -> HttpResponse:
    bodies = PromotingBody.objects.order_by("-is_active", "name")
    return render(request, "accounts/promoting_body_list.html", {"bodies": bodies})


@permission_required(Perm.MANAGE_PROMOTING_BODIES)
@require_http_methods(["GET", "POST"])
def promoting_body_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    body = get_object_or_404(PromotingBody, pk=pk) if pk else None
    form = PromotingBodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.promoting_body_save(actor=request.user, body=body, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("推进机构已保存。"))
            return redirect("accounts:promoting_bodies")
    return render(request, "accounts/promoting_body_form.html", {"form": form, "body": body})


def _organisation_for(request: HttpRequest, pk: int | None) -> Organisation:
    if pk is None:
        if request.user.organisation_id is None:
            raise Http404(_("您的账号未关联申报单位。"))
        return request.user.organisation
    return get_object_or_404(Organisation, pk=pk)


def _can(request: HttpRequest, perm: Perm, obj: object = None) -> bool:
    return has_perm(request.user, perm, obj)
