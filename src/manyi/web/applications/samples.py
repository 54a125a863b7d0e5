"""Complete sample applications with real generated files, for the demo and the tests.

Every value and file satisfies the scheme's rules, so a sample application passes the
pre-submission check; ``skip`` leaves materials out to show what a gap looks like.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from manyi.documents import samples as sample_files
from manyi.measurement import QualityRules
from manyi.measurement.samples import sample_survey
from manyi.rules import load_scheme
from manyi.rules.model import FormField, Material, Scheme
from manyi.web.accounts.models import User
from manyi.web.applications import services
from manyi.web.applications.formdata import is_system_field
from manyi.web.applications.models import Application

# Project names that satisfy each category's naming rule.
PROJECT_NAMES = {
    "team": "客户服务中心质量检验一班组",
    "service": "24小时家电上门维修服务",
    "product": "闽江牌 MJ-K3000型 工业控制器（380V/50Hz）",
    "engineering": "福州滨海新城综合医院门诊楼工程",
}
# Sample values by the field's role in the scheme.
ROLE_SAMPLES = {"contact_mobile": "13800138000"}


def project_name_for(category: str) -> str:
    return PROJECT_NAMES.get(category, "")


def sample_value(scheme: Scheme, field: FormField, index: int, category: str) -> Any:
    role = scheme.roles.fields.role_of(field.key)
    if role in ROLE_SAMPLES:
        return ROLE_SAMPLES[role]
    if role == "project_name":
        return project_name_for(category)
    if field.type == "list":
        return [f"{field.label}示例{n}" for n in range(1, (field.max_items or 3) + 1)]
    if field.type == "pair":
        return {part.key: f"示例{part.label}" for part in field.parts}
    if field.type == "choice":
        return field.choices[0] if field.choices else ""
    if field.type == "integer":
        return "120"
    if field.type == "decimal":
        return "1250.5"
    if field.type == "date":
        first = datetime.date(scheme.campaign.data_year, 3, 1)  # a day of the data year
        return (first + datetime.timedelta(days=30 * index)).isoformat()
    return f"示例{field.label}"


def sample_form_data(scheme: Scheme, category: str, *, seed: int = 1) -> dict[str, Any]:
    fields = [f for f in scheme.form_fields(category) if not is_system_field(scheme, f)]
    roles = scheme.roles.fields
    values = {
        field.key: sample_value(scheme, field, index, category)
        for index, field in enumerate(fields)
        if field.is_required(category) or field.key != roles.project_name
    }
    values[roles.satisfaction_score] = f"{sample_satisfaction_index(seed, scheme):.1f}"
    return values


def sample_satisfaction_index(seed: int, scheme: Scheme) -> float:
    """What the sample survey's data give, so the declared score agrees with them."""
    index = sample_survey(seed=seed).satisfaction_index(QualityRules.from_scheme(scheme))
    assert index is not None, "the sample survey gives an index"
    return index


@functools.lru_cache(maxsize=64)
def _generic_sample(kind: str, name: str, count: int) -> bytes:
    """Sample files depend only on their kind and title: render each once per process."""
    makers = {
        "pptx": lambda: sample_files.sample_pptx(count),
        "pdf": lambda: sample_files.sample_pdf(count, name),
        "xlsx": lambda: sample_files.sample_xlsx(count, name),
        "jpg": lambda: sample_files.sample_jpg(name),
    }
    return makers[kind]()


@functools.lru_cache(maxsize=32)
def _report_pdf(scheme_year: int, category: str, organisation_name: str) -> bytes:
    from manyi.practice_report import render_report_pdf

    scheme = load_scheme(scheme_year)
    return render_report_pdf(category, organisation_name=organisation_name, scheme=scheme)


def sample_file(material: Material, scheme: Scheme, application: Application) -> tuple[str, bytes]:
    """A real file of an accepted format for ``material``, named as the scheme requires."""
    roles = scheme.roles.materials
    if material.key == roles.survey_database:
        return "满意度调查数据库.xlsx", sample_survey(seed=application.pk).database
    if material.key == roles.respondent_list:
        return "被访者名单.xlsx", sample_survey(seed=application.pk).respondent_list
    if material.key == roles.completion_certificate:  # names the project, as the real one does
        title = f"{material.name}：{application.project_name}"
        return f"{material.name}.pdf", _generic_sample("pdf", title, 1)
    if material.filename is not None:
        name = scheme.report_filename(application.organisation.name, application.category)
        year = application.campaign.scheme_year
        return name, _report_pdf(year, application.category, application.organisation.name)
    formats = material.formats
    if "pptx" in formats and material.max_pages:
        return f"{material.name}.pptx", _generic_sample("pptx", "", min(material.max_pages, 12))
    for kind, count in (("pdf", 2), ("xlsx", 60), ("jpg", 1)):
        if kind in formats:
            return f"{material.name}.{kind}", _generic_sample(kind, material.name, count)
    if "mp4" in formats:
        if sample_files.ffmpeg_available():
            return f"{material.name}.mp4", sample_files.sample_mp4(5)
        return f"{material.name}.mp4", sample_files.mp4_skeleton(300)
    raise ValueError(f"没有 {material.key} 的示例文件格式")


def fill_complete(
    application: Application, actor: User, *, skip: Iterable[str] = ()
) -> Application:
    """Fill the form and upload every required material except those in ``skip``."""
    scheme = services.scheme_for(application)
    values = sample_form_data(scheme, application.category, seed=application.pk)
    if application.project_name:  # keep the name chosen at creation
        values[scheme.roles.fields.project_name] = application.project_name
    application = services.application_save_form(
        actor=actor, application=application, raw_values=values
    )
    skipped = set(skip)
    for material, requirement in scheme.materials_for(application.category, application.level):
        if requirement != "required" or material.key in skipped:
            continue
        name, data = sample_file(material, scheme, application)
        services.material_upload(
            actor=actor,
            application=application,
            material_key=material.key,
            uploaded=SimpleUploadedFile(name, data),
        )
    return application
