"""The respondent list rule (被访者名单) of the campaign scheme, as findings.

The form's rule (seed, may fail): ≤ ``full_list_max_total`` respondents in the database → all
of them listed; more → between ``sample_min`` and ``sample_max`` listed; every listed person has
a name and a contact. The system's advice (warns): each listed person is found in the database
(by id, else contact, else name), contacts look like phone numbers or e-mail, nobody is listed
twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from manyi.measurement.codebook import ROLE_ALIASES
from manyi.measurement.errors import SurveyReadError
from manyi.measurement.survey import Survey
from manyi.measurement.tables import Source, read_table
from manyi.verdict import Finding as Verdict
from manyi.verdict import Status, worst

if TYPE_CHECKING:
    from manyi.rules.model import MeasurementRule, RespondentListRule

FindingStatus = Status
_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(?:0\d{2,3})?\d{7,8}(?:转\d+)?$")
_MASKED = re.compile(r"^\d{3}\*{4}\d{4}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Finding:
    """A respondent-list finding with the rows it concerns; ``verdict()`` is the common shape."""

    code: str
    status: Status
    message: str
    details: tuple[str, ...] = ()
    source: str = "advice"  # seed: the form's rule; advice: the system's
    quote: str = ""
    reason: str = ""

    def verdict(self, where: str = "survey") -> Verdict:
        shown = "；".join(self.details[:5]) + ("……" if len(self.details) > 5 else "")
        message = f"被访者名单：{self.message}" + (f"（{shown}）" if shown else "")
        return Verdict(
            f"survey.{self.code}",
            self.status,
            message,
            where=where,
            source=self.source,  # type: ignore[arg-type]
            quote=self.quote,
            reason=self.reason,
        )


def _finding(
    rule: MeasurementRule, code: str, ok: bool, message: str, details: Sequence[str] = ()
) -> Finding:
    """Pass, or the rule's own severity (the form's rule fails, advice warns)."""
    status: Status = "pass" if ok else rule.effective_severity
    return Finding(
        code, status, message, tuple(details), rule.source, rule.quote or "", rule.reason or ""
    )


@dataclass(frozen=True)
class ListedRespondent:
    row: int
    id: str | None
    name: str | None
    contact: str | None


@dataclass
class RespondentList:
    filename: str
    entries: list[ListedRespondent]
    columns: dict[str, str] = field(default_factory=dict)  # role → header found


def load_respondent_list(source: Source, filename: str | None = None) -> RespondentList:
    """Read a respondent list (XLSX/CSV) whose columns are recognised by their usual names."""
    table = read_table(source, filename)
    columns: dict[str, str] = {}
    for role in ("id", "name", "contact"):
        for title in table.header:
            if _fold(title) in ROLE_ALIASES[role] or _fold(title) == role:
                columns[role] = title
                break
    if "name" not in columns and "contact" not in columns:
        raise SurveyReadError(
            f"{table.filename} 中找不到「姓名」和「联系方式」列（表头为："
            f"{'、'.join(table.header)}）：被访者名单至少要有这两列"
        )
    index = {role: table.column_index(title) for role, title in columns.items()}
    entries = [
        ListedRespondent(
            row=number,
            id=_text(row[index["id"]]) if "id" in index else None,
            name=_text(row[index["name"]]) if "name" in index else None,
            contact=_text(row[index["contact"]]) if "contact" in index else None,
        )
        for row, number in zip(table.rows, table.row_numbers, strict=True)
    ]
    return RespondentList(table.filename, entries, columns)


def check_respondent_list(
    listing: RespondentList,
    survey: Survey,
    *,
    rule: RespondentListRule,
    total: int | None = None,
) -> list[Finding]:
    """Findings (pass / warn / fail) of the scheme's respondent-list rule.

    ``total`` is the number of respondents in the database (default: all rows of ``survey``).
    """
    total = survey.n if total is None else total
    return [
        _count_finding(listing, rule, total),
        *_column_findings(listing, rule),
        _completeness_finding(listing, rule),
        _contact_format_finding(listing, rule),
        _duplicate_finding(listing, rule),
        _existence_finding(listing, survey, rule),
    ]


def _count_finding(listing: RespondentList, rule: RespondentListRule, total: int) -> Finding:
    low, high = rule.required_range(total)
    count = len(listing.entries)
    if total <= rule.full_list_max_total:
        need = f"数据库共 {total} 名被访者（不超过 {rule.full_list_max_total} 人），须全部列出"
    else:
        limit = rule.full_list_max_total
        need = f"数据库共 {total} 名被访者（超过 {limit} 人），须列出 {low}–{high} 人"
    ok = low <= count <= high
    verdict = "符合要求。" if ok else "不符合要求："
    return _finding(rule, "respondent_count", ok, f"名单列出 {count} 人，{verdict}{need}")


def _column_findings(listing: RespondentList, rule: RespondentListRule) -> list[Finding]:
    missing = []
    for required in rule.required_columns:
        role = "name" if "姓名" in required else "contact" if "联系" in required else None
        if role is not None and role not in listing.columns:
            missing.append(required)
    if missing:
        message = f"名单缺少必需的列：{'、'.join(missing)}"
        return [_finding(rule, "respondent_columns", False, message)]
    return []


def _completeness_finding(listing: RespondentList, rule: RespondentListRule) -> Finding:
    gaps = [
        f"第 {e.row} 行缺"
        + "、".join(w for w, v in (("姓名", e.name), ("联系方式", e.contact)) if not v)
        for e in listing.entries
        if not e.name or not e.contact
    ]
    if gaps:
        message = f"{len(gaps)} 人缺少姓名或联系方式"
        return _finding(rule, "respondent_fields", False, message, gaps[:50])
    return _finding(rule, "respondent_fields", True, "每位被访者都有姓名和联系方式")


def _contact_format_finding(listing: RespondentList, rule: RespondentListRule) -> Finding:
    advice = rule.contact_format
    odd = [
        f"第 {e.row} 行：{e.contact}"
        for e in listing.entries
        if e.contact and not _plausible_contact(e.contact)
    ]
    if odd:
        message = f"{len(odd)} 个联系方式不像手机号、固定电话或邮箱，请核对"
        return _finding(advice, "respondent_contact_format", False, message, odd[:50])
    return _finding(advice, "respondent_contact_format", True, "联系方式格式正常")


def _duplicate_finding(listing: RespondentList, rule: RespondentListRule) -> Finding:
    advice = rule.duplicates
    keys = [_person_key(e) for e in listing.entries]
    repeated = [key for key, count in Counter(k for k in keys if k).items() if count > 1]
    if repeated:
        message = f"名单中有 {len(repeated)} 人重复出现"
        return _finding(advice, "respondent_duplicates", False, message, repeated[:50])
    return _finding(advice, "respondent_duplicates", True, "名单中没有重复的被访者")


def _existence_finding(
    listing: RespondentList, survey: Survey, rule: RespondentListRule
) -> Finding:
    advice = rule.in_database
    matcher = _matcher(listing, survey)
    if matcher is None:
        message = (
            "数据库没有编号、姓名或联系方式列，无法核对名单中的人是否在数据库中；"
            "请在码本中指明这些列"
        )
        return _finding(advice, "respondent_in_database", False, message)
    how, known, key_of = matcher
    absent = [
        f"第 {e.row} 行：{key_of(e) or '（空）'}" for e in listing.entries if key_of(e) not in known
    ]
    if absent:
        message = f"名单中 {len(absent)} 人在数据库中找不到（按{how}核对）"
        return _finding(advice, "respondent_in_database", False, message, absent[:50])
    return _finding(
        advice, "respondent_in_database", True, f"名单中的人都在数据库中（按{how}核对）"
    )


def _matcher(listing: RespondentList, survey: Survey) -> tuple[str, set[str], Any] | None:
    if "id" in listing.columns and survey.has_ids:
        return "编号", {_fold(i) for i in survey.ids}, lambda e: _fold(e.id or "")
    if "contact" in listing.columns and any(survey.contacts):
        known = {_digits(c) for c in survey.contacts if c}
        return "联系方式", known, lambda e: _digits(e.contact or "")
    if "name" in listing.columns and any(survey.names):
        return "姓名", {_fold(n) for n in survey.names if n}, lambda e: _fold(e.name or "")
    return None


def _plausible_contact(contact: str) -> bool:
    compact = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", contact))
    return any(p.match(compact) for p in (_MOBILE, _LANDLINE, _MASKED, _EMAIL))


def _person_key(entry: ListedRespondent) -> str:
    if entry.id:
        return _fold(entry.id)
    return f"{_fold(entry.name or '')}/{_digits(entry.contact or '')}".strip("/")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def _digits(text: str) -> str:
    compact = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", text))
    return compact.casefold()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def summarise_findings(findings: Sequence[Finding]) -> Status:
    return worst(f.status for f in findings)
