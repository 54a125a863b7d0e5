"""Secretariat pages: opening a 公示, handling objections, publishing results, certificates,
the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from manyi.web.accounts.permissions import Perm, permission_required, require
from manyi.web.applications.lifecycle import IllegalTransition
from manyi.web.applications.models import Application, ApplicationState
from manyi.web.audit.models import ACTION_LABELS
from manyi.web.audit.selectors import audit_chain_verify, audit_entries
from manyi.web.campaigns.models import Campaign
from manyi.web.listing import Facet, listing
from manyi.web.publicity import selectors, services
from manyi.web.publicity.certificates import certificate_filename, certificate_pdf
from manyi.web.publicity.forms import (
    AuditFilterForm,
    ObjectionHandleForm,
    PublicationOpenForm,
    PublishForm,
    RevokeForm,
)
from manyi.web.publicity.models import (
    Objection,
    ObjectionAttachment,
    ObjectionOutcome,
    Publication,
)
from manyi.web.security.downloads import audit_download, send_stored_file


def _error_text(exc: ValidationError | IllegalTransition) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@permission_required(Perm.DECIDE_LEVEL)
def manage_index(request: HttpRequest) -> HttpResponse:
    pending = [
        (
            campaign,
            applications,
            PublicationOpenForm(initial={"title": services.default_title(campaign)}),
        )
        for campaign, applications in selectors.applications_awaiting_publication()
    ]
    return render(
        request,
        "publicity/manage_index.html",
        {"pending": pending, "publications": selectors.publications_all()},
    )


@permission_required(Perm.DECIDE_LEVEL)
@require_POST
def publication_open(request: HttpRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=campaign_pk)
    form = PublicationOpenForm(request.POST)
    applications = Application.objects.filter(
        campaign=campaign, state=ApplicationState.PUBLICISED, publication_item__isnull=True
    )
    try:
        publication = services.publication_open(
            actor=request.user,
            campaign=campaign,
            applications=applications,
            title=form.data.get("title", ""),
        )
    except (ValidationError, IllegalTransition) as exc:
        messages.error(request, _error_text(exc))
        return redirect("publicity:manage")
    messages.success(
        request,
        _("公示已开始，公示期至 %(t)s。") % {"t": selectors.format_datetime(publication.closes_at)},
    )
    return redirect("publicity:manage_publication", pk=publication.pk)


@permission_required(Perm.DECIDE_LEVEL)
def manage_publication(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(Publication.objects.select_related("campaign"), pk=pk)
    rows = selectors.publication_rows(publication)
    objections = listing(
        request,
        Objection.objects.filter(item__publication=publication)
        .select_related("item__application__organisation", "handled_by")
        .prefetch_related("attachments")
        .order_by("submitted_at", "id"),
        search=("name", "contact", "content", "item__application__organisation__name"),
        facets=[
            Facet(
                "outcome",
                _("处理结论"),
                "outcome",
                labels=dict(ObjectionOutcome.choices),
                empty_label=_("未处理"),
            )
        ],
    )
    return render(
        request,
        "publicity/manage_publication.html",
        {
            "publication": publication,
            "rows": rows,
            "objections": objections.rows,
            "listing": objections,
            "blockers": selectors.publication_blockers(publication),
            "form": PublishForm(rows=rows),
            "closes": selectors.format_datetime(publication.closes_at),
            "opens": selectors.format_datetime(publication.opens_at),
        },
    )


@permission_required(Perm.DECIDE_LEVEL)
@require_POST
def publication_publish(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_object_or_404(Publication.objects.select_related("campaign"), pk=pk)
    form = PublishForm(request.POST, rows=selectors.publication_rows(publication))
    if not form.is_valid():
        messages.error(request, _("请为公示名单中的每一项申报选择“授予”或“不授予”。"))
        return redirect("publicity:manage_publication", pk=pk)
    try:
        services.publication_publish(
            actor=request.user, publication=publication, decisions=form.decisions()
        )
    except (ValidationError, IllegalTransition) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("公示结果已发布。"))
    return redirect("publicity:manage_publication", pk=pk)


@permission_required(Perm.DECIDE_LEVEL)
@require_http_methods(["GET", "POST"])
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(
        Objection.objects.select_related(
            "item__publication", "item__application__organisation", "handled_by"
        ),
        pk=pk,
    )
    initial = {"outcome": objection.outcome, "handling": objection.handling}
    form = ObjectionHandleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_handle(actor=request.user, objection=objection, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("处理情况已记录。"))
            return redirect("publicity:manage_publication", pk=objection.item.publication_id)
    return render(
        request, "publicity/manage_objection.html", {"objection": objection, "form": form}
    )


@permission_required(Perm.DECIDE_LEVEL)
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(ObjectionAttachment.objects.select_related("objection"), pk=pk)
    services.objection_attachment_opened(actor=request.user, attachment=attachment)
    return send_stored_file(attachment.file, attachment.original_name)


@permission_required(Perm.ISSUE_CERTIFICATE)
def certificate_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "publicity/certificate_list.html",
        {
            "awaiting": selectors.applications_awaiting_certificate(),
            "certificates": selectors.certificates_all(),
            "revoke_form": RevokeForm(),
        },
    )


@permission_required(Perm.ISSUE_CERTIFICATE)
@require_POST
def certificate_issue(request: HttpRequest, application_pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=application_pk)
    try:
        certificate = services.certificate_issue(actor=request.user, application=application)
    except (ValidationError, IllegalTransition) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("证书 %(n)s 已签发。") % {"n": certificate.number})
    return redirect("publicity:certificates")


@permission_required(Perm.ISSUE_CERTIFICATE)
@require_POST
def certificate_revoke(request: HttpRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_by_number(number)
    if certificate is None:
        messages.error(request, _("没有编号为 %(n)s 的证书。") % {"n": number})
        return redirect("publicity:certificates")
    try:
        services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("证书 %(n)s 已撤销。") % {"n": certificate.number})
    return redirect("publicity:certificates")


@login_required
def certificate_download(request: HttpRequest, number: str) -> HttpResponse:
    """The PDF, for the secretariat and for whoever may see the application (its applicant)."""
    certificate = selectors.certificate_by_number(number)
    if certificate is None:
        raise Http404
    require(request.user, Perm.VIEW_APPLICATION, certificate.application)
    filename = certificate_filename(certificate)
    audit_download(request, target=certificate.application, filename=filename)
    response = HttpResponse(certificate_pdf(certificate, request), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


@permission_required(Perm.VIEW_AUDIT_LOG)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, target_types=selectors.audit_target_types())
    target_type = target_id = ""
    if form.is_valid():
        target_type = form.cleaned_data["target_type"]
        target_id = form.cleaned_data["target_id"].strip()
    found = listing(
        request,
        audit_entries(target_type, target_id),
        search=("actor_label", "target_label", "action"),
        facets=[Facet("action", _("动作"), "action", labels=ACTION_LABELS)],
        per_page=selectors.AUDIT_PAGE_SIZE,
    )
    page = found.page
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.label = selectors.audit_action_label(entry)
    return render(
        request,
        "publicity/audit_log.html",
        {
            "form": form,
            "page": page,
            "listing": found,
            "chain_break": audit_chain_verify(),
            "total": page.paginator.count,
            "query": found.querystring,
        },
    )
