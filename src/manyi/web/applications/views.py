from __future__ import annotations

import io
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from manyi.practice_report import (
    ReportReadError,
    build_template,
    check_report,
    template_filename,
)
from manyi.web.accounts.permissions import Perm, has_perm, permission_required, require
from manyi.web.applications import selectors, services
from manyi.web.applications.documents import (
    PackageError,
    generated_keys,
    package_write,
)
from manyi.web.applications.documents import generated_document as render_generated
from manyi.web.applications.formdata import is_system_field, system_value
from manyi.web.applications.forms import ApplicationCreateForm, ApplicationFormForm
from manyi.web.applications.models import Application, MaterialFile
from manyi.web.applications.precheck import run_precheck
from manyi.web.applications.steps import (
    application_steps,
    completeness,
    revisions_per_step,
    step_of_group,
)
from manyi.web.applications.uploads import UploadRefused
from manyi.web.audit.services import audit_record
from manyi.web.campaigns.selectors import campaign_current
from manyi.web.core.forms import add_service_errors
from manyi.web.core.standing import application_standing
from manyi.web.listing import application_facets, application_search, listing
from manyi.web.security.downloads import audit_download, audited_download

log = logging.getLogger(__name__)
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REPORT_CHECK_MAX_BYTES = 50 * 1024 * 1024


def _application(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW_APPLICATION) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("organisation", "campaign", "promoting_body"), pk=pk
    )
    require(request.user, perm, application)
    return application


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.VIEW_APPLICATION)
    campaign = campaign_current()
    form = None
    if campaign and has_perm(request.user, Perm.CREATE_APPLICATION):
        scheme = services.load_scheme(campaign.scheme_year)
        form = ApplicationCreateForm(scheme=scheme)
    found = listing(
        request,
        selectors.applications_visible_to(request.user),
        search=application_search(),
        facets=application_facets(),
    )
    return render(
        request,
        "applications/application_list.html",
        {
            "applications": selectors.applications_with_names(found.page.object_list),
            "listing": found,
            "campaign": campaign,
            "form": form,
        },
    )


@permission_required(Perm.CREATE_APPLICATION)
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    campaign = campaign_current()
    if campaign is None:
        messages.error(request, _("当前没有开放的评价年度。"))
        return redirect("applications:list")
    scheme = services.load_scheme(campaign.scheme_year)
    form = ApplicationCreateForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("申报已创建，请按步骤填写。"))
            return redirect("applications:overview", pk=application.pk)
    return render(
        request, "applications/application_create.html", {"form": form, "campaign": campaign}
    )


def _overview_context(request: HttpRequest, application: Application) -> dict:
    scheme = services.scheme_for(application)
    report = run_precheck(application)
    standing = application_standing(application, request)
    revisions = revisions_per_step(scheme, standing.findings)
    return {
        "application": application,
        "organisation": selectors.organisation_of(application),
        "scheme": scheme,
        "category": scheme.category(application.category),
        "level": scheme.level(application.level),
        "report": report,
        "standing": standing,
        "steps": application_steps(application, scheme, report, revisions),
        "completeness": completeness(report, len(standing.findings)),
        "can_edit": has_perm(request.user, Perm.EDIT_APPLICATION, application),
        "can_submit": has_perm(request.user, Perm.SUBMIT_APPLICATION, application),
    }


