"""Reads for applications."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q, QuerySet

from manyi.web.accounts.models import Role, User
from manyi.web.applications.models import Application, MaterialFile


def current_files_by_material(application: Application) -> dict[str, list[MaterialFile]]:
    grouped: dict[str, list[MaterialFile]] = defaultdict(list)
    for stored in application.files.filter(removed_at=None).order_by("uploaded_at", "id"):
        grouped[stored.material_key].append(stored)
    return dict(grouped)


def applications_visible_to(user: User) -> QuerySet[Application]:
    """Applications a user may see: own organisation's, the promoting body's, or all."""
    applications = Application.objects.select_related(
        "organisation", "campaign", "promoting_body"
    ).order_by("-created_at")
    if user.role == Role.SECRETARIAT:
        return applications
    if user.role == Role.APPLICANT:
        return applications.filter(organisation_id=user.organisation_id)
    if user.role == Role.PROMOTER:
        return applications.filter(Q(promoting_body_id=user.promoting_body_id) & ~Q(state="draft"))
    return applications.none()


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
