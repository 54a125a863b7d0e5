"""Reads for applications."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import QuerySet

from manyi.web.accounts.models import Organisation, User
from manyi.web.accounts.permissions import application_scope
from manyi.web.applications.models import Application, MaterialFile


def current_files_by_material(application: Application) -> dict[str, list[MaterialFile]]:
    grouped: dict[str, list[MaterialFile]] = defaultdict(list)
    for stored in application.files.filter(removed_at=None).order_by("uploaded_at", "id"):
        grouped[stored.material_key].append(stored)
    return dict(grouped)


@dataclass(frozen=True)
class OrganisationFacts:
    """The organisation as an application shows it: what was submitted, once submitted."""

    pk: int
    name: str
    credit_code: str
    org_category: str
    enterprise_type: str
    industry_label: str
    size_class: str
    address: str
    province: str
    city: str
    employees: int | None
    revenue: str
    assets: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def live_organisation_facts(organisation: Organisation) -> OrganisationFacts:
    return OrganisationFacts(
        pk=organisation.pk,
        name=organisation.name,
        credit_code=organisation.credit_code,
        org_category=organisation.org_category,
        enterprise_type=organisation.enterprise_type,
        industry_label=organisation.industry_label,
        size_class=organisation.size_class,
        address=organisation.address,
        province=organisation.province,
        city=organisation.city,
        employees=organisation.employees,
        revenue="" if organisation.revenue is None else str(organisation.revenue),
        assets="" if organisation.assets is None else str(organisation.assets),
    )


def organisation_of(application: Application) -> OrganisationFacts:
    """The organisation's details for ``application``: live while the applicant edits it,
    frozen as submitted from the submission on (a later renaming does not reach the cover,
    the 公示 or the exports of a submitted version)."""
    if not application.is_editable:
        version = application.versions.order_by("-number").only("meta").first()
        frozen = (version.meta or {}).get("organisation_details") if version else None
        if frozen:
            live = live_organisation_facts(application.organisation).as_dict()
            return OrganisationFacts(**{**live, **{k: v for k, v in frozen.items() if k in live}})
    return live_organisation_facts(application.organisation)


def applications_visible_to(user: User) -> QuerySet[Application]:
    """Applications a user may see, by the one scope rule of ``permissions``."""
    return (
        Application.objects.filter(application_scope(user))
        .select_related("organisation", "campaign", "promoting_body")
        .order_by("-created_at")
    )


def application_rows() -> list[dict[str, object]]:
    """Every application as a plain row (CLI and exports): level as its number of stars."""
    from manyi.rules import load_scheme

    rows = []
    for application in Application.objects.select_related("organisation", "campaign").order_by(
        "id"
    ):
        scheme = load_scheme(application.campaign.scheme_year)
        rows.append(
            {
                "id": application.pk,
                "organisation": application.organisation.name,
                "category": application.category,
                "level": scheme.level(application.level).stars,
                "state": application.state,
                "project": application.project_name,
            }
        )
    return rows


def applications_with_names(applications) -> list[Application]:
    """Applications with ``category_name`` and ``level_name`` from their campaign's scheme."""
    from manyi.rules import load_scheme

    rows = list(applications)
    for application in rows:
        scheme = load_scheme(application.campaign.scheme_year)
        application.category_name = scheme.category(application.category).name
        application.level_name = scheme.level(application.level).name
    return rows
