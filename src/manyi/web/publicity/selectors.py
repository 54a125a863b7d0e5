"""Reads for 公示, objections, certificates and the audit log pages."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.rules import load_scheme
from manyi.web.applications.lifecycle import MOVES_BY_ACTION
from manyi.web.applications.models import Application, ApplicationState
from manyi.web.applications.selectors import organisation_of
from manyi.web.audit.models import AuditEntry
from manyi.web.campaigns.models import Campaign
from manyi.web.publicity.certificates import normalise_number
from manyi.web.publicity.models import (
    Certificate,
    Objection,
    ObjectionOutcome,
    Publication,
    PublicationItem,
)

AUDIT_PAGE_SIZE = 50


def format_datetime(value: datetime.datetime) -> str:
    """``2025年6月8日 10:00`` in local time."""
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@dataclass(frozen=True)
class ItemRow:
    """One line of a 公示: only what the public may see, plus ids and counts for staff pages."""

    item_id: int
    application_id: int
    organisation: str
    category: str
    level: str
    project_name: str
    level_key: str
    result: str
    objections: int = 0
    open_objections: int = 0
    upheld_objections: int = 0

    @property
    def proposed(self) -> bool:
        """A level was proposed; rows without one (拟不授予) are never shown to the public."""
        return bool(self.level_key)

    @property
    def suggested_decision(self) -> str:
        return "refuse" if self.upheld_objections or not self.proposed else "grant"

    @property
    def choice_label(self) -> str:
        parts = [self.organisation, self.category, self.project_name]
        return " · ".join(part for part in parts if part)


def publications_public() -> list[Publication]:
    return list(Publication.objects.select_related("campaign").order_by("-opens_at", "-id"))


def publications_all() -> list[Publication]:
    return list(
        Publication.objects.select_related("campaign")
        .annotate(
            item_count=Count("items", distinct=True),
            objection_count=Count("items__objections", distinct=True),
        )
        .order_by("-opens_at", "-id")
    )


def _items(publication: Publication) -> QuerySet[PublicationItem]:
    handled = Q(objections__outcome__in=ObjectionOutcome.values)
    upheld = Q(objections__outcome=ObjectionOutcome.UPHELD)
    return (
        publication.items.select_related("application__organisation")
        .annotate(
            n_objections=Count("objections"),
            n_handled=Count("objections", filter=handled),
            n_upheld=Count("objections", filter=upheld),
        )
        .order_by("application__organisation__name", "id")
    )


def publication_rows(publication: Publication, *, public: bool = False) -> list[ItemRow]:
    """The lines of a 公示; ``public`` leaves out applications proposed for no level."""
    scheme = load_scheme(publication.campaign.scheme_year)
    items = _items(publication)
    if public:
        items = items.exclude(proposed_level="")
    order = {category.key: n for n, category in enumerate(scheme.categories)}
    items = sorted(items, key=lambda i: order.get(i.application.category, len(order)))
    return [
        ItemRow(
            item_id=item.pk,
            application_id=item.application_id,
            organisation=organisation_of(item.application).name,
            category=scheme.category(item.application.category).name,
            level=scheme.level(item.proposed_level).name if item.proposed_level else _("拟不授予"),
            project_name=item.application.project_name,
            level_key=item.proposed_level,
            result=item.get_result_display() if item.result else "",
            objections=item.n_objections,
            open_objections=item.n_objections - item.n_handled,
            upheld_objections=item.n_upheld,
        )
        for item in items
    ]


def _with_names(applications: list[Application]) -> list[Application]:
    """Attach ``category_name`` and ``proposed_level_name`` from each campaign's scheme."""
    for application in applications:
        scheme = load_scheme(application.campaign.scheme_year)
        application.category_name = scheme.category(application.category).name
        levels = {level.key: level.name for level in scheme.levels}
        application.proposed_level_name = levels.get(application.proposed_level, "—")
    return applications


