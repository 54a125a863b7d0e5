"""Writes for accounts and organisations. Each checks permission, audits and notifies."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.orgs import creditcode, industries, sizeclass
from manyi.orgs.enterprise_type import ENTERPRISE_TYPES, enterprise_type_for
from manyi.orgs.provider import get_provider
from manyi.web.accounts.models import Organisation, PromotingBody, Role, User
from manyi.web.accounts.permissions import Perm, require
from manyi.web.audit.services import audit_record, notify

PROFILE_FIELDS = (
    "name",
    "industry_section",
    "industry_division",
    "industry_detail",
    "employees",
    "revenue",
    "assets",
    "size_class",
    "size_rule",
    "address",
    "enterprise_type",
    "enterprise_type_chosen",
)


@dataclass(frozen=True)
class ProfileFigures:
    """What the user states about the organisation; the size class is computed from it."""

    industry_code: str
    industry_detail: str = ""
    employees: int | None = None
    revenue: Decimal | None = None
    assets: Decimal | None = None


def credit_code_checked(raw: str) -> creditcode.CreditCodeInfo:
    """Analyse a code; refuse it (ValidationError on ``credit_code``) when the format is wrong."""
    info = creditcode.analyze(raw)
    if info.refused:
        errors = [p.message for p in info.errors]
        raise ValidationError({"credit_code": errors})
    return info


def _registry_fields(code: str, name: str) -> dict[str, Any]:
    record = get_provider(settings.MANYI_REGISTRY_PROVIDER).lookup(code, name=name)
    return {
        "authority": record.authority or "",
        "org_category": record.organisation_type or "",
        "enterprise_type": record.enterprise_type or "",
        "region_code": record.region_code or "",
        "province": record.province or "",
        "city": record.city or "",
    }


def _size_fields(figures: ProfileFigures) -> dict[str, Any]:
    """Industry and size class, or a ValidationError naming the field that is wrong."""
    code = figures.industry_detail or figures.industry_code
    try:
        entry = industries.lookup(code)
    except industries.UnknownIndustryError as exc:
        raise ValidationError({"industry_code": str(exc)}) from exc
    try:
        result = sizeclass.classify(
            code, employees=figures.employees, revenue=figures.revenue, assets=figures.assets
        )
    except sizeclass.MissingIndicatorError as exc:
        raise ValidationError({exc.indicators[0]: str(exc)}) from exc
    except sizeclass.AmbiguousIndustryError as exc:
        raise ValidationError({"industry_detail": str(exc)}) from exc
    except sizeclass.SizeInputError as exc:
        raise ValidationError(str(exc)) from exc
    return {
        "industry_section": entry.section,
        "industry_division": entry.division or "",
        "industry_detail": figures.industry_detail,
        "employees": figures.employees,
        "revenue": figures.revenue,
        "assets": figures.assets,
        "size_class": result.size or _("未划型"),
        "size_rule": result.rule if result.classified else (result.reason or ""),
    }


@transaction.atomic
def organisation_register(
    *,
    credit_code: str,
    name: str,
    figures: ProfileFigures,
    address: str = "",
    username: str,
    password: str,
    full_name: str,
    email: str,
    phone: str = "",
) -> User:
    """Register an applicant organisation together with its first member account."""
    info = credit_code_checked(credit_code)
    if Organisation.objects.filter(credit_code=info.code).exists():
        raise ValidationError({"credit_code": _duplicate_message(info.code)})
    organisation = Organisation(
        credit_code=info.code,
        name=name.strip(),
        address=address.strip(),
        check_char_ok=bool(info.check_char_ok),
        **_registry_fields(info.code, name.strip()),
        **_size_fields(figures),
    )
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:  # a concurrent registration of the same code won
        raise ValidationError({"credit_code": _duplicate_message(info.code)}) from exc
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        role=Role.APPLICANT,
        organisation=organisation,
    )
    user.set_password(password)
    user.save()
    audit_record(
        actor=user,
        action="organisation.register",
        target=organisation,
        new_values={"credit_code": organisation.credit_code, "name": organisation.name},
    )
    if organisation.check_char_pending:
        notify(
            User.objects.filter(role=Role.SECRETARIAT, is_active=True),
            subject=_("统一社会信用代码校验码待核实：%(name)s") % {"name": organisation.name},
            body=_("单位 %(name)s 的统一社会信用代码 %(code)s 校验码不符，请核实后人工放行。")
            % {"name": organisation.name, "code": organisation.credit_code},
        )
    return user


def _duplicate_message(code: str) -> str:
    """Says the code is taken and whom to ask, never which organisation holds it: a stranger
    typing a code must not learn who registered it."""
    contact = settings.MANYI_SECRETARIAT_CONTACT
    secretariat = _("秘书处（%(c)s）") % {"c": contact} if contact else _("秘书处")
    return _(
        "统一社会信用代码 %(code)s 已经注册，同一单位不能重复注册。"
        "如需账号，请联系本单位已注册的联系人；找不到联系人的，请持营业执照联系%(s)s核实。"
    ) % {"code": code, "s": secretariat}


@transaction.atomic
def organisation_update_profile(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    figures: ProfileFigures,
    address: str,
    enterprise_type: str = "",
) -> Organisation:
    """Save the profile; ``enterprise_type`` is the applicant's pick ("" keeps the derived one)."""
    require(actor, Perm.EDIT_ORGANISATION, organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    old = {field: getattr(organisation, field) for field in PROFILE_FIELDS}
    for field, value in {
        "name": name.strip(),
        "address": address.strip(),
        **_size_fields(figures),
        **_enterprise_type_fields(organisation, name.strip(), enterprise_type),
    }.items():
        setattr(organisation, field, value)
    organisation.save()
    new = {field: getattr(organisation, field) for field in PROFILE_FIELDS}
    changed = [field for field in PROFILE_FIELDS if old[field] != new[field]]
    if changed:
        audit_record(
            actor=actor,
            action="organisation.update",
            target=organisation,
            old_values={field: old[field] for field in changed},
            new_values={field: new[field] for field in changed},
        )
    return organisation


def _enterprise_type_fields(organisation: Organisation, name: str, chosen: str) -> dict[str, Any]:
    if chosen:
        if chosen not in ENTERPRISE_TYPES:
            raise ValidationError({"enterprise_type": _("请从列表中选择企业类型。")})
        derived = enterprise_type_for(name, organisation.org_category)
        return {"enterprise_type": chosen, "enterprise_type_chosen": chosen != derived}
    if organisation.enterprise_type_chosen:
        return {}
    return {"enterprise_type": enterprise_type_for(name, organisation.org_category) or ""}


@transaction.atomic
def organisation_accept_check_char(
    *, actor: User, organisation: Organisation, note: str
) -> Organisation:
    """The secretariat accepts a code whose check character fails (e.g. early pilot codes)."""
    require(actor, Perm.OVERRIDE_CREDIT_CODE, organisation)
    if not note.strip():
        raise ValidationError({"note": _("请说明核实依据（例如营业执照原件核对结果）。")})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not organisation.check_char_pending:
        raise ValidationError(_("该单位的统一社会信用代码无需人工放行。"))
    organisation.check_override_by = actor
    organisation.check_override_at = timezone.now()
    organisation.check_override_note = note.strip()
    organisation.save(
        update_fields=["check_override_by", "check_override_at", "check_override_note"]
    )
    audit_record(
        actor=actor,
        action="organisation.accept_check_char",
        target=organisation,
        new_values={"note": organisation.check_override_note},
    )
    notify(
        organisation.members.filter(is_active=True),
        subject=_("统一社会信用代码已核实"),
        body=_("秘书处已核实贵单位的统一社会信用代码 %(code)s。")
        % {"code": organisation.credit_code},
    )
    return organisation


PROMOTING_BODY_FIELDS = ("name", "kind", "region", "contact_person", "contact_phone", "is_active")


@transaction.atomic
def promoting_body_save(
    *, actor: User, body: PromotingBody | None = None, **values: Any
) -> PromotingBody:
    """Create (``body`` None) or update a 推进机构 on the secretariat's list."""
    require(actor, Perm.MANAGE_PROMOTING_BODIES)
    creating = body is None
    body = (
        PromotingBody() if creating else PromotingBody.objects.select_for_update().get(pk=body.pk)
    )
    old = {field: getattr(body, field) for field in PROMOTING_BODY_FIELDS}
    for field in PROMOTING_BODY_FIELDS:
        if field in values:
            setattr(body, field, values[field])
    body.full_clean()
    body.save()
    new = {field: getattr(body, field) for field in PROMOTING_BODY_FIELDS}
    audit_record(
        actor=actor,
        action="promoting_body.create" if creating else "promoting_body.update",
        target=body,
        old_values={} if creating else {k: v for k, v in old.items() if v != new[k]},
        new_values=new if creating else {k: v for k, v in new.items() if v != old[k]},
    )
    return body


@transaction.atomic
def staff_user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    full_name: str,
    email: str = "",
    phone: str = "",
    promoting_body: PromotingBody | None = None,
) -> User:
    """Accounts for promoters, secretariat and experts are created by the secretariat."""
    if actor is not None:
        require(actor, Perm.MANAGE_PROMOTING_BODIES)
    if role == Role.APPLICANT:
        raise ValidationError(_("申报单位账号请通过注册页面创建。"))
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        role=role,
        promoting_body=promoting_body if role == Role.PROMOTER else None,
        is_staff=role == Role.SECRETARIAT,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="user.create", target=user, new_values={"role": role})
    return user
