"""Writes for applications. Each checks permission, audits and notifies, in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.rules import load_scheme
from manyi.rules.model import Scheme
from manyi.web.accounts.models import PromotingBody, User
from manyi.web.accounts.permissions import Perm, require
from manyi.web.applications.lifecycle import on_transition, transition
from manyi.web.applications.models import (
    Application,
    ApplicationState,
    MaterialFile,
    SubmittedVersion,
)
from manyi.web.applications.precheck import run_precheck
from manyi.web.applications.selectors import (
    current_files_by_material,
    live_organisation_facts,
)
from manyi.web.applications.uploads import (
    UploadRefused,
    check_upload,
    refused_too_large,
    upload_source,
)
from manyi.web.audit.services import audit_record
from manyi.web.campaigns.models import Campaign
from manyi.web.campaigns.selectors import scheme_for_campaign

PROJECT_NAME_FIELD = "project_name"

UploadHook = Callable[[MaterialFile, User], None]
# Called after a file is stored, inside the upload's transaction (e.g. re-run the survey check).
UPLOAD_HOOKS: list[UploadHook] = []


def register_upload_hook(hook: UploadHook) -> UploadHook:
    if hook not in UPLOAD_HOOKS:
        UPLOAD_HOOKS.append(hook)
    return hook


def scheme_for(application: Application) -> Scheme:
    return scheme_for_campaign(application.campaign)


def _validate_choice(scheme: Scheme, *, category: str, level: str, kind: str) -> None:
    errors: dict[str, str] = {}
    try:
        category_name = scheme.category(category).name
    except KeyError:
        errors["category"] = _("未知的申请类别。")
    try:
        scheme.application_kind(kind)
    except KeyError:
        errors["kind"] = _("请选择初评或复评。")
    if "category" not in errors and not scheme.is_eligible(category, level):
        allowed = "、".join(lv.name for lv in scheme.allowed_levels(category))
        errors["level"] = _("%(c)s只能申请%(allowed)s。") % {"c": category_name, "allowed": allowed}
    if errors:
        raise ValidationError(errors)


def _registration_figures(scheme: Scheme, category: str, actor: User) -> dict[str, str]:
    """The figures the organisation gave at registration, for the form fields that ask them."""
    organisation = actor.organisation
    figures = {
        scheme.roles.fields.employees: organisation.employees,
        scheme.roles.fields.revenue: organisation.revenue,
    }
    keys = {field.key for field in scheme.form_fields(category)}
    return {
        key: _plain_number(value)
        for key, value in figures.items()
        if key in keys and value is not None
    }


def _plain_number(value: int | Decimal) -> str:
    """30000.00 → "30000", 1250.50 → "1250.5": as a person would type it."""
    return format(Decimal(value).normalize(), "f")


@transaction.atomic
def application_create(
    *,
    actor: User,
    campaign: Campaign,
    category: str,
    level: str,
    kind: str,
    promoting_body: PromotingBody,
    project_name: str = "",
    previous_certificate_number: str = "",
) -> Application:
    """A new draft; 复评 names the earlier certificate (checked when the system issued it);
    the registration's figures are pre-filled on the form."""
    require(actor, Perm.CREATE_APPLICATION)
    if not campaign.is_open:
        raise ValidationError(_("%(t)s未开放申报。") % {"t": campaign.title})
    scheme = load_scheme(campaign.scheme_year)
    _validate_choice(scheme, category=category, level=level, kind=kind)
    previous_certificate_number = _previous_certificate(
        scheme, kind, previous_certificate_number, actor
    )
    if not promoting_body.is_active:
        raise ValidationError({"promoting_body": _("该推进机构已不在名单中。")})
    project_name = project_name.strip()
    name_field = scheme.form_field(category, PROJECT_NAME_FIELD)
    if not name_field.is_required(category):
        project_name = ""
    elif not project_name:
        raise ValidationError(
            {"project_name": name_field.hint_for(category) or _("请填写申报项目名称。")}
        )
    application = Application(
        campaign=campaign,
        organisation=actor.organisation,
        category=category,
        level=level,
        kind=kind,
        promoting_body=promoting_body,
        project_name=project_name,
        previous_certificate_number=previous_certificate_number,
        form_data={
            **_registration_figures(scheme, category, actor),
            **({PROJECT_NAME_FIELD: project_name} if project_name else {}),
        },
        created_by=actor,
    )
    _save_unique(application)
    audit_record(
        actor=actor,
        action="application.create",
        target=application,
        new_values={
            "category": category,
            "level": level,
            "kind": kind,
            "project_name": project_name,
            **(
                {"previous_certificate": previous_certificate_number}
                if previous_certificate_number
                else {}
            ),
        },
    )
    return application


def _previous_certificate(scheme: Scheme, kind: str, number: str, actor: User) -> str:
    """复评 needs the earlier certificate's number; one the system issued to another
    organisation, or revoked, is refused. 初评 keeps none."""
    from manyi.web.publicity.renewal import certificate_refusal, normalised_number

    if not scheme.application_kind(kind).renewal:
        return ""
    number = normalised_number(number)
    if not number:
        raise ValidationError(
            {
                "previous_certificate_number": _(
                    "复评请填写上一周期用户满意等级评价证书的编号（见证书正面）。"
                )
            }
        )
    refusal = certificate_refusal(number, actor.organisation)
    if refusal:
        raise ValidationError({"previous_certificate_number": refusal})
    return number