def applications_awaiting_publication() -> list[tuple[Campaign, list[Application]]]:
    """Applications in the 公示中 state that are not yet in any 公示, by campaign."""
    pending = (
        Application.objects.filter(state=ApplicationState.PUBLICISED, publication_item__isnull=True)
        .select_related("campaign", "organisation")
        .order_by("campaign__year", "category", "organisation__name")
    )
    groups: dict[Campaign, list[Application]] = defaultdict(list)
    for application in _with_names(list(pending)):
        groups[application.campaign].append(application)
    return list(groups.items())


def objections_for(publication: Publication) -> list[Objection]:
    return list(
        Objection.objects.filter(item__publication=publication)
        .select_related("item__application__organisation", "handled_by")
        .prefetch_related("attachments")
        .order_by("submitted_at", "id")
    )


def publication_blockers(
    publication: Publication, now: datetime.datetime | None = None
) -> list[str]:
    """Why the results cannot be published yet; empty when they can."""
    if publication.is_published:
        return [_("本次公示的结果已经发布。")]
    reasons = []
    if not publication.is_closed(now):
        reasons.append(
            _("公示期至 %(t)s 结束，结束后才能发布结果。")
            % {"t": format_datetime(publication.closes_at)}
        )
    unhandled = Objection.objects.filter(item__publication=publication, outcome="").count()
    if unhandled:
        reasons.append(
            _("还有 %(n)d 条异议未处理，请先记录每条异议的处理情况。") % {"n": unhandled}
        )
    return reasons


def applications_awaiting_certificate() -> list[Application]:
    return _with_names(
        list(
            Application.objects.filter(state=ApplicationState.GRANTED, certificate__isnull=True)
            .select_related("organisation", "campaign")
            .order_by("campaign__year", "category", "organisation__name")
        )
    )


def certificates_all() -> list[Certificate]:
    return list(Certificate.objects.select_related("campaign").order_by("-issued_on", "number"))


def certificate_by_number(number: str) -> Certificate | None:
    normalised = normalise_number(number)
    if normalised is None:
        return None
    return Certificate.objects.select_related("campaign").filter(number=normalised).first()


Status = Literal["valid", "expired", "revoked", "not_found"]


@dataclass(frozen=True)
class Verification:
    number: str
    status: Status
    certificate: Certificate | None = None


def certificate_verify(number: str, today: datetime.date | None = None) -> Verification:
    """What the public verification page shows for a typed certificate number."""
    certificate = certificate_by_number(number)
    shown = normalise_number(number) or number.strip()[:50]
    if certificate is None:
        return Verification(shown, "not_found")
    if certificate.revoked:
        return Verification(certificate.number, "revoked", certificate)
    if (today or timezone.localdate()) > certificate.valid_until:
        return Verification(certificate.number, "expired", certificate)
    return Verification(certificate.number, "valid", certificate)


def audit_target_types() -> list[str]:
    return list(
        AuditEntry.objects.order_by("target_type").values_list("target_type", flat=True).distinct()
    )


PUBLICITY_ACTION_LABELS = {
    "publication.open": gettext_lazy("开始公示"),
    "publication.publish": gettext_lazy("发布公示结果"),
    "objection.submit": gettext_lazy("收到异议"),
    "objection.handle": gettext_lazy("记录异议处理"),
    "objection.attachment_download": gettext_lazy("下载异议附件"),
    "certificate.issue": gettext_lazy("签发证书"),
    "certificate.revoke": gettext_lazy("撤销证书"),
}


def audit_action_label(entry: AuditEntry) -> str:
    """The audit app's label, else ours, else the lifecycle move's, else the code."""
    if entry.action_label != entry.action:
        return entry.action_label
    if entry.action in PUBLICITY_ACTION_LABELS:
        return str(PUBLICITY_ACTION_LABELS[entry.action])
    prefix, _dot, name = entry.action.partition(".")
    move = MOVES_BY_ACTION.get(name) if prefix == "application" else None
    return str(move.label) if move else entry.action
