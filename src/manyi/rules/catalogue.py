"""Every rule of a scheme in one list, each with its provenance: ``manyi scheme rules``.

The list is what an applicant or a secretariat reads to see which rules can stop a submission
(severity ``fail``: the form's own words, or a requirement the secretariat raised) and which are
the system's advice (``warn``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

from manyi.rules.model import FormField, Material, Provenance, Scheme


@dataclass(frozen=True)
class RuleEntry:
    id: str
    applies_to: str
    severity: Literal["fail", "warn"]
    source: Literal["seed", "advice"]
    quote: str
    reason: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _entry(rule_id: str, applies_to: str, rule: Provenance, message: str) -> RuleEntry:
    return RuleEntry(
        id=rule_id,
        applies_to=applies_to,
        severity=rule.effective_severity,
        source=rule.source,
        quote=rule.quote or "",
        reason=rule.reason or "",
        message=message,
    )


def _scope(scheme: Scheme, categories: Any, levels: Any = None) -> str:
    """``产品类、工程类 · 四星`` — or ``全部`` when a rule has no limits."""
    parts = []
    if categories:
        parts.append("、".join(scheme.category(key).name for key in categories))
    if levels:
        parts.append("、".join(scheme.level(key).short_name for key in levels))
    return " · ".join(parts) or "全部"


GENERAL_MESSAGES = {
    "eligibility": "类别与等级须在可申报的组合之内",
    "required_field": "申请表的每一栏都须填写（企业类免填申报项目名称）",
    "field_value": "数字、日期栏须按格式填写",
    "campaign_window": "申报须在受理时间内提交",
    "promoting_body": "推进机构须在名单内",
    "credit_code_check": "统一社会信用代码的校验码须相符",
    "org_size": "组织规模须能划型",
    "auto_field": "标为“自动抓取”的栏目须能由单位信息填出",
}


def rule_catalogue(scheme: Scheme) -> list[RuleEntry]:
    return [
        *_general(scheme),
        *_form(scheme),
        *_materials(scheme),
        *_report(scheme),
        *_measurement(scheme),
    ]


REPORT_MESSAGES = {
    "title": "报告标题的字体、字号、加粗、居中和行距",
    "body": "正文的字体、字号、行距、首行缩进和对齐",
    "heading_bold": "一级标题加粗",
    "numbering": "章节标题按模板分级编号",
    "numbering_format": "编号的写法与模板一致（如“1.”而不是“1、”）",
    "outline": "章节与类别模板一致、顺序相同",
    "extra_headings": "没有模板之外的章节",
    "length": "全文字数不超过上限",
    "part_length": "各部分字数不超过模板标题后的预算",
    "page_number": "页码在页面下方居中",
    "no_text": "PDF 中有可提取的文字（不是扫描件）",
}


def _report(scheme: Scheme) -> Iterator[RuleEntry]:
    """The practice report checker's rule groups (its file name is the material's rule)."""
    for group, rule in scheme.report_format.rules:
        yield _entry(f"report.{group}", "实践报告", rule, REPORT_MESSAGES.get(group, group))


def _general(scheme: Scheme) -> Iterator[RuleEntry]:
    for key, rule in scheme.general_rules.items():
        yield _entry(f"general.{key}", "申报", rule, GENERAL_MESSAGES.get(key, key))


def _form_fields(scheme: Scheme) -> Iterator[tuple[FormField, tuple[str, ...] | None]]:
    for field in scheme.form.common:
        yield field, None
    for section in scheme.form.sections:
        for field in section.fields:
            yield field, (section.category,)


def _form(scheme: Scheme) -> Iterator[RuleEntry]:
    required = scheme.general_rule("required_field")
    every = {c.key for c in scheme.categories}
    for field, section in _form_fields(scheme):
        categories = section or tuple(
            key for key in sorted(every) if key not in field.exempt_categories
        )
        where = f"申请表「{field.label}」"
        prefix = f"form.{section[0]}.{field.key}" if section else f"form.{field.key}"
        if field.required and not field.auto:
            shown = None if set(categories) == every else categories
            message = f"请填写「{field.label}」"
            yield _entry(
                f"{prefix}.required",
                f"{where} · {_scope(scheme, shown)}",
                required,
                message,
            )
        for index, rule in enumerate(field.rules):
            scope = _scope(scheme, rule.categories or section)
            rule_id = f"{prefix}.{rule.kind}"
            if sum(r.kind == rule.kind for r in field.rules) > 1:
                rule_id += f".{index + 1}"
            yield _entry(rule_id, f"{where} · {scope}", rule, rule.message)


def _materials(scheme: Scheme) -> Iterator[RuleEntry]:
    for material in scheme.materials:
        where = f"材料「{material.name}」"
        for index, presence in enumerate(material.presence):
            scope = _scope(
                scheme,
                presence.categories or material.categories,
                presence.levels or material.levels,
            )
            suffix = f".{index + 1}" if len(material.presence) > 1 else ""
            yield _entry(
                f"material.{material.key}.presence{suffix}",
                f"{where} · {scope}",
                presence,
                f"须提交「{material.name}」",
            )
        scope = f"{where} · {_scope(scheme, material.categories, material.levels)}"
        for name, rule in material.limits.items():
            yield _entry(
                f"material.{material.key}.{name}", scope, rule, _limit_text(material, name)
            )
        if material.filename is not None:
            yield _entry(
                f"material.{material.key}.filename",
                scope,
                material.filename,
                f"文件名为「{material.filename.template}.{material.filename.extension}」",
            )


def _limit_text(material: Material, name: str) -> str:
    match name:
        case "formats":
            return "文件格式为 " + "/".join(material.formats)
        case "max_size_bytes":
            return f"单个文件不超过 {material.max_size_bytes / 1024 / 1024:g} MB"
        case "max_count":
            return f"最多 {material.max_count} 个文件"
        case "max_pages":
            return f"不超过 {material.max_pages} 页"
        case "hidden_slides":
            return f"连同隐藏的幻灯片不超过 {material.max_pages} 页"
        case "max_duration_seconds":
            return f"时长不超过 {(material.max_duration_seconds or 0) // 60} 分钟"
    return name


def _measurement(scheme: Scheme) -> Iterator[RuleEntry]:
    """Survey data and respondent-list rules (the measurement section of the scheme)."""
    for rule_id, (where, rule) in scheme.measurement.rules().items():
        material = where.removeprefix("materials.")
        scope = (
            f"材料「{scheme.material(material).name}」" if material != where else "满意度调查数据"
        )
        yield _entry(rule_id, scope, rule, rule.message)