@login_required
def application_overview(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    _audit_reviewer_access(request, application, {"page": "overview"})
    context = _overview_context(request, application)
    context["versions"] = application.versions.order_by("-number")
    return render(request, "applications/application_overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_form(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    scheme = services.scheme_for(application)
    can_edit = has_perm(request.user, Perm.EDIT_APPLICATION, application)
    form = ApplicationFormForm(
        request.POST if request.method == "POST" else None,
        scheme=scheme,
        category=application.category,
        stored=application.form_data,
    )
    if request.method == "POST":
        require(request.user, Perm.EDIT_APPLICATION, application)
        valid = form.is_valid()
        application = services.application_save_form(
            actor=request.user, application=application, raw_values=form.raw_values()
        )
        if valid:
            messages.success(request, _("申请表已保存。提交前请到“体检”查看是否还有问题。"))
            return redirect("applications:form", pk=application.pk)
    problems = _saved_field_problems(application, run_precheck(application))
    origins = system_field_origins(scheme)
    system_fields = [
        (field, system_value(application, scheme, field), origins.get(field.key, ""))
        for field in scheme.form_fields(application.category)
        if is_system_field(scheme, field)
    ]
    groups = [
        (
            field,
            [form[name] for name in names],
            problems.get(field.key, []),
            field.hint_for(application.category),
        )
        for field, names in form.groups
    ]
    _describe_problems(form, groups)
    return render(
        request,
        "applications/application_form.html",
        {
            "application": application,
            "form": form,
            "groups": groups,
            "system_fields": system_fields,
            "can_edit": can_edit,
            "organisation": selectors.organisation_of(application),
            "section": scheme.form.section(application.category),
            "instructions": scheme.form.instructions,
            "category": scheme.category(application.category),
        },
    )


def system_field_origins(scheme) -> dict[str, str]:
    """Where each system-filled field comes from, so nobody mistakes a choice for automation:
    the form marks 行业分类 自动抓取, but the organisation chose it at registration."""
    roles = scheme.roles.fields
    registration = _("注册信息")
    chosen_at_creation = _("创建申报时选择")
    return {
        roles.enterprise_name: registration,
        roles.credit_code: _("注册信息（已核验）"),
        roles.enterprise_type: _("自动识别：由统一社会信用代码得出"),
        roles.industry: _("本单位选择：注册时选定，可在单位信息中修改"),
        roles.org_size: _("自动计算：按行业、从业人员、营业收入划型"),
        roles.category_level: chosen_at_creation,
        roles.application_kind: chosen_at_creation,
    }


def _saved_field_problems(application: Application, report) -> dict[str, list]:
    """The check's problems per field, only for fields the applicant has saved: nothing is
    marked wrong before the user has typed or saved it."""
    problems: dict[str, list] = {}
    for item in report.at("form"):
        key = item.where.removeprefix("form.")
        if item.status != "pass" and key in application.form_data:
            problems.setdefault(key, []).append(item)
    return problems


def _describe_problems(form: ApplicationFormForm, groups: list) -> None:
    """Inputs point at their help, their save error and their check problems by id."""
    for field, bound_fields, problems, hint in groups:
        for bound in bound_fields:
            ids = []
            if bound.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            elif hint:  # a list or pair: one hint for the whole group
                ids.append(f"hint-{field.key}")
            if bound.errors:
                ids.append(f"{bound.auto_id}_error")
            if problems:
                ids.append(f"problems-{field.key}")
            if ids:
                form.fields[bound.name].widget.attrs["aria-describedby"] = " ".join(ids)


@login_required
def application_materials(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    context = _overview_context(request, application)  # runs the 体检 once for the page
    scheme, report = context["scheme"], context["report"]
    files = selectors.current_files_by_material(application)
    sections: dict[str, list] = {}
    renewal = scheme.application_kind(application.kind).renewal
    for material, requirement in scheme.materials_for(application.category, application.level):
        if material.key == scheme.roles.materials.previous_certificate and not renewal:
            continue  # only a 复评 follows an earlier certificate
        items = [i for i in report.at(f"materials.{material.key}") if i.status != "pass"]
        sections.setdefault(step_of_group(material.group), []).append(
            {
                "material": material,
                "requirement": requirement,
                "presence": material.presence_rule(application.category, application.level),
                "files": files.get(material.key, []),
                "problems": items,
            }
        )
    context["sections"] = [
        (step, sections[step.key]) for step in context["steps"] if step.key in sections
    ]
    context["generated_keys"] = generated_keys(scheme)
    return render(request, "applications/application_materials.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def material_upload(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    application = _application(request, pk, Perm.EDIT_APPLICATION)
    uploads = request.FILES.getlist("files")
    results = []
    if not uploads:
        results.append({"name": "", "ok": False, "message": _("请先选择文件。")})
    for uploaded in uploads:
        try:
            stored = services.material_upload(
                actor=request.user, application=application, material_key=key, uploaded=uploaded
            )
        except (UploadRefused, ValidationError) as exc:
            message = str(exc) if isinstance(exc, UploadRefused) else " ".join(exc.messages)
            results.append({"name": uploaded.name, "ok": False, "message": message})
        else:
            results.append(
                {
                    "name": stored.original_name,
                    "ok": True,
                    "message": _("已上传，SHA-256 %(h)s…") % {"h": stored.sha256[:12]},
                }
            )
    if _wants_json(request):
        return JsonResponse({"results": results})
    for result in results:
        if result["ok"]:
            messages.success(request, f"{result['name']}：{result['message']}")
        else:
            messages.error(
                request, _("未接收 %(n)s：%(m)s") % {"n": result["name"], "m": result["message"]}
            )
    return redirect(reverse("applications:materials", args=[pk]) + f"#material-{key}")


@login_required
@require_POST
def material_remove(request: HttpRequest, file_id: int) -> HttpResponse:
    stored = get_object_or_404(MaterialFile, pk=file_id)
    _application(request, stored.application_id, Perm.EDIT_APPLICATION)
    services.material_remove(actor=request.user, stored=stored)
    messages.success(request, _("已移除 %(n)s。") % {"n": stored.original_name})
    return redirect("applications:materials", pk=stored.application_id)


def _audit_reviewer_access(request: HttpRequest, application: Application, what: dict) -> None:
    """Reviewers' views and downloads are recorded; the applicant's own are not."""
    if request.user.organisation_id != application.organisation_id:
        audit_record(
            actor=request.user, action="application.view", target=application, new_values=what
        )


@login_required
def material_download(request: HttpRequest, file_id: int) -> HttpResponse:
    stored = get_object_or_404(MaterialFile, pk=file_id)
    application = _application(request, stored.application_id)
    return audited_download(
        request,
        stored=stored.file,
        filename=stored.original_name,
        target=application,
        details={"sha256": stored.sha256},
    )


@login_required
def application_check(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    context = _overview_context(request, application)
    if request.GET.get("format") == "json":
        return JsonResponse(context["report"].to_dict(), json_dumps_params={"ensure_ascii": False})
    return render(request, "applications/application_check.html", context)


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk, Perm.SUBMIT_APPLICATION)
    try:
        version = services.application_submit(actor=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("applications:check", pk=application.pk)
    messages.success(
        request, _("已提交第 %(n)s 版。提交后不能修改，除非申报被退回。") % {"n": version.number}
    )
    return redirect("applications:overview", pk=application.pk)


@login_required
def generated_document(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    application = _application(request, pk)
    if key not in generated_keys(services.scheme_for(application)):
        raise Http404
    pdf = render_generated(application, key)
    name = services.scheme_for(application).material(key).name
    audit_download(request, target=application, filename=f"{name}.pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{name}.pdf")
    return response


@login_required
def application_package(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    buffer = io.BytesIO()
    try:
        package_write(application, buffer)
    except PackageError as exc:
        messages.error(request, _("无法生成申报书：%(e)s") % {"e": exc})
        return redirect("applications:overview", pk=pk)
    filename = f"{application.campaign.title}申请书-{application.organisation.name}.pdf"
    audit_download(request, target=application, filename=filename)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def report_template(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    scheme = services.scheme_for(application)
    data = build_template(application.category, scheme=scheme)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, template_filename(application.category, scheme=scheme)
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a report draft (DOCX or PDF) without storing it: findings with their locations."""
    application = _application(request, pk)
    context = _overview_context(request, application)
    uploaded = request.FILES.get("report")
    if request.method == "POST":
        if uploaded is None:
            context["error"] = _("请选择要检查的 Word 或 PDF 文件。")
        elif uploaded.size > REPORT_CHECK_MAX_BYTES:
            context["error"] = _("文件超过 50 MB，请压缩图片后重试。")
        else:
            try:
                context["result"] = check_report(
                    uploaded.read(),
                    uploaded.name,
                    application.category,
                    organisation_name=application.organisation.name,
                    scheme=services.scheme_for(application),
                )
            except ReportReadError as exc:
                context["error"] = str(exc)
            except Exception as exc:  # the checker's own failure: say so, never a 500
                log.exception("实践报告草稿检查出错：%s", uploaded.name)
                context["error"] = _("检查器没能读完这份文件（%(e)s），请人工核对格式。") % {
                    "e": type(exc).__name__
                }
            context["checked_name"] = uploaded.name
    return render(request, "applications/report_check.html", context)
