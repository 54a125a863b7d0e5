"""The 申请表 as typed by the applicant (raw strings) and as the scheme checks it (typed values).

Drafts keep exactly what was typed, so nothing is lost; conversion and every rule run at the
pre-submission check. Fields the system fills (自动抓取, the organisation's name and code, the
category and level chosen at creation) are taken from the records, never from the form.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from manyi.rules.model import FormField, RangeRule, Scheme
from manyi.web.applications.models import Application
from manyi.web.applications.selectors import organisation_of

# Where each system-filled field comes from, by the field's role in the scheme.
SYSTEM_FIELD_SOURCES: dict[str, Callable[[Application, Scheme], str]] = {
    "enterprise_name": lambda app, scheme: organisation_of(app).name,
    "credit_code": lambda app, scheme: organisation_of(app).credit_code,
    "enterprise_type": lambda app, scheme: organisation_of(app).enterprise_type,
    "industry": lambda app, scheme: organisation_of(app).industry_label,
    "org_size": lambda app, scheme: organisation_of(app).size_class,
    "category_level": lambda app, scheme: (
        f"{scheme.category(app.category).name} · {scheme.level(app.level).name}"
    ),
    "application_kind": lambda app, scheme: scheme.application_kind(app.kind).name,
}


def _system_source(scheme: Scheme, field: FormField) -> Callable[[Application, Scheme], str] | None:
    role = scheme.roles.fields.role_of(field.key)
    return SYSTEM_FIELD_SOURCES.get(role) if role else None


def is_system_field(scheme: Scheme, field: FormField) -> bool:
    return field.auto or _system_source(scheme, field) is not None


def system_value(application: Application, scheme: Scheme, field: FormField) -> str:
    source = _system_source(scheme, field)
    return source(application, scheme) if source else ""


@dataclass(frozen=True)
class ConversionProblem:
    field: str
    label: str
    message: str


def _as_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _convert(field: FormField, raw: Any) -> Any:
    """A raw value as the scheme's rules expect it; ValueError with a Chinese message if not."""
    if field.type == "list":
        return [_as_text(item) for item in (raw if isinstance(raw, list) else [raw])]
    if field.type == "pair":
        raw = raw if isinstance(raw, Mapping) else {}
        return {part.key: _as_text(raw.get(part.key)) for part in field.parts}
    text = _as_text(raw)
    if not text:
        return ""
    if field.type == "integer":
        return _integer(field, text)
    if field.type == "decimal":
        return _decimal(field, text)
    if field.type == "date":
        try:
            return datetime.date.fromisoformat(text)
        except ValueError as exc:
            message = _("「%(label)s」应为日期，例如 2024-06-30。") % {"label": field.label}
            raise ValueError(message) from exc
    return text


INTEGER = re.compile(r"[+-]?\d+")


def _number(field: FormField, text: str) -> Decimal:
    """Any number (thousands separators allowed); ValueError naming the field and the text."""
    try:
        number = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        example = "120" if field.type == "integer" else "1250.5"
        raise ValueError(
            _("「%(label)s」应为数字，例如 %(e)s；现在填的是“%(t)s”。")
            % {"label": field.label, "e": example, "t": text}
        )
    if number < 0:
        # Amounts and counts on the form are never negative (see the scheme's [form] notes).
        raise ValueError(
            _("「%(label)s」不能为负数，现在填的是 %(t)s。") % {"label": field.label, "t": text}
        )
    return number


def _integer(field: FormField, text: str) -> int:
    number = _number(field, text)
    if not INTEGER.fullmatch(text.replace(",", "").replace("，", "")):
        raise ValueError(
            _("「%(label)s」应为整数，不带小数，例如 120；现在填的是 %(t)s。")
            % {"label": field.label, "t": text}
        )
    return int(number)


def _decimal(field: FormField, text: str) -> Decimal:
    return _number(field, text)


def save_problem(field: FormField, category: str, raw: Any) -> str | None:
    """What is wrong with a typed number or date, checked when the draft is saved: its type,
    that it is not negative, and the range the scheme sets (满意度 0–100)."""
    try:
        value = _convert(field, raw)
    except ValueError as exc:
        return str(exc)
    if value == "" or field.type not in ("integer", "decimal"):
        return None
    for rule in field.rules_for(category):
        if isinstance(rule, RangeRule) and rule.violated(field, value, {}):
            return _("%(m)s；现在填的是 %(t)s。") % {"m": rule.message, "t": _as_text(raw)}
    return None


def typed_values(
    application: Application, scheme: Scheme
) -> tuple[dict[str, Any], list[ConversionProblem]]:
    """The form's values typed for ``scheme.check_form``, and what could not be converted."""
    values: dict[str, Any] = {}
    problems: list[ConversionProblem] = []
    for field in scheme.form_fields(application.category):
        if is_system_field(scheme, field):
            values[field.key] = system_value(application, scheme, field)
            continue
        try:
            values[field.key] = _convert(field, application.form_data.get(field.key))
        except ValueError as exc:
            values[field.key] = None
            problems.append(ConversionProblem(field.key, field.label, str(exc)))
    return values, problems


def display_value(field: FormField, raw: Any) -> str:
    """A stored raw value as one line of text, for printed forms and version comparisons."""
    if field.type == "list":
        items = raw if isinstance(raw, list) else [raw]
        return "；".join(_as_text(item) for item in items if _as_text(item))
    if field.type == "pair":
        raw = raw if isinstance(raw, Mapping) else {}
        return "；".join(
            f"{part.label}：{_as_text(raw.get(part.key))}"
            for part in field.parts
            if _as_text(raw.get(part.key))
        )
    return _as_text(raw)
