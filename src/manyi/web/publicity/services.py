"""Writes for 公示, objections, publication of results and certificates.

Every state change of an application goes through ``lifecycle.transition``; everything else
written here is audited with ``audit_record``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.documents.render import chinese_date
from manyi.rules import load_scheme
from manyi.rules.model import Scheme
from manyi.web.accounts.models import Role, User
from manyi.web.accounts.permissions import Perm, require
from manyi.web.applications.lifecycle import IllegalTransition, transition
from manyi.web.applications.models import Application, ApplicationState
from manyi.web.applications.selectors import organisation_of
from manyi.web.audit.services import audit_record, notify
from manyi.web.campaigns.models import Campaign
from manyi.web.publicity.attachments import CheckedAttachment, check_attachments
from manyi.web.publicity.certificates import add_years, certificate_number, verification_url
from manyi.web.publicity.models import (
    Certificate,
    ItemResult,
    Objection,
    ObjectionAttachment,
    ObjectionOutcome,
    Publication,
    PublicationItem,
)
from manyi.web.publicity.selectors import format_datetime, publication_blockers
from manyi.web.publicity.validators import normalise_contact

PUBLISHABLE_STATES = frozenset({ApplicationState.DECIDED, ApplicationState.PUBLICISED})
DECISIONS = {"grant": ItemResult.GRANTED, "refuse": ItemResult.REFUSED}


class ObjectionWindowClosed(ValidationError):
    """The 公示 no longer (or not yet) accepts objections; nothing was stored."""


# --- 公示 -------------------------------------------------------------------------------------


def default_title(campaign: Campaign) -> str:
    return _("%(t)s拟授予等级公示") % {"t": campaign.title}


def _publish_problem(application: Application, campaign: Campaign, scheme: Scheme) -> str | None:
    name = application.organisation.name
    if application.campaign_id != campaign.pk:
        return _("%(o)s 的申报不属于%(c)s。") % {"o": name, "c": campaign.title}
    if application.state not in PUBLISHABLE_STATES:
        return _("%(o)s 的申报当前为“%(s)s”，不能公示。") % {
            "o": name,
            "s": application.get_state_display(),
        }
    if PublicationItem.objects.filter(application=application).exists():
        return _("%(o)s 的申报已在公示中。") % {"o": name}
    level = application.proposed_level
    if level and level not in {level.key for level in scheme.levels}:
        return _("%(o)s 的申报拟定的等级“%(l)s”不在评价方案中。") % {"o": name, "l": level}
    return None


@transaction.atomic
def publication_open(
    *,
    actor: User,
    campaign: Campaign,
    applications: Iterable[Application],
    title: str = "",
) -> Publication:
    """Open a 公示 now for ``applications`` (已拟定等级 ones are moved to 公示中 first).

    The objection window is the scheme's ``objection_window_days`` from now. Applications
    proposed for no level (不授予) are grouped too, but not listed publicly, and can only be
    refused when the results are published.
    """
    require(actor, Perm.DECIDE_LEVEL)
    scheme = load_scheme(campaign.scheme_year)
    ids = [application.pk for application in applications]
    locked = list(
        Application.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("organisation")
        .order_by("pk")
    )
    if not locked:
        raise ValidationError(_("没有可公示的申报。"))
    problems = [p for p in (_publish_problem(a, campaign, scheme) for a in locked) if p]
    if problems:
        raise ValidationError(problems)
    for application in locked:
        if application.state == ApplicationState.DECIDED:
            transition(actor=actor, application=application, action="publicise")
    now = timezone.now()
    publication = Publication.objects.create(
        campaign=campaign,
        title=(title or "").strip() or default_title(campaign),
        opens_at=now,
        closes_at=now + datetime.timedelta(days=scheme.publicity.objection_window_days),
        opened_by=actor,
    )
    PublicationItem.objects.bulk_create(
        PublicationItem(publication=publication, application=a, proposed_level=a.proposed_level)
        for a in locked
    )
    audit_record(
        actor=actor,
        action="publication.open",
        target=publication,
        new_values={
            "applications": ",".join(str(a.pk) for a in locked),
            "opens_at": now.isoformat(),
            "closes_at": publication.closes_at.isoformat(),
        },
    )
    return publication


# --- objections -------------------------------------------------------------------------------


def _objection_fields(name: str, contact: str, content: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    name, content = (name or "").strip(), (content or "").strip()
    if not name:
        errors["name"] = _("请填写异议人姓名。")
    if not content:
        errors["content"] = _("请写明异议的事实和理由。")
    try:
        contact = normalise_contact(contact)
    except ValidationError as exc:
        errors["contact"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return {"name": name[:50], "contact": contact, "content": content}


def _validated(
    name: str, contact: str, content: str, uploads: Sequence[UploadedFile]
) -> tuple[dict[str, str], list[CheckedAttachment]]:
    """All fields and files checked; every problem reported at once."""
    errors: dict[str, list[str]] = {}
    fields: dict[str, str] = {}
    checked: list[CheckedAttachment] = []
    try:
        fields = _objection_fields(name, contact, content)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        checked = check_attachments(uploads)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return fields, checked


def _store_attachments(objection: Objection, checked: Sequence[CheckedAttachment]) -> None:
    for attachment in checked:
        stored = ObjectionAttachment(
            objection=objection,
            original_name=attachment.name,
            kind=attachment.extension,
            size=len(attachment.data),
            sha256=attachment.sha256,
        )
        stored.file.save(attachment.name, ContentFile(attachment.data), save=True)


def _window_closed(publication: Publication) -> ObjectionWindowClosed:
    return ObjectionWindowClosed(
        _("本次公示期为 %(a)s 至 %(b)s，现在不在公示期内，不再接收异议。")
        % {"a": format_datetime(publication.opens_at), "b": format_datetime(publication.closes_at)}
    )


def objection_submit(
    *,
    publication: Publication,
    item_id: int,
    name: str,
    contact: str,
    content: str,
    uploads: Sequence[UploadedFile] = (),
) -> Objection:
    """File an objection (anyone, no account) while the window is open; nothing is stored
    when the window is closed, a field is invalid or any attachment is refused."""
    if not publication.is_open():
        raise _window_closed(publication)
    listed = publication.items.exclude(proposed_level="")
    item = listed.select_related("application__organisation").filter(pk=item_id).first()
    if item is None:
        raise ValidationError({"item": _("请从公示名单中选择异议对象。")})
    fields, checked = _validated(name, contact, content, uploads)
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        if not publication.is_open():
            raise _window_closed(publication)
        objection = Objection.objects.create(item=item, **fields)
        _store_attachments(objection, checked)
        _objection_recorded(objection, checked)
    return objection


def _objection_recorded(objection: Objection, checked: Sequence[CheckedAttachment]) -> None:
    # The objector's name and contact stay out of the (append-only) audit log and the mail.
    audit_record(
        actor=None,
        action="objection.submit",
        target=objection,
        new_values={
            "publication": objection.item.publication_id,
            "application": objection.item.application_id,
            "attachments": ",".join(a.sha256 for a in checked),
        },
    )
    notify(
        User.objects.filter(role=Role.SECRETARIAT, is_active=True),
        subject=_("公示收到异议：%(o)s") % {"o": objection.item.application.organisation.name},
        body=_("%(p)s 收到一条关于 %(o)s 的异议，请登录系统查看并记录处理情况。")
        % {
            "p": objection.item.publication.title,
            "o": objection.item.application.organisation.name,
        },
    )


@transaction.atomic
def objection_handle(
    *, actor: User, objection: Objection, handling: str, outcome: str
) -> Objection:
    """Record how the secretariat handled an objection (may be revised until publication)."""
    require(actor, Perm.DECIDE_LEVEL)
    publication = Publication.objects.select_for_update().get(pk=objection.item.publication_id)
    if publication.is_published:
        raise ValidationError(_("本次公示的结果已经发布，异议处理记录不能再修改。"))
    handling = (handling or "").strip()
    if not handling:
        raise ValidationError({"handling": _("请写明核查和处理情况。")})
    if outcome not in ObjectionOutcome.values:
        raise ValidationError({"outcome": _("请选择异议是否成立。")})
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    old = {"outcome": objection.outcome, "handling": objection.handling}
    objection.handling, objection.outcome = handling, outcome
    objection.handled_by, objection.handled_at = actor, timezone.now()
    objection.save(update_fields=["handling", "outcome", "handled_by", "handled_at"])
    audit_record(
        actor=actor,
        action="objection.handle",
        target=objection,
        old_values=old,
        new_values={"outcome": outcome, "handling": handling},
    )
    return objection


def objection_attachment_opened(*, actor: User, attachment: ObjectionAttachment) -> None:
    require(actor, Perm.DECIDE_LEVEL)
    audit_record(
        actor=actor,
        action="objection.attachment_download",
        target=attachment.objection,
        new_values={"download": attachment.original_name, "sha256": attachment.sha256},
    )


# --- publication of the results ---------------------------------------------------------------


def _publish_item(actor: User, item: PublicationItem, decision: str, scheme: Scheme) -> None:
    if decision == "grant" and not item.proposed_level:
        raise ValidationError(
            _("%(o)s 的申报拟不授予等级，只能发布为“不授予”。")
            % {"o": item.application.organisation.name}
        )
    if decision == "grant":
        note = _("授予%(l)s") % {"l": scheme.level(item.proposed_level).name}
    else:
        note = _("不授予等级")
    try:
        transition(actor=actor, application=item.application, action=decision, note=note)
    except IllegalTransition as exc:
        name = item.application.organisation.name
        raise ValidationError(_("%(o)s：%(e)s") % {"o": name, "e": exc}) from exc
    item.result = DECISIONS[decision]
    item.save(update_fields=["result"])


@transaction.atomic
def publication_publish(
    *, actor: User, publication: Publication, decisions: Mapping[int, str]
) -> Publication:
    """After the window, grant or refuse every application of the 公示.

    ``decisions`` maps application id → ``"grant"`` or ``"refuse"``. Refused while the window is
    open or while any objection is unhandled; all or nothing.
    """
    require(actor, Perm.DECIDE_LEVEL)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    blockers = publication_blockers(publication)
    if blockers:
        raise ValidationError(blockers)
    items = list(publication.items.select_related("application__organisation").order_by("id"))
    if any(decisions.get(item.application_id) not in DECISIONS for item in items):
        raise ValidationError(_("请为公示名单中的每一项申报选择“授予”或“不授予”。"))
    scheme = load_scheme(publication.campaign.scheme_year)
    for item in items:
        _publish_item(actor, item, decisions[item.application_id], scheme)
    publication.published_at, publication.published_by = timezone.now(), actor
    publication.save(update_fields=["published_at", "published_by"])
    audit_record(
        actor=actor, action="publication.publish", target=publication, new_values=_tally(items)
    )
    return publication


def _tally(items: Sequence[PublicationItem]) -> dict[str, Any]:
    granted = [str(i.application_id) for i in items if i.result == ItemResult.GRANTED]
    refused = [str(i.application_id) for i in items if i.result == ItemResult.REFUSED]
    return {"granted": ",".join(granted), "refused": ",".join(refused)}


# --- certificates -----------------------------------------------------------------------------


def _granted_level(application: Application) -> str:
    item = PublicationItem.objects.filter(application=application).first()
    return item.proposed_level if item else application.proposed_level


def _next_sequence(campaign: Campaign, category: str) -> int:
    last = Certificate.objects.filter(campaign=campaign, category=category).aggregate(
        Max("sequence")
    )["sequence__max"]
    return (last or 0) + 1


@transaction.atomic
def certificate_issue(
    *, actor: User, application: Application, issued_on: datetime.date | None = None
) -> Certificate:
    """Move a granted application to 已发证 and create its numbered certificate, together.

    The certificate carries the organisation's details as submitted; the notice of the move
    gives its number, validity and public verification link.
    """
    require(actor, Perm.ISSUE_CERTIFICATE, application)
    # Locking the campaign serialises numbering: two certificates never get the same number.
    campaign = Campaign.objects.select_for_update().get(pk=application.campaign_id)
    scheme = load_scheme(campaign.scheme_year)
    try:
        level = scheme.level(_granted_level(application))
    except KeyError:
        raise ValidationError(_("该申报没有授予的等级，不能发证。")) from None
    sequence = _next_sequence(campaign, application.category)
    number = certificate_number(scheme, campaign.year, application.category, sequence)
    issued_on = issued_on or timezone.localdate()
    valid_until = add_years(issued_on, scheme.publicity.certificate_validity_years)
    application = transition(
        actor=actor,
        application=application,
        action="certify",
        notice=[
            _("授予等级：%(l)s。证书编号：%(n)s，有效期至 %(d)s。")
            % {"l": level.name, "n": number, "d": chinese_date(valid_until)},
            _("公开查验：%(u)s") % {"u": verification_url(number)},
        ],
    )
    organisation = organisation_of(application)
    certificate = Certificate.objects.create(
        number=number,
        application=application,
        campaign=campaign,
        sequence=sequence,
        organisation_name=organisation.name,
        project_name=application.project_name,
        category=application.category,
        category_name=scheme.category(application.category).name,
        level=level.key,
        level_name=level.name,
        issuer=scheme.publicity.issuer,
        issued_on=issued_on,
        valid_until=valid_until,
        issued_by=actor,
    )
    audit_record(
        actor=actor,
        action="certificate.issue",
        target=certificate,
        new_values={
            "number": certificate.number,
            "application": application.pk,
            "level": level.key,
            "issued_on": issued_on.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
        },
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    require(actor, Perm.ISSUE_CERTIFICATE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明撤销原因。")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked:
        raise ValidationError(_("证书 %(n)s 已经撤销。") % {"n": certificate.number})
    certificate.revoked, certificate.revoked_at = True, timezone.now()
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked", "revoked_at", "revoked_reason"])
    audit_record(
        actor=actor,
        action="certificate.revoke",
        target=certificate,
        old_values={"revoked": False},
        new_values={"revoked": True, "reason": reason},
    )
    return certificate
