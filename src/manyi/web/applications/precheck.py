"""The pre-submission check (体检): every rule of the scheme against one application.

The same function serves the applicant's check page, submission, the command line and the
secretariat's formal review. Every item is a :class:`manyi.verdict.Finding` whose provenance
comes from the scheme: only the form's own rules (or a rule the secretariat raised) fail.

``where`` says where to fix a finding: ``overview``, ``organisation``, ``form.<field>``,
``materials.<material>`` or a prefix another app registers (e.g. ``survey``);
:func:`finding_link` turns it into a link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.files.text import pdf_text
from manyi.rules.model import AppearsInMaterialRule, Material, Scheme
from manyi.verdict import Finding, by_severity, summarise
from manyi.web.applications.formdata import typed_values
from manyi.web.applications.models import Application, MaterialFile
from manyi.web.applications.selectors import current_files_by_material
from manyi.web.campaigns.selectors import scheme_for_campaign


@dataclass
class CheckReport:
    application_id: int
    items: list[Finding] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        return dict(summarise(self.items))

    @property
    def can_submit(self) -> bool:
        return self.summary["fail"] == 0

    def to_dict(self) -> dict[str, object]:
        return {
            "application": self.application_id,
            "summary": self.summary,
            "items": [item.to_dict() for item in self.items],
        }

    def at(self, *prefixes: str) -> list[Finding]:
        """Findings whose ``where`` is one of ``prefixes`` or lies under one."""
        return [item for item in self.items if _under(item.where, prefixes)]


def _under(where: str, prefixes: Iterable[str]) -> bool:
    return any(where == p or where.startswith(p + ".") for p in prefixes)


# -- links -------------------------------------------------------------------------------------

LinkBuilder = Callable[[Application, str], str]


def _form_link(application: Application, rest: str) -> str:
    url = reverse("applications:form", args=[application.pk])
    return f"{url}#field-{rest}" if rest else url


def _materials_link(application: Application, rest: str) -> str:
    url = reverse("applications:materials", args=[application.pk])
    return f"{url}#material-{rest}" if rest else url


LINK_BUILDERS: dict[str, LinkBuilder] = {
    "form": _form_link,
    "materials": _materials_link,
    "organisation": lambda application, rest: reverse("accounts:my_organisation_edit"),
}


def finding_link(application: Application, finding: Finding) -> str:
    """Where the applicant fixes ``finding`` ("" when nothing is to be fixed)."""
    if finding.status == "pass":
        return ""
    head, _dot, rest = finding.where.partition(".")
    builder = LINK_BUILDERS.get(head)
    return builder(application, rest) if builder else ""


# -- the checks --------------------------------------------------------------------------------


def _eligibility(application: Application, scheme: Scheme) -> Iterable[Finding]:
    rule = scheme.general_rule("eligibility")
    category, level = scheme.category(application.category), scheme.level(application.level)
    names = {"c": category.name, "l": level.name}
    if scheme.is_eligible(application.category, application.level):
        yield rule.satisfied("eligibility", _("%(c)s可以申请%(l)s。") % names, where="overview")
        return
    allowed = "、".join(lv.name for lv in scheme.allowed_levels(application.category))
    yield rule.violation(
        "eligibility",
        _("%(c)s不能申请%(l)s。") % names,
        where="overview",
        fix=_("可申请的等级：%(allowed)s。请重新创建申报。") % {"allowed": allowed},
    )


def _organisation(application: Application, scheme: Scheme) -> Iterable[Finding]:
    organisation = application.organisation
    rule = scheme.general_rule("credit_code_check")
    if organisation.check_char_pending:
        yield rule.violation(
            "organisation.credit_code",
            _("统一社会信用代码 %(code)s 的校验码不符，尚未经秘书处核实。")
            % {"code": organisation.credit_code},
            where="organisation",
            fix=_("请核对营业执照上的代码；代码无误时请联系秘书处核对后放行。"),
        )
    else:
        yield rule.satisfied(
            "organisation.credit_code", _("统一社会信用代码有效。"), where="overview"
        )
    if not organisation.size_class:
        yield scheme.general_rule("org_size").violation(
            "organisation.size",
            _("组织规模尚未划型。"),
            where="organisation",
            fix=_("请在单位信息中填写行业、从业人员和营业收入。"),
        )


def _campaign(application: Application, scheme: Scheme) -> Iterable[Finding]:
    campaign = application.campaign
    today = timezone.localdate()
    window = scheme.general_rule("campaign_window")
    if campaign.is_open and campaign.opens_on <= today <= campaign.closes_on:
        yield window.satisfied(
            "campaign.open", _("%(t)s正在受理申报。") % {"t": campaign.title}, where="overview"
        )
    else:
        yield window.violation(
            "campaign.open",
            _("%(t)s不在申报时间内（%(a)s 至 %(b)s）。")
            % {"t": campaign.title, "a": campaign.opens_on, "b": campaign.closes_on},
            where="overview",
            fix=_("请在申报时间内提交，或联系秘书处。"),
        )
    if not application.promoting_body.is_active:
        yield scheme.general_rule("promoting_body").violation(
            "promoting_body",
            _("所选推进机构已不在名单中。"),
            where="overview",
            fix=_("请联系秘书处。"),
        )


def _form(application: Application, scheme: Scheme) -> Iterable[Finding]:
    values, conversion_problems = typed_values(application, scheme)
    value_rule = scheme.general_rule("field_value")
    failing: set[str] = set()
    for problem in conversion_problems:
        failing.add(problem.field)
        where = f"form.{problem.field}"
        yield value_rule.violation(
            f"{where}.type", problem.message, where=where, fix=_("请按示例格式修改。")
        )
    typed = {k: v for k, v in values.items() if v is not None}
    texts = _material_texts(application, scheme)
    for finding in scheme.check_form(application.category, typed, material_texts=texts):
        key = finding.where.removeprefix("form.")
        if key in failing:
            continue
        failing.add(key)
        yield finding
    required = scheme.general_rule("required_field")
    for form_field in scheme.form_fields(application.category):
        if form_field.key not in failing and form_field.is_required(application.category):
            yield required.satisfied(
                f"form.{form_field.key}",
                _("「%(label)s」已填写。") % {"label": form_field.label},
                where=f"form.{form_field.key}",
            )


def _material_texts(application: Application, scheme: Scheme) -> dict[str, list[str]]:
    """The text of the files that form rules compare values with (e.g. 竣工验收证明)."""
    wanted = {
        rule.material
        for field in scheme.form_fields(application.category)
        for rule in field.rules_for(application.category)
        if isinstance(rule, AppearsInMaterialRule)
    }
    if not wanted:
        return {}
    files = current_files_by_material(application)
    return {key: [_stored_text(stored) for stored in files.get(key, [])] for key in wanted}


# A stored file never changes, so its text is read once per process (by its SHA-256).
_TEXTS: dict[str, str] = {}
_TEXTS_KEPT = 256


def _stored_text(stored: MaterialFile) -> str:
    if stored.kind != "pdf":
        return ""  # a photo or scan: no text to compare
    if stored.sha256 not in _TEXTS:
        if len(_TEXTS) >= _TEXTS_KEPT:
            _TEXTS.clear()
        with stored.file.open("rb") as handle:
            _TEXTS[stored.sha256] = pdf_text(handle)
    return _TEXTS[stored.sha256]


def _materials(application: Application, scheme: Scheme) -> Iterable[Finding]:
    files = current_files_by_material(application)
    for material, requirement in scheme.materials_for(
        application.category, application.level, include_not_applicable=True
    ):
        present = files.get(material.key, [])
        where = f"materials.{material.key}"
        if requirement == "not_applicable":
            if present:
                yield Finding(
                    f"material.{material.key}.not_applicable",
                    "warn",
                    _("本类别、等级不需要「%(m)s」，装订时不会包含。") % {"m": material.name},
                    where=where,
                    fix=_("可以移除该文件。"),
                    reason=_("多余的文件不影响申报，只是不会装订进申报书。"),
                )
            continue
        yield from _material_presence(scheme, material, application, present, where)
        for stored in present:
            yield from _file_findings(stored, where)


def _material_presence(
    scheme: Scheme,
    material: Material,
    application: Application,
    present: list[MaterialFile],
    where: str,
) -> Iterable[Finding]:
    code = f"material.{material.key}"
    presence = material.presence_rule(application.category, application.level)
    if not present and presence is not None:
        yield presence.violation(
            code,
            _("缺少「%(m)s」。") % {"m": material.name},
            where=where,
            fix=_("请上传%(formats)s格式的文件。") % {"formats": "/".join(material.formats)},
        )
    elif len(present) > material.max_count:
        yield material.limit_rule("max_count", scheme).violation(
            f"{code}.max_count",
            _("「%(m)s」最多 %(n)s 个文件，现有 %(k)s 个。")
            % {"m": material.name, "n": material.max_count, "k": len(present)},
            where=where,
            fix=_("请移除多余的文件。"),
        )
    elif present:
        yield Finding(
            code,
            "pass",
            _("「%(m)s」已上传 %(k)s 个文件。") % {"m": material.name, "k": len(present)},
            where=where,
            source=presence.source if presence else "advice",
            quote=(presence.quote or "") if presence else "",
        )


def _file_findings(stored: MaterialFile, where: str) -> Iterable[Finding]:
    for stored_finding in stored.findings:
        finding = Finding.from_dict(stored_finding)
        if finding.status == "pass":
            continue
        message = f"「{stored.original_name}」：{finding.message}"
        if finding.where and not _under(finding.where, ["materials"]):
            message += f"（{finding.where}）"  # a place in the document, e.g. 第 3 页
        yield Finding(
            f"file.{finding.code}",
            finding.status,
            message,
            where=where,
            fix=finding.fix,
            source=finding.source,
            quote=finding.quote,
            reason=finding.reason,
        )


CheckProvider = Callable[[Application, Scheme], Iterable[Finding]]
# Checks contributed by other apps (e.g. the survey recomputation), registered at start-up.
EXTRA_CHECKS: list[CheckProvider] = []


def register_check(provider: CheckProvider) -> CheckProvider:
    if provider not in EXTRA_CHECKS:
        EXTRA_CHECKS.append(provider)
    return provider


def register_link(prefix: str, builder: LinkBuilder) -> None:
    """Let another app link the findings it contributes (``where`` = ``prefix[.rest]``)."""
    LINK_BUILDERS[prefix] = builder


def run_precheck(application: Application) -> CheckReport:
    scheme = scheme_for_campaign(application.campaign)
    report = CheckReport(application.pk)
    for provider in (
        _eligibility,
        _organisation,
        _campaign,
        _form,
        _materials,
        *EXTRA_CHECKS,
    ):
        report.items.extend(provider(application, scheme))
    report.items = by_severity(report.items)
    return report
