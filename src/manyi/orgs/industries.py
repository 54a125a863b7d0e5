"""GB/T 4754-2017 国民经济行业分类: 门类 (sections A–T) and 大类 (divisions 01–97).

The table lives in ``data/gbt4754_2017.json``. Only the divisions whose groups matter for the
size classes (59 装卸搬运和仓储业, 70 房地产业) list their 中类/小类; a group or class code in any
other division is accepted on the strength of its division, without a name.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from manyi.orgs.creditcode import normalize

DATA_FILE = "gbt4754_2017.json"

Level = Literal["section", "division", "group", "class"]

_CODE = re.compile(r"(?P<letter>[A-Z])?(?P<digits>[0-9]{2,4})?")


class UnknownIndustryError(ValueError):
    """The code is not a GB/T 4754-2017 section, division, group or class."""


@dataclass(frozen=True)
class Section:
    code: str
    name: str


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    section: str


@dataclass(frozen=True)
class Industry:
    """A looked-up code at any level, with the division and section it belongs to."""

    code: str
    level: Level
    name: str | None
    section: str
    section_name: str
    division: str | None = None
    division_name: str | None = None
    group: str | None = None
    group_name: str | None = None
    class_code: str | None = None
    class_name: str | None = None

    @property
    def label(self) -> str:
        """``"7010 房地产开发经营"``; a group or class without a listed name shows its division."""
        if self.name:
            return f"{self.code} {self.name}"
        return f"{self.code}（属 {self.division} {self.division_name}）"

    @property
    def path(self) -> tuple[str, ...]:
        """Codes from this one up to its section, most specific first: 7010, 701, 70, K."""
        codes = (self.class_code, self.group, self.division, self.section)
        return tuple(code for code in codes if code)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label}


@dataclass(frozen=True)
class _Table:
    sections: dict[str, Section]
    divisions: dict[str, Division]
    # division → {group → name}, group → {class → name}; only where the data lists them.
    groups: dict[str, dict[str, str]]
    classes: dict[str, dict[str, str]]


def sections() -> list[Section]:
    """The 20 门类, A to T."""
    return list(_table().sections.values())


def divisions(section: str | None = None) -> list[Division]:
    """All 大类, or those of one 门类 (``divisions("K")``)."""
    table = _table()
    if section is None:
        return list(table.divisions.values())
    key = normalize(section)
    if key not in table.sections:
        raise UnknownIndustryError(f"没有门类「{section}」：GB/T 4754-2017 的门类为 A–T。")
    return [d for d in table.divisions.values() if d.section == key]


def section_of(division_code: str) -> Section:
    """The 门类 a 大类 (or a code inside it, e.g. ``"7010"``) belongs to."""
    industry = lookup(division_code)
    return _table().sections[industry.section]


def lookup(code: str) -> Industry:
    """Look up ``"C"``, ``"65"``, ``"702"`` or ``"7010"`` (``"K7010"`` is accepted too)."""
    text = normalize(code)
    match = _CODE.fullmatch(text)
    if not text or match is None:
        raise UnknownIndustryError(_format_hint(code))
    letter, digits = match.group("letter"), match.group("digits")
    if digits is None:
        return _section(letter)
    industry = _numeric(digits, code)
    if letter and letter != industry.section:
        raise UnknownIndustryError(
            f"行业代码「{code}」前后矛盾：{industry.label} 属于门类 {industry.section} "
            f"{industry.section_name}，不属于门类 {letter}。"
        )
    return industry


def children(code: str) -> list[Industry]:
    """The next level down that the table knows: a section's divisions, a division's groups …

    Empty when the table does not list that level (most divisions have no groups here).
    """
    industry = lookup(code)
    table = _table()
    if industry.level == "section":
        return [lookup(d.code) for d in divisions(industry.section)]
    if industry.level == "division":
        return [lookup(g) for g in table.groups.get(industry.code, {})]
    if industry.level == "group":
        return [lookup(c) for c in table.classes.get(industry.code, {})]
    return []


def lists_groups(division_code: str) -> bool:
    """Whether the data lists every group of this division (so finer rules can be checked)."""
    return division_code in _table().groups


def _format_hint(code: str) -> str:
    return (
        f"无法识别的行业代码「{code}」：请填写门类字母（A–T）、两位大类代码（01–97），"
        "或三位中类、四位小类代码（如 702、7010）。"
    )


def _section(letter: str) -> Industry:
    section = _table().sections.get(letter)
    if section is None:
        raise UnknownIndustryError(f"没有门类「{letter}」：GB/T 4754-2017 的门类为 A–T。")
    return Industry(section.code, "section", section.name, section.code, section.name)


def _numeric(digits: str, original: str) -> Industry:
    table = _table()
    division = table.divisions.get(digits[:2])
    if division is None:
        raise UnknownIndustryError(
            f"行业代码「{original}」的大类「{digits[:2]}」不存在：GB/T 4754-2017 的大类为 01–97。"
        )
    section = table.sections[division.section]
    base = Industry(
        code=division.code,
        level="division",
        name=division.name,
        section=section.code,
        section_name=section.name,
        division=division.code,
        division_name=division.name,
    )
    if len(digits) == 2:
        return base
    group_name = _detail_name(table.groups, division.code, digits[:3], original)
    if len(digits) == 3:
        return _replace(
            base, code=digits, level="group", name=group_name, group=digits, group_name=group_name
        )
    class_name = _detail_name(table.classes, digits[:3], digits, original)
    return _replace(
        base,
        code=digits,
        level="class",
        name=class_name,
        group=digits[:3],
        group_name=group_name,
        class_code=digits,
        class_name=class_name,
    )


def _detail_name(
    listing: dict[str, dict[str, str]], parent: str, code: str, original: str
) -> str | None:
    if parent not in listing:
        return None  # the table does not list this level here; accept on the parent's strength
    if code not in listing[parent]:
        known = "、".join(f"{k} {v}" for k, v in listing[parent].items())
        raise UnknownIndustryError(f"行业代码「{original}」不存在：{parent} 之下只有 {known}。")
    return listing[parent][code]


def _replace(industry: Industry, **changes: Any) -> Industry:
    return Industry(**{**asdict(industry), **changes})


@cache
def _table() -> _Table:
    raw = json.loads(resources.files("manyi.orgs").joinpath("data", DATA_FILE).read_text("utf-8"))
    sections: dict[str, Section] = {}
    divisions_: dict[str, Division] = {}
    groups: dict[str, dict[str, str]] = {}
    classes: dict[str, dict[str, str]] = {}
    for s in raw["sections"]:
        sections[s["code"]] = Section(s["code"], s["name"])
        for d in s["divisions"]:
            divisions_[d["code"]] = Division(d["code"], d["name"], s["code"])
            if "groups" in d:
                groups[d["code"]] = {g["code"]: g["name"] for g in d["groups"]}
                for g in d["groups"]:
                    if "classes" in g:
                        classes[g["code"]] = {c["code"]: c["name"] for c in g["classes"]}
    return _Table(sections, divisions_, groups, classes)
