"""Experts: the pool (secretariat), assignment per application, and the expert's own pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from manyi.rules import load_scheme, newest_year
from manyi.rules.model import Scheme
from manyi.web.accounts.models import Organisation
from manyi.web.accounts.permissions import Perm, permission_required
from manyi.web.applications.lifecycle import IllegalTransition
from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.applications.services import scheme_for
from manyi.web.campaigns.selectors import campaign_current
from manyi.web.listing import Facet, application_facets, application_search, listing
from manyi.web.review import selectors, services
from manyi.web.review.forms import (
    AssignForm,
    ConflictForm,
    ExpertAccountForm,
    ExpertProfileForm,
    ScoreForm,
)
from manyi.web.review.models import ConflictDeclaration, ExpertAssignment, ExpertProfile
from manyi.web.review.views.common import (
    application_for,
    audit_view,
    errors_to,
    message_of,
    page,
    renewal_context,
)

EXPERT_FACETS = [
    Facet(
        "active",
        gettext_lazy("可分配"),
        "is_active",
        labels={True: gettext_lazy("可分配"), False: gettext_lazy("停用")},
    ),
    Facet("region", gettext_lazy("省份"), "region"),
    Facet(
        "promoting_body",
        gettext_lazy("推进机构"),
        "promoting_body",
        label_field="promoting_body__name",
    ),
]


def _scheme() -> Scheme:
    campaign = campaign_current()
    return load_scheme(campaign.scheme_year if campaign else newest_year())


@permission_required(Perm.MANAGE_EXPERTS)
def expert_list(request: HttpRequest) -> HttpResponse:
    found = listing(
        request,
        selectors.expert_profiles().order_by("user__full_name", "pk"),
        search=("user__full_name", "user__username", "organisation_name"),
        facets=EXPERT_FACETS,
    )
    return page(
        request,
        "review/expert_list.html",
        {"experts": found.rows, "listing": found, "scheme": _scheme()},
    )


@permission_required(Perm.MANAGE_EXPERTS)
@require_http_methods(["GET", "POST"])
def expert_create(request: HttpRequest) -> HttpResponse:
    scheme = _scheme()
    account = ExpertAccountForm(request.POST or None)
    profile = ExpertProfileForm(request.POST or None, scheme=scheme, initial={"is_active": True})
    if request.method == "POST" and account.is_valid() and profile.is_valid():
        try:
            password_validation.validate_password(account.cleaned_data["password"])
            services.expert_create(
                actor=request.user, **account.cleaned_data, **profile.cleaned_data
            )
        except ValidationError as exc:
            errors_to(account, exc)
        else:
            messages.success(request, _("专家已加入专家库。"))
            return redirect("review:experts")
    return page(request, "review/expert_form.html", {"account": account, "form": profile})


@permission_required(Perm.MANAGE_EXPERTS)
@require_http_methods(["GET", "POST"])
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_object_or_404(ExpertProfile.objects.select_related("user"), pk=pk)
    form = ExpertProfileForm(request.POST or None, instance=expert, scheme=_scheme())
    if request.method == "POST" and form.is_valid():
        services.expert_update(actor=request.user, expert=expert, **form.cleaned_data)
        messages.success(request, _("专家信息已保存。"))
        return redirect("review:experts")
    return page(request, "review/expert_form.html", {"form": form, "expert": expert})


@permission_required(Perm.ASSIGN_EXPERTS)
def expert_review_queue(request: HttpRequest) -> HttpResponse:
    found = listing(
        request,
        selectors.expert_review_queue(),
        search=application_search(),
        facets=application_facets(),
    )
    applications = found.rows
    totals = selectors.submitted_totals(a.pk for a in applications)
    rows = [
        (a, selectors.summarise(scheme_for(a), totals.get(a.pk, []), a.assigned))
        for a in applications
    ]
    return page(request, "review/expert_review_queue.html", {"rows": rows, "listing": found})


def _assign_choices(candidates: list[selectors.Candidate]) -> list[tuple[int, str]]:
    return [
        (c.profile.user_id, _choice_label(c))
        for c in candidates
        if not c.assigned and c.fit.assignable
    ]


def _choice_label(candidate: selectors.Candidate) -> str:
    flags = [] if candidate.fit.category_ok else [_("类别不匹配")]
    flags += [] if candidate.fit.industry_ok else [_("行业不匹配")]
    suffix = f"（{'、'.join(flags)}）" if flags else ""
    return _("%(e)s · 本年度已分配 %(n)s 件%(s)s") % {
        "e": candidate.profile.user,
        "n": candidate.load,
        "s": suffix,
    }


def _experts_page(
    request: HttpRequest, application: Application, form: AssignForm | None = None
) -> HttpResponse:
    candidates = selectors.candidates(application)
    assignments = list(selectors.assignments_of(application))
    return page(
        request,
        "review/application_experts.html",
        {
            "application": application,
            "candidates": candidates,
            "assignments": assignments,
            "form": form or AssignForm(choices=_assign_choices(candidates)),
            "can_assign": application.state in selectors.ASSIGNABLE_STATES,
            "summary": selectors.score_summary(application),
            "sheets": _sheets(assignments),
            "needed": scheme_for(application).review.experts_per_application,
        },
    )


def _sheets(assignments: list[ExpertAssignment]) -> list:
    """Per expert: status, rows and total (the secretariat sees drafts as drafts)."""
    return [
        (a, rows, selectors.sheet_total(rows))
        for a in assignments
        for rows in [selectors.score_sheet(a)]
    ]


@login_required
def application_experts(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk, Perm.ASSIGN_EXPERTS)
    return _experts_page(request, application)


@login_required
@require_POST
def expert_assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk, Perm.ASSIGN_EXPERTS)
    form = AssignForm(request.POST, choices=_assign_choices(selectors.candidates(application)))
    if form.is_valid():
        expert = get_object_or_404(ExpertProfile, user_id=form.cleaned_data["expert"]).user
        try:
            services.expert_assign(
                actor=request.user,
                application=application,
                expert=expert,
                allow_expertise_gap=form.cleaned_data["allow_expertise_gap"],
            )
        except (ValidationError, IllegalTransition) as exc:
            form.add_error(None, message_of(exc))
        else:
            messages.success(request, _("已分配 %(e)s。") % {"e": expert})
            return redirect("review:application_experts", pk=pk)
    return _experts_page(request, application, form)


@login_required
@require_POST
def expert_auto_assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_for(request, pk, Perm.ASSIGN_EXPERTS)
    try:
        result = services.auto_assign(application, actor=request.user)
    except (ValidationError, IllegalTransition) as exc:
        messages.error(request, message_of(exc))
        return redirect("review:application_experts", pk=pk)
    names = "、".join(str(a.expert) for a in result.assigned) or _("无")
    messages.success(request, _("自动分配：%(n)s。") % {"n": names})
    if result.missing:
        messages.warning(
            request,
            _("还差 %(m)s 位专家：没有更多类别匹配且无利益冲突的专家，请扩充专家库或人工分配。")
            % {"m": result.missing},
        )
    return redirect("review:application_experts", pk=pk)


@login_required
@require_POST
def expert_unassign(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(ExpertAssignment, pk=assignment_id)
    application_for(request, assignment.application_id, Perm.ASSIGN_EXPERTS)
    try:
        services.expert_unassign(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("已撤销对 %(e)s 的分配。") % {"e": assignment.expert})
    return redirect("review:application_experts", pk=assignment.application_id)


# -- the expert's own pages -----------------------------------------------------------------


@permission_required(Perm.SCORE_APPLICATION)
def my_assignments(request: HttpRequest) -> HttpResponse:
    return page(
        request,
        "review/my_assignments.html",
        {"assignments": selectors.assignments_for_expert(request.user)},
    )


@permission_required(Perm.DECLARE_CONFLICT)
@require_http_methods(["GET", "POST"])
def my_conflicts(request: HttpRequest) -> HttpResponse:
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = _organisation_named(form.cleaned_data["organisation"])
        if organisation is None:
            form.add_error("organisation", _("未找到该单位，请核对完整名称或统一社会信用代码。"))
        else:
            try:
                services.conflict_declare(
                    actor=request.user,
                    organisation=organisation,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                errors_to(form, exc)
            else:
                messages.success(request, _("已声明，秘书处分配时将回避该单位。"))
                return redirect("review:my_conflicts")
    declarations = ConflictDeclaration.objects.filter(expert=request.user).select_related(
        "organisation"
    )
    return page(request, "review/my_conflicts.html", {"form": form, "declarations": declarations})


def _organisation_named(text: str) -> Organisation | None:
    """An exact name or credit code only: experts do not browse the applicant list."""
    text = text.strip()
    code = text.replace(" ", "").upper()
    return Organisation.objects.filter(Q(credit_code=code) | Q(name=text)).first()


@login_required
@require_http_methods(["GET", "POST"])
def score_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert's own score sheet for one assigned application; nobody else's scores."""
    application = application_for(request, pk, Perm.SCORE_APPLICATION)
    assignment = get_object_or_404(ExpertAssignment, application=application, expert=request.user)
    locked = assignment.is_submitted or application.state != S.EXPERT_REVIEW
    rows = selectors.score_sheet(assignment)
    form = ScoreForm(request.POST or None, rows=rows, disabled=locked)
    if request.method == "POST":
        if form.is_valid() and _save_scores(request, form, assignment):
            return redirect("review:score_sheet", pk=pk)
    else:
        audit_view(request, application, "score_sheet")
    return page(
        request,
        "review/score_sheet.html",
        {
            "application": application,
            "assignment": assignment,
            "form": form,
            "locked": locked,
            "total": selectors.sheet_total(rows),
            "max_total": scheme_for(application).review.max_total,
            "materials": selectors.material_links(application),
            "satisfaction": selectors.satisfaction_check(application),
            **renewal_context(application),
        },
    )


def _save_scores(request: HttpRequest, form: ScoreForm, assignment: ExpertAssignment) -> bool:
    submit = "submit" in request.POST
    try:
        services.scores_save(
            actor=request.user, assignment=assignment, entries=form.entries(), submit=submit
        )
    except (ValidationError, IllegalTransition) as exc:
        _score_errors(form, exc)
        return False
    messages.success(request, _("评分已提交，不能再修改。") if submit else _("草稿已保存。"))
    return True


def _score_errors(form: ScoreForm, exc: Exception) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            name = f"points_{key}"
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, message_of(exc))