def _save_unique(application: Application) -> None:
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError(
            {
                "project_name": _(
                    "本单位在本年度已有同一类别、同一项目的申报，请在原申报中继续填写。"
                )
            }
        ) from exc


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("organisation", "campaign", "promoting_body")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_save_form(
    *, actor: User, application: Application, raw_values: dict[str, Any]
) -> Application:
    """Save the typed form as a draft; nothing is validated beyond its shape."""
    application = _locked(application)
    require(actor, Perm.EDIT_APPLICATION, application)
    old = dict(application.form_data)
    new = {**old, **raw_values}
    changed = sorted(key for key in new if new.get(key) != old.get(key))
    if not changed:
        return application
    application.form_data = new
    if PROJECT_NAME_FIELD in raw_values and scheme_for(application).form_field(
        application.category, PROJECT_NAME_FIELD
    ).is_required(application.category):
        application.project_name = str(raw_values[PROJECT_NAME_FIELD]).strip()
    _save_unique(application)
    audit_record(
        actor=actor,
        action="application.save_form",
        target=application,
        old_values={k: old.get(k) for k in changed},
        new_values={k: new.get(k) for k in changed},
    )
    return application


@transaction.atomic
def material_upload(
    *, actor: User, application: Application, material_key: str, uploaded: UploadedFile
) -> MaterialFile:
    """Store one file for a material after its content checks pass; else nothing changes."""
    application = _locked(application)
    require(actor, Perm.EDIT_APPLICATION, application)
    scheme = scheme_for(application)
    try:
        material = scheme.material(material_key)
    except KeyError as exc:
        raise UploadRefused(_("未知的材料。")) from exc
    if material.requirement_for(application.category, application.level) == "not_applicable":
        raise UploadRefused(_("本类别、等级不需要「%(m)s」。") % {"m": material.name})
    if uploaded.size is not None and uploaded.size > material.max_size_bytes:
        raise refused_too_large(material, uploaded.size)
    checked = check_upload(application, scheme, material, upload_source(uploaded), uploaded.name)
    present = current_files_by_material(application).get(material_key, [])
    replacing = material.max_count == 1 and present
    if not replacing and len(present) >= material.max_count:
        raise UploadRefused(
            _("「%(m)s」最多 %(n)s 个文件，请先移除不需要的文件。")
            % {"m": material.name, "n": material.max_count}
        )
    stored = MaterialFile(
        application=application,
        material_key=material_key,
        original_name=uploaded.name,
        size=checked.info.size,
        sha256=checked.info.sha256,
        kind=checked.info.kind,
        facts=_facts(checked.info),
        findings=checked.findings,
        uploaded_by=actor,
    )
    uploaded.seek(0)
    stored.file.save(uploaded.name, uploaded, save=False)
    stored.save()
    for old in present if replacing else []:
        _remove(actor, old)
    audit_record(
        actor=actor,
        action="material.upload",
        target=application,
        new_values={
            "material": material_key,
            "file": stored.original_name,
            "sha256": stored.sha256,
        },
    )
    for hook in UPLOAD_HOOKS:
        hook(stored, actor)
    return stored


def _facts(info: Any) -> dict[str, Any]:
    keys = ("pages", "slides", "hidden_slides", "duration_seconds", "width", "height", "subtype")
    return {key: getattr(info, key) for key in keys if getattr(info, key, None) is not None}


def _remove(actor: User, stored: MaterialFile) -> None:
    stored.removed_at = timezone.now()
    stored.save(update_fields=["removed_at"])
    audit_record(
        actor=actor,
        action="material.remove",
        target=stored.application,
        old_values={
            "material": stored.material_key,
            "file": stored.original_name,
            "sha256": stored.sha256,
        },
    )


@transaction.atomic
def material_remove(*, actor: User, stored: MaterialFile) -> None:
    application = _locked(stored.application)
    require(actor, Perm.EDIT_APPLICATION, application)
    stored = MaterialFile.objects.select_for_update().get(pk=stored.pk)
    if stored.removed_at is None:
        _remove(actor, stored)


def submit_action(application: Application) -> str:
    """After the secretariat's return the corrected version goes back to its formal review
    (``resubmit``); otherwise (a draft, or after the promoting body's return) to the
    promoting body (``submit``)."""
    return "resubmit" if application.state == ApplicationState.RETURNED else "submit"


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> SubmittedVersion:
    """Freeze the application as a new version; refused while any check fails."""
    application = _locked(application)
    require(actor, Perm.SUBMIT_APPLICATION, application)
    report = run_precheck(application)
    if not report.can_submit:
        raise ValidationError(
            _("还有 %(n)s 项未通过体检，不能提交。请先按体检结果修改。")
            % {"n": report.summary["fail"]}
        )
    application = transition(
        actor=actor,
        application=application,
        action=submit_action(application),
        values={"report": report},
    )
    return application.versions.order_by("-number").first()


@on_transition("submit", "resubmit")
def _freeze_version(application: Application, actor: User | None, values: dict) -> dict:
    """The version keeps the form, every file's hash and the organisation's details as they
    were submitted: documents, public lists and exports of this version read these."""
    number = application.versions.count() + 1
    organisation = live_organisation_facts(application.organisation)
    SubmittedVersion.objects.create(
        application=application,
        number=number,
        submitted_by=actor,
        meta={
            "category": application.category,
            "level": application.level,
            "kind": application.kind,
            "previous_certificate": application.previous_certificate_number,
            "promoting_body": application.promoting_body.name,
            "organisation": organisation.name,
            "organisation_details": organisation.as_dict(),
        },
        form_data=application.form_data,
        files=[
            {
                "material": f.material_key,
                "file_id": f.pk,
                "name": f.original_name,
                "sha256": f.sha256,
                "size": f.size,
            }
            for files in current_files_by_material(application).values()
            for f in files
        ],
        check_summary=values["report"].summary,
    )
    return {"version": number}
