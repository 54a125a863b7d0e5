"""The pre-submission check (体检): every rule of the scheme against one application.

The same function serves the applicant's check page, submission, the command line and the
secretariat's formal review. Each item says pass, warning or fail, what to do, and where.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.rules import load_scheme
from manyi.rules.model import Material, Scheme
from manyi.web.applications.formdata import typed_values
from manyi.web.applications.models import Application, MaterialFile
from manyi.web.applications.selectors import current_files_by_material

Status = Literal["pass", "warn", "fail"]
SEVERITY_STATUS: dict[str, Status] = {"error": "fail", "fail": "fail", "warning": "warn"}


@dataclass(frozen=True)
class CheckItem:
    rule: str
    status: Status
    message: str
    where: str
    link: str = ""
    fix: str = ""


@dataclass
class CheckReport:
    application_id: int
    items: list[CheckItem] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        counts = {"fail": 0, "warn": 0, "pass": 0}
        for item in self.items:
            counts[item.status] += 1
        return counts

    @property
    def can_submit(self) -> bool:
        return self.summary["fail"] == 0

    def to_dict(self) -> dict[str, object]:
        return {
            "application": self.application_id,
            "summary": self.summary,
            "items": [asdict(item) for item in self.items],
        }

    def for_step(self, step: str) -> list[CheckItem]:
        return [item for item in self.items if item.where.startswith(step)]


def _form_link(application: Application, key: str) -> str:
    return reverse("applications:form", args=[application.pk]) + f"#field-{key}"


def _material_link(application: Application, material: Material) -> str:
    return reverse("applications:materials", args=[application.pk]) + f"#material-{material.key}"


def _eligibility(application: Application, scheme: Scheme) -> Iterable[CheckItem]:
    category, level = scheme.category(application.category), scheme.level(application.level)
    if scheme.is_eligible(application.category, application.level):
        yield CheckItem(
            "eligibility",
            "pass",
            _("%(c)s可以申请%(l)s。") % {"c": category.name, "l": level.name},
            "overview",
        )
    else:
        allowed = "、".join(lv.name for lv in scheme.allowed_levels(application.category))
        yield CheckItem(
            "eligibility",
            "fail",
            _("%(c)s不能申请%(l)s。") % {"c": category.name, "l": level.name},
            "overview",
            fix=_("可申请的等级：%(allowed)s。请重新创建申报。") % {"allowed": allowed},
        )


def _organisation(application: Application) -> Iterable[CheckItem]:
    organisation = application.organisation
    if organisation.check_char_pending:
        yield CheckItem(
            "organisation.credit_code",
            "fail",
            _("统一社会信用代码 %(code)s 的校验码不符，尚未经秘书处核实。")
            % {"code": organisation.credit_code},
            "overview",
            reverse("accounts:my_organisation"),
            _("请联系秘书处核对营业执照后人工放行。"),
        )
    else:
        yield CheckItem("organisation.credit_code", "pass", _("统一社会信用代码有效。"), "overview")
    if not organisation.size_class:
        yield CheckItem(
            "organisation.size",
            "warn",
            _("组织规模尚未划型。"),
            "overview",
            reverse("accounts:my_organisation_edit"),
            _("请在单位信息中填写行业、从业人员和营业收入。"),
        )


def _campaign(application: Application) -> Iterable[CheckItem]:
    campaign = application.campaign
    today = timezone.localdate()
    if campaign.is_open and campaign.opens_on <= today <= campaign.closes_on:
        yield CheckItem(
            "campaign.open", "pass", _("%(t)s正在受理申报。") % {"t": campaign.title}, "overview"
        )
    else:
        yield CheckItem(
            "campaign.open",
            "fail",
            _("%(t)s不在申报时间内（%(a)s 至 %(b)s）。")
            % {"t": campaign.title, "a": campaign.opens_on, "b": campaign.closes_on},
            "overview",
            fix=_("请在申报时间内提交，或联系秘书处。"),
        )
    if not application.promoting_body.is_active:
        yield CheckItem(
            "promoting_body",
            "fail",
            _("所选推进机构已不在名单中。"),
            "overview",
            fix=_("请联系秘书处。"),
        )


def _form(application: Application, scheme: Scheme) -> Iterable[CheckItem]:
    values, conversion_problems = typed_values(application, scheme)
    failing: set[str] = set()
    for problem in conversion_problems:
        failing.add(problem.field)
        yield CheckItem(
            f"form.{problem.field}.type",
            "fail",
            problem.message,
            "form",
            _form_link(application, problem.field),
            _("请按示例格式修改。"),
        )
    typed = {k: v for k, v in values.items() if v is not None}
    for problem in scheme.check_form(application.category, typed):
        if problem.field in failing:
            continue
        status = SEVERITY_STATUS.get(problem.severity, "fail")
        failing.add(problem.field)
        yield CheckItem(
            f"form.{problem.field}",
            status,
            problem.message,
            "form",
            _form_link(application, problem.field),
            problem.source,
        )
    for form_field in scheme.form_fields(application.category):
        if form_field.key not in failing and form_field.is_required(application.category):
            yield CheckItem(
                f"form.{form_field.key}",
                "pass",
                _("「%(label)s」已填写。") % {"label": form_field.label},
                "form",
            )


def _materials(application: Application, scheme: Scheme) -> Iterable[CheckItem]:
    files = current_files_by_material(application)
    for material, requirement in scheme.materials_for(
        application.category, application.level, include_not_applicable=True
    ):
        present = files.get(material.key, [])
        where = f"materials.{material.group}"
        link = _material_link(application, material)
        if requirement == "not_applicable":
            if present:
                yield CheckItem(
                    f"material.{material.key}",
                    "warn",
                    _("本类别、等级不需要「%(m)s」，装订时不会包含。") % {"m": material.name},
                    where,
                    link,
                    _("可以移除该文件。"),
                )
            continue
        yield from _material_presence(material, requirement, present, where, link)
        for stored in present:
            yield from _file_findings(material, stored, where, link)


def _material_presence(
    material: Material, requirement: str, present: list[MaterialFile], where: str, link: str
) -> Iterable[CheckItem]:
    rule = f"material.{material.key}"
    if not present and requirement == "required":
        yield CheckItem(
            rule,
            "fail",
            _("缺少「%(m)s」。") % {"m": material.name},
            where,
            link,
            _("请上传%(formats)s格式的文件。") % {"formats": "/".join(material.formats)},
        )
    elif len(present) > material.max_count:
        yield CheckItem(
            rule,
            "fail",
            _("「%(m)s」最多 %(n)s 个文件，现有 %(k)s 个。")
            % {"m": material.name, "n": material.max_count, "k": len(present)},
            where,
            link,
            _("请移除多余的文件。"),
        )
    elif present:
        yield CheckItem(
            rule,
            "pass",
            _("「%(m)s」已上传 %(k)s 个文件。") % {"m": material.name, "k": len(present)},
            where,
        )


def _file_findings(
    material: Material, stored: MaterialFile, where: str, link: str
) -> Iterable[CheckItem]:
    for finding in stored.findings:
        status = SEVERITY_STATUS.get(finding.get("severity", ""), "pass")
        if status == "pass":
            continue
        location = finding.get("location") or ""
        message = f"「{stored.original_name}」：{finding['message']}"
        if location:
            message += f"（{location}）"
        yield CheckItem(
            f"file.{material.key}.{finding['code']}",
            status,
            message,
            where,
            link,
            finding.get("fix", ""),
        )


CheckProvider = Callable[[Application, Scheme], Iterable[CheckItem]]
# Checks contributed by other apps (e.g. the survey recomputation), registered at start-up.
EXTRA_CHECKS: list[CheckProvider] = []


def register_check(provider: CheckProvider) -> CheckProvider:
    if provider not in EXTRA_CHECKS:
        EXTRA_CHECKS.append(provider)
    return provider


def run_precheck(application: Application) -> CheckReport:
    scheme = load_scheme(application.campaign.scheme_year)
    report = CheckReport(application.pk)
    for items in (
        _eligibility(application, scheme),
        _organisation(application),
        _campaign(application),
        _form(application, scheme),
        _materials(application, scheme),
        *(provider(application, scheme) for provider in EXTRA_CHECKS),
    ):
        report.items.extend(items)
    order = {"fail": 0, "warn": 1, "pass": 2}
    report.items.sort(key=lambda item: order[item.status])
    return report
