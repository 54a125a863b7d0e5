"""Generated documents and the package PDF of an application (engine: manyi.documents)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from typing import BinaryIO

from django.utils import timezone

from manyi import documents
from manyi.documents import PackageError, PackageFile
from manyi.rules.model import Scheme
from manyi.web.applications.formdata import display_value, is_system_field, system_value
from manyi.web.applications.models import Application
from manyi.web.applications.selectors import current_files_by_material, organisation_of
from manyi.web.campaigns.selectors import scheme_for_campaign

__all__ = ["PackageError", "generated_document", "generated_keys", "package_write"]

Renderer = Callable[[Application, Scheme], bytes]


def _fill_date(application: Application) -> datetime.date | None:
    """填表日期: the day of submission once submitted; blank (to write by hand) in a draft."""
    if application.is_editable:
        return None
    version = application.versions.order_by("-number").first()
    return timezone.localdate(version.submitted_at) if version else None


def _cover(application: Application, scheme: Scheme) -> bytes:
    roles = scheme.roles.fields
    values = {
        roles.enterprise_name: organisation_of(application).name,
        roles.promoting_body: application.promoting_body.name,
        roles.fill_date: _fill_date(application),
    }
    return documents.render_cover(
        scheme, category=application.category, level=application.level, values=values
    )


def _letter(key: str) -> Renderer:
    def render(application: Application, scheme: Scheme) -> bytes:
        return documents.render_commitment_letter(
            scheme, key, organisation_name=organisation_of(application).name
        )

    return render


def form_values(application: Application, scheme: Scheme) -> dict[str, object]:
    values: dict[str, object] = {}
    for field in scheme.form_fields(application.category):
        if field.type == "category_level":
            values[field.key] = (application.category, application.level)
        elif field.key == scheme.roles.fields.application_kind:
            values[field.key] = scheme.application_kind(application.kind).name
        elif is_system_field(scheme, field):
            values[field.key] = system_value(application, scheme, field)
        else:
            raw = application.form_data.get(field.key)
            values[field.key] = raw if field.type in ("list", "pair") else display_value(field, raw)
    return values


def _form(application: Application, scheme: Scheme) -> bytes:
    return documents.render_application_form(
        scheme,
        category=application.category,
        level=application.level,
        values=form_values(application, scheme),
    )


def _renderers(scheme: Scheme) -> dict[str, Renderer]:
    """Material key → the printable document the applicant signs, seals and uploads back."""
    renderers = {
        scheme.roles.materials.cover: _cover,
        scheme.roles.materials.application_form: _form,
    }
    for letter in scheme.commitment_letters:
        renderers[letter.material] = _letter(letter.key)
    return renderers


def generated_keys(scheme: Scheme) -> set[str]:
    return set(_renderers(scheme))


def generated_document(application: Application, material_key: str) -> bytes:
    """The printable document for a material; KeyError when the system does not generate it."""
    scheme = scheme_for_campaign(application.campaign)
    return _renderers(scheme)[material_key](application, scheme)


def _package_files(application: Application, scheme: Scheme) -> dict[str, list[PackageFile]]:
    files: dict[str, list[PackageFile]] = {}
    for key, stored_files in current_files_by_material(application).items():
        files[key] = [
            PackageFile(
                stored.original_name,
                stored.file.path if _local(stored) else stored.file.read(),
                stored.kind,
                size=stored.size,
            )
            for stored in stored_files
        ]
    for key, render in _renderers(scheme).items():
        if key not in files:  # not signed yet: bind the generated, unsigned form instead
            files[key] = [
                PackageFile(
                    f"{scheme.material(key).name}（未签章）.pdf", render(application, scheme), "pdf"
                )
            ]
    return files


def _local(stored) -> bool:
    try:
        return os.path.exists(stored.file.path)
    except NotImplementedError:  # remote storage has no local path
        return False


def package_write(application: Application, out: str | os.PathLike[str] | BinaryIO) -> int:
    """Bind the application into one PDF; return its page count."""
    scheme = scheme_for_campaign(application.campaign)
    parts = documents.parts_from_materials(scheme, _package_files(application, scheme))
    title = f"{scheme.campaign.title}申请书 · {organisation_of(application).name}"
    result = documents.build_package(parts, out, scheme=scheme, title=title)
    return result.pages
