"""Typed model of one campaign's scheme (评价方案): every rule of the year's application form.

The scheme is data (``schemes/<year>.toml``); these classes only give it types, check that it
is consistent (unique keys, references that resolve, outlines numbered without gaps) and offer
the look-ups the web layer and the other engines need. Nothing here imports Django.

Consistency problems found by the validators are raised as :class:`SchemeProblems`, each with
a key path relative to the model being validated, so the loader can report
``outlines[2].headings[7].number`` rather than a bare "value error".
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    StringConstraints,
    model_validator,
)

from manyi.verdict import Finding, Status

Path = tuple[str | int, ...]

Key = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(strict=True, min_length=1)]
PosInt = Annotated[int, Field(strict=True, gt=0)]

Requirement = Literal["required", "optional", "not_applicable"]
FieldType = Literal[
    "text", "integer", "decimal", "date", "choice", "list", "pair", "category_level"
]
ChoiceSource = Literal["categories", "levels", "application_kinds", "promoting_bodies"]
MaterialGroup = Literal["承诺书", "申请表", "实践报告", "证实性材料", "第三方测量材料", "其他"]
FileFormat = Literal[
    "pdf",
    "doc",
    "docx",
    "ppt",
    "pptx",
    "mp4",
    "mov",
    "m4v",
    "jpg",
    "jpeg",
    "png",
    "xls",
    "xlsx",
    "csv",
    "sav",
]

# Placeholders a scheme's strings may use; filled from the campaign on load.
CAMPAIGN_PLACEHOLDERS = ("data_year", "year")
FILENAME_PLACEHOLDERS = frozenset({"企业名称", "类别名称"})
_CN_DIGITS = "零一二三四五六七八九"


class SchemeProblems(ValueError):
    """One or more consistency problems, each a (key path, message in Chinese)."""

    def __init__(self, problems: Sequence[tuple[Path, str]]):
        self.problems = list(problems)
        super().__init__("；".join(f"{format_path(p)}：{m}" for p, m in self.problems))


def format_path(path: Iterable[str | int]) -> str:
    """``("materials", 3, "formats")`` → ``materials[3].formats``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for outline numbering, 1–99)."""
    if not 0 < n < 100:
        raise ValueError(f"编号超出范围：{n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def normalize_text(value: str) -> str:
    """Compare names the way a reader would: full/half width folded, whitespace ignored."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))


def _duplicates(keys: Iterable[str]) -> list[str]:
    return [key for key, count in Counter(keys).items() if count > 1]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ---------------------------------------------------------------------------------------------
# Provenance: whose rule it is. Only the form's own rules (seed) may block; the system's advice
# warns unless the campaign's secretariat raises it to blocking with its own words.


class Provenance(_Model):
    """Where a rule comes from and what it does when violated.

    ``source = "seed"``: the application form states it; ``quote`` holds its words verbatim.
    ``source = "advice"``: the system's judgement; ``reason`` says why in one line. It warns,
    unless ``severity = "fail"`` raises it, and then ``quote`` holds the secretariat's
    requirement (pages show it as 秘书处要求). A blocking rule without a quote is refused.
    """

    source: Literal["seed", "advice"]
    quote: Text | None = None
    reason: Text | None = None
    severity: Literal["fail", "warn"] | None = None

    @model_validator(mode="after")
    def _provenance_complete(self) -> Provenance:
        problems: list[tuple[Path, str]] = []
        if self.source == "seed" and not self.quote:
            problems.append((("quote",), 'source = "seed" 的规则须用 quote 引用申请书原文'))
        if self.source == "advice" and not self.reason:
            problems.append((("reason",), 'source = "advice" 的规则须用 reason 说明理由'))
        if self.effective_severity == "fail" and not self.quote:
            problems.append((("quote",), "判为不通过的规则须有 quote（申请书原文或秘书处要求）"))
        if problems:
            raise SchemeProblems(problems)
        return self

    @property
    def effective_severity(self) -> Literal["fail", "warn"]:
        """Seed rules block by default, advice warns by default."""
        if self.severity is not None:
            return self.severity
        return "fail" if self.source == "seed" else "warn"

    @property
    def authority(self) -> str:
        """Whose rule it is, as pages show it: 申请书要求 / 秘书处要求 / 系统建议."""
        return self.violation("", "").authority

    def violation(self, code: str, message: str, *, where: str = "", fix: str = "") -> Finding:
        """The finding when this rule is not met: it fails or warns as its provenance says."""
        return self._finding(code, self.effective_severity, message, where, fix)

    def satisfied(self, code: str, message: str, *, where: str = "") -> Finding:
        return self._finding(code, "pass", message, where, "")

    def _finding(self, code: str, status: Status, message: str, where: str, fix: str) -> Finding:
        return Finding(
            code,
            status,
            message,
            where=where,
            fix=fix,
            source=self.source,
            quote=self.quote or "",
            reason=self.reason or "",
        )


# Rules the pre-submission check applies beyond single fields and materials; the scheme gives
# each its provenance under [general_rules].
GENERAL_RULES = (
    "eligibility",
    "required_field",
    "field_value",
    "campaign_window",
    "promoting_body",
    "credit_code_check",
    "org_size",
    "auto_field",
)


# ---------------------------------------------------------------------------------------------
# Campaign, categories, levels


class Standard(_Model):
    code: Text
    title: Text
    role: Text


class Campaign(_Model):
    year: StrictInt
    title: Text
    version: Text
    organizer: Text
    data_year: StrictInt
    data_basis: Text
    survey_start_date: date
    standards: tuple[Standard, ...]

    @model_validator(mode="after")
    def _data_year_is_previous_year(self) -> Campaign:
        if self.data_year != self.year - 1:
            raise SchemeProblems(
                [(("data_year",), f"应为上一年度 {self.year - 1}（数据以上一年度末为准）")]
            )
        return self

    def standard(self, code: str) -> Standard:
        for item in self.standards:
            if item.code == code:
                return item
        raise KeyError(f"方案未列出标准 {code}")


class Category(_Model):
    key: Key
    name: Text


class Level(_Model):
    key: Key
    stars: PosInt
    short_name: Text
    name: Text
    cover_name: Text


class ApplicationKind(_Model):
    key: Key
    name: Text
    # 复评: the applicant names the earlier certificate the renewal follows.
    renewal: StrictBool = False


# ---------------------------------------------------------------------------------------------
# Field rules. Each kind is one class; ``kind`` selects it in the data file.


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping):
        return all(_is_empty(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_is_empty(v) for v in value)
    return False


def _count_items(value: Any) -> int:
    if isinstance(value, list | tuple):
        return sum(not _is_empty(v) for v in value)
    return 0 if _is_empty(value) else 1


class _Rule(Provenance):
    message: Text
    # None: the rule applies in every category whose form has the field.
    categories: tuple[Key, ...] | None = None

    def applies_to(self, category: str) -> bool:
        return self.categories is None or category in self.categories

    def other_field(self) -> str | None:
        return None

    def violated(self, field: FormField, value: Any, values: Mapping[str, Any]) -> bool:
        raise NotImplementedError


class MaxItemsRule(_Rule):
    """A list holds at most ``value`` entries (限3项)."""

    kind: Literal["max_items"]
    value: PosInt
    field_types: ClassVar[tuple[str, ...]] = ("list",)

    def violated(self, field: FormField, value: Any, values: Mapping[str, Any]) -> bool:
        return _count_items(value) > self.value


class ExactItemsRule(_Rule):
    """A list holds exactly ``value`` entries; for a pair, each part does (各1个)."""

    kind: Literal["exact_items"]
    value: PosInt
    field_types: ClassVar[tuple[str, ...]] = ("list", "pair")

    def violated(self, field: FormField, value: Any, values: Mapping[str, Any]) -> bool:
        if field.type == "pair":
            parts = value if isinstance(value, Mapping) else {}
            return any(_count_items(parts.get(p.key)) != self.value for p in field.parts)
        return _count_items(value) != self.value


class _SuffixRule(_Rule):
    values: tuple[Text, ...] = Field(min_length=1)
    field_types: ClassVar[tuple[str, ...]] = ("text",)

    def violated(self, field: FormField, value: Any, values: Mapping[str, Any]) -> bool:
        text = normalize_text(str(value))
        return any(text.endswith(normalize_text(v)) for v in self.values)


class NotSuffixRule(_SuffixRule):
    """Refuse a text ending in one of ``values`` (e.g. a product *series*)."""

    kind: Literal["not_suffix"]


class SuffixWarningRule(_SuffixRule):
    """Warn when a text ends in one of ``values`` (e.g. an institution instead of a service).

    The ending only suggests the problem, so the rule never blocks whatever its source.
    """

    kind: Literal["suffix_warning"]
    severity: Literal["warn"] = "warn"


class NotContainsRule(_Rule):
    """Refuse a text containing one of ``values``."""

    kind: Literal["not_contains"]
    values: tuple[Text, ...] = Field(min_length=1)
    field_types: ClassVar[tuple[str, ...]] = ("text",)

    def violated(self, field: FormField, value: Any, values: Mapping[str, Any]) -> bool:
        text = normalize_text(str(value))
        return any(normalize_text(v) in text for v in self.values)


class EqualsFieldRule(_Rule):
    """The text equals field ``other`` (ignoring width and whitespace)."""

    kind: Literal["equals_field"]
    other: Key
    field_types: ClassVar[tuple[str, ...]] = ("text",)

    def other_field(self) -> str | None:
        return self.other

    def violated(self, field: FormField, value: Any, values: Mapping[str, Any]) -> bool:
        other = values.get(self.other)
        if _is_empty(other):
            return False
        return normalize_text(str(value)) != normalize_text(str(other))


class DateNotAfterRule(_Rule):
    """The date is on or before the date in field ``other``."""

    kind: Literal["date_not_after"]
    other: Key
    field_types: ClassVar[tuple[str, ...]] = ("date",)

    def other_field(self) -> str | None:
        return self.other

    def violated(self, field: FormField, value: Any, values: Mapping[str, Any]) -> bool:
        other = values.get(self.other)
        return isinstance(value, date) and isinstance(other, date) and value > other


class _RegexRule(_Rule):
    regex: Text
    field_types: ClassVar[tuple[str, ...]] = ("text",)

    @model_validator(mode="after")
    def _regex_compiles(self) -> _RegexRule:
        try:
            re.compile(self.regex)
        except re.error as exc:
            raise SchemeProblems([(("regex",), f"正则表达式无效：{exc}")]) from None
        return self


class PatternRule(_RegexRule):
    """The whole text matches the regular expression ``regex``."""

    kind: Literal["pattern"]

    def violated(self, field: FormField, value: Any, values: Mapping[str, Any]) -> bool:
        return re.fullmatch(self.regex, str(value).strip()) is None


class ContainsPatternRule(_RegexRule):
    """Some part of the text matches ``regex`` (e.g. a model or specification code)."""

    kind: Literal["contains_pattern"]

    def violated(self, field: FormField, value: Any, values: Mapping[str, Any]) -> bool:
        return re.search(self.regex, normalize_text(str(value))) is None


class AppearsInMaterialRule(_Rule):
    """The text appears in the uploaded files of ``material`` (e.g. the 竣工验收证明).

    The check needs the files' text, which only the caller has: :meth:`Scheme.check_form`
    applies it when given ``material_texts``. A scanned file (no text) cannot be checked.
    """

    kind: Literal["appears_in_material"]
    material: Key
    unreadable_message: Text
    field_types: ClassVar[tuple[str, ...]] = ("text",)

    def violated(self, field: FormField, value: Any, values: Mapping[str, Any]) -> bool:
        return False  # decided by found_in() once the texts are known

    def found_in(self, value: Any, texts: Sequence[str]) -> bool | None:
        """True / False when some file has text; None when every file is a scan."""
        readable = [normalize_text(text) for text in texts if text.strip()]
        if not readable:
            return None
        return any(normalize_text(str(value)) in text for text in readable)


class RangeRule(_Rule):
    """The number lies in [min, max] (either bound may be omitted)."""

    kind: Literal["range"]
    min: float | None = None
    max: float | None = None
    field_types: ClassVar[tuple[str, ...]] = ("integer", "decimal")

    def violated(self, field: FormField, value: Any, values: Mapping[str, Any]) -> bool:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return True
        too_low = self.min is not None and number < Decimal(str(self.min))
        too_high = self.max is not None and number > Decimal(str(self.max))
        return too_low or too_high


Rule = Annotated[
    MaxItemsRule
    | ExactItemsRule
    | NotSuffixRule
    | SuffixWarningRule
    | NotContainsRule
    | EqualsFieldRule
    | DateNotAfterRule
    | PatternRule
    | ContainsPatternRule
    | AppearsInMaterialRule
    | RangeRule,
    Field(discriminator="kind"),
]
RULE_KINDS = (
    "max_items",
    "exact_items",
    "not_suffix",
    "suffix_warning",
    "not_contains",
    "equals_field",
    "date_not_after",
    "pattern",
    "contains_pattern",
    "appears_in_material",
    "range",
)


def _document_findings(
    rule: AppearsInMaterialRule,
    value: Any,
    material_texts: Mapping[str, Sequence[str]] | None,
    code: str,
    where: str,
) -> list[Finding]:
    texts = (material_texts or {}).get(rule.material)
    if not texts:  # not asked to compare, or nothing uploaded yet (reported as missing)
        return []
    found = rule.found_in(value, texts)
    if found:
        return []
    message = rule.unreadable_message if found is None else rule.message
    return [rule.violation(code, message, where=where)]


# ---------------------------------------------------------------------------------------------
# Form fields (cover and 申请表)


class PairPart(_Model):
    key: Key
    label: Text


class FormField(_Model):
    key: Key
    label: Text
    type: FieldType
    unit: Text | None = None
    required: StrictBool = True
    # 自动抓取: filled by the system (credit code, industry, size class), shown read-only.
    auto: StrictBool = False
    # Categories where the field is not filled in (申报项目名称：企业类免填).
    exempt_categories: tuple[Key, ...] = ()
    hint: Text | None = None
    # What the official form prints in the field's box and under its row (附件1-3), verbatim:
    # "（自动抓取）", "（企业类免填）", "注：班组类填写班组名称……".
    printed_note: Text | None = None
    footnote: Text | None = None
    # What the field means in a category (注：班组类填写班组名称 …).
    category_hints: dict[Key, Text] = Field(default_factory=dict)
    choices: tuple[Text, ...] = ()
    choices_from: ChoiceSource | None = None
    parts: tuple[PairPart, ...] = ()
    decimals: Annotated[int, Field(strict=True, ge=0)] | None = None
    seal: StrictBool = False
    rules: tuple[Rule, ...] = ()
    quote: Text | None = None  # the form's words for this field

    @model_validator(mode="after")
    def _shape_matches_type(self) -> FormField:
        problems: list[tuple[Path, str]] = []
        if self.type == "choice" and bool(self.choices) == bool(self.choices_from):
            problems.append((("choices",), "choice 类型须给出 choices 或 choices_from（二选一）"))
        if self.type != "choice" and (self.choices or self.choices_from):
            problems.append((("choices",), f"只有 choice 类型可以有选项，本字段为 {self.type}"))
        if self.type == "pair" and len(self.parts) < 2:
            problems.append((("parts",), "pair 类型须至少有两个 parts"))
        if self.type != "pair" and self.parts:
            problems.append((("parts",), f"只有 pair 类型可以有 parts，本字段为 {self.type}"))
        for key in _duplicates(p.key for p in self.parts):
            problems.append((("parts",), f"part 键 {key!r} 重复"))
        if self.decimals is not None and self.type != "decimal":
            problems.append((("decimals",), "只有 decimal 类型可以规定小数位数"))
        for index, rule in enumerate(self.rules):
            if self.type not in rule.field_types:
                allowed = "、".join(rule.field_types)
                problems.append(
                    (("rules", index, "kind"), f"{rule.kind} 规则只适用于 {allowed} 类型字段")
                )
        if problems:
            raise SchemeProblems(problems)
        return self

    def is_required(self, category: str) -> bool:
        return self.required and category not in self.exempt_categories

    def rules_for(self, category: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.applies_to(category))

    def hint_for(self, category: str) -> str | None:
        return self.category_hints.get(category, self.hint)

    @property
    def max_items(self) -> int | None:
        """The 限N项 limit of a list field, read from its rules."""
        limits = [r.value for r in self.rules if isinstance(r, MaxItemsRule | ExactItemsRule)]
        return min(limits) if limits else None


class Cover(_Model):
    title: Text
    attachment: Text
    fields: tuple[FormField, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _keys_unique(self) -> Cover:
        problems = [
            (("fields",), f"字段键 {k!r} 重复") for k in _duplicates(f.key for f in self.fields)
        ]
        if problems:
            raise SchemeProblems(problems)
        return self


class FormSection(_Model):
    category: Key
    title: Text
    fields: tuple[FormField, ...] = Field(min_length=1)


class Form(_Model):
    title: Text
    attachment: Text
    continuation_title: Text
    section_prompt: Text
    instructions: tuple[Text, ...] = ()
    common: tuple[FormField, ...] = Field(min_length=1)
    sections: tuple[FormSection, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _keys_unique(self) -> Form:
        problems: list[tuple[Path, str]] = []
        common = [f.key for f in self.common]
        for key in _duplicates(common):
            problems.append((("common",), f"字段键 {key!r} 重复"))
        for index, section in enumerate(self.sections):
            keys = [f.key for f in section.fields]
            for key in _duplicates(keys):
                problems.append((("sections", index, "fields"), f"字段键 {key!r} 重复"))
            for key in sorted(set(keys) & set(common)):
                problems.append(
                    (("sections", index, "fields"), f"字段键 {key!r} 与通用字段（common）重复")
                )
        if problems:
            raise SchemeProblems(problems)
        return self

    def section(self, category: str) -> FormSection:
        for section in self.sections:
            if section.category == category:
                return section
        raise KeyError(f"申请表没有 {category} 的分类栏目")

    def fields(self, category: str) -> tuple[FormField, ...]:
        return self.common + self.section(category).fields


# ---------------------------------------------------------------------------------------------
# Materials, binding, third-party measurement


class FilenameRule(Provenance):
    """How a file must be named, e.g. ``用户满意经营实践报告+{企业名称}+{类别名称}``.

    ``separator`` joins the template's parts when the system names a file; a file whose name
    joins them with any of ``accepted_separators`` (``""`` = written together) is accepted.
    Names are compared with full/half width folded and whitespace ignored.
    """

    template: Text
    separator: StrictStr
    accepted_separators: tuple[StrictStr, ...] = Field(min_length=1)
    extension: FileFormat

    @model_validator(mode="after")
    def _placeholders_known(self) -> FilenameRule:
        problems: list[tuple[Path, str]] = []
        unknown = self.placeholders() - FILENAME_PLACEHOLDERS
        if unknown:
            known = "、".join(sorted(FILENAME_PLACEHOLDERS))
            problems.append((("template",), f"未知的占位符 {sorted(unknown)}，可用：{known}"))
        if self.separator not in self.accepted_separators:
            problems.append((("accepted_separators",), "须包含 separator 本身"))
        if problems:
            raise SchemeProblems(problems)
        return self

    def placeholders(self) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.template) if name}

    def render(self, values: Mapping[str, str], separator: str | None = None) -> str:
        """The file name the system gives, e.g. 用户满意经营实践报告+XX公司+企业类.pdf."""
        parts = self.template.split(self.separator) if self.separator else [self.template]
        joined = (self.separator if separator is None else separator).join(parts)
        return f"{joined.format_map(dict(values))}.{self.extension}"

    def accepts(self, filename: str, values: Mapping[str, str]) -> bool:
        """The template's parts appear in order, joined by accepted separators, and nothing else.

        ``用户满意经营实践报告-XX公司_企业类.pdf`` is accepted as well as the ``+`` form.
        """
        parts = self.template.split(self.separator) if self.separator else [self.template]
        filled = [normalize_text(part.format_map(dict(values))) for part in parts]
        gap = "(?:" + "|".join(re.escape(normalize_text(s)) for s in self.accepted_separators) + ")"
        pattern = gap.join(re.escape(part) for part in filled) + re.escape(f".{self.extension}")
        return re.fullmatch(pattern, normalize_text(filename), re.IGNORECASE) is not None


class PresenceRule(Provenance):
    """Why a material must be there, for the categories and levels listed (None: all)."""

    categories: tuple[Key, ...] | None = None
    levels: tuple[Key, ...] | None = None

    def applies_to(self, category: str, level: str) -> bool:
        in_category = self.categories is None or category in self.categories
        return in_category and (self.levels is None or level in self.levels)


# Limits a material may set; those the scheme's [upload_limits] does not default need their
# provenance in the material's own ``limits`` table.
LimitName = Literal[
    "formats", "max_size_bytes", "max_count", "max_pages", "hidden_slides", "max_duration_seconds"
]
DEFAULTED_LIMITS: tuple[LimitName, ...] = ("formats", "max_size_bytes", "max_count")


class Material(_Model):
    key: Key
    name: Text
    group: MaterialGroup
    attachment: Text | None = None
    requirement: Literal["required", "optional"] = "required"
    # Why it is required: the first rule matching the category and level decides.
    presence: tuple[PresenceRule, ...] = ()
    # None: every category / level; otherwise the material is not applicable elsewhere.
    categories: tuple[Key, ...] | None = None
    levels: tuple[Key, ...] | None = None
    formats: tuple[FileFormat, ...] = Field(min_length=1)
    max_count: PosInt = 1
    max_size_bytes: PosInt
    max_pages: PosInt | None = None
    max_duration_seconds: PosInt | None = None
    # Provenance of each limit (filled from [upload_limits] where the material gives none).
    limits: dict[LimitName, Provenance] = Field(default_factory=dict)
    filename: FilenameRule | None = None
    seal: StrictBool = False
    signature: StrictBool = False
    notes: tuple[Text, ...] = ()
    sources: tuple[Text, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _rules_have_provenance(self) -> Material:
        problems: list[tuple[Path, str]] = []
        if self.requirement == "required" and not self.presence:
            problems.append((("presence",), "必须提交的材料须用 presence 注明来源"))
        if self.requirement == "optional" and self.presence:
            problems.append((("presence",), "可选材料不能有 presence"))
        for name in ("max_pages", "max_duration_seconds"):
            if getattr(self, name) is not None and name not in self.limits:
                problems.append((("limits", name), f"{name} 须在 limits 中注明来源"))
        for name in DEFAULTED_LIMITS:
            if name not in self.limits:
                problems.append((("limits", name), f"{name} 缺少来源（[upload_limits] 未给出）"))
        if problems:
            raise SchemeProblems(problems)
        return self

    def requirement_for(self, category: str, level: str) -> Requirement:
        if self.categories is not None and category not in self.categories:
            return "not_applicable"
        if self.levels is not None and level not in self.levels:
            return "not_applicable"
        return self.requirement

    def presence_rule(self, category: str, level: str) -> PresenceRule | None:
        """The rule that asks for this material in a category and level (None: optional)."""
        if self.requirement_for(category, level) != "required":
            return None
        return next((r for r in self.presence if r.applies_to(category, level)), None)

    def limit_rule(self, name: LimitName) -> Provenance:
        return self.limits[name]

    def accepts_format(self, filename: str) -> bool:
        return PurePath(filename).suffix.lower().lstrip(".") in self.formats


class BindingPart(_Model):
    key: Key
    name: Text
    attachment: Text | None = None
    materials: tuple[Key, ...] = Field(min_length=1)
    contents_page: StrictBool = False  # the package builder adds the 目录 here
    annex: StrictBool = False  # bound after the application proper (第三方测量材料)
    note: Text | None = None


class Binding(_Model):
    parts: tuple[BindingPart, ...] = Field(min_length=1)
    sources: tuple[Text, ...] = Field(min_length=1)

    def material_keys(self) -> tuple[str, ...]:
        return tuple(key for part in self.parts for key in part.materials)


class MeasurementRule(Provenance):
    """One rule about the survey data: what it asks (``message``) and its threshold, if any.

    Seed rules (the survey date, the respondent list) fail; the data-quality thresholds are
    the system's advice and warn unless a campaign raises them.
    """

    message: Text
    value: float | None = None


class RespondentListRule(MeasurementRule):
    """被访者名单: who must be listed, with which columns (the form's own rule)."""

    material: Key
    required_columns: tuple[Text, ...] = Field(min_length=1)
    full_list_max_total: PosInt
    sample_min: PosInt
    sample_max: PosInt
    # The system's own checks of the list (advice): in the database, contact format, repeats.
    in_database: MeasurementRule
    contact_format: MeasurementRule
    duplicates: MeasurementRule

    @model_validator(mode="after")
    def _bounds_ordered(self) -> RespondentListRule:
        if self.sample_min > self.sample_max:
            raise SchemeProblems([(("sample_min",), "sample_min 不能大于 sample_max")])
        return self

    def required_range(self, total: int) -> tuple[int, int]:
        """How many respondents to list (min, max) when ``total`` were interviewed."""
        if total <= self.full_list_max_total:
            return total, total
        return min(self.sample_min, total), min(self.sample_max, total)


def _share(rule: MeasurementRule, path: Path) -> Iterator[tuple[Path, str]]:
    if rule.value is None or not 0 <= rule.value <= 1:
        yield (*path, "value"), "应为 0 到 1 之间的比例"


def _count(rule: MeasurementRule, path: Path, minimum: int) -> Iterator[tuple[Path, str]]:
    value = rule.value
    if value is None or value != int(value) or value < minimum:
        yield (*path, "value"), f"应为不小于 {minimum} 的整数"


class SurveyQuality(_Model):
    """Data-quality checks of the survey database: the system's advice, with thresholds."""

    out_of_range: MeasurementRule
    non_numeric: MeasurementRule
    undated: MeasurementRule  # the survey date cannot be checked
    future_date: MeasurementRule
    duplicate_ids: MeasurementRule
    duplicate_answers: MeasurementRule
    straightlining: MeasurementRule  # value: at least this many items answered alike
    respondent_missing: MeasurementRule  # value: share of items a respondent may leave blank
    item_missing: MeasurementRule  # value: share of respondents an item may miss
    zero_variance: MeasurementRule
    min_respondents: MeasurementRule  # value: valid respondents after cleaning

    @model_validator(mode="after")
    def _thresholds(self) -> SurveyQuality:
        problems = [
            *_count(self.straightlining, ("straightlining",), 2),
            *_share(self.respondent_missing, ("respondent_missing",)),
            *_share(self.item_missing, ("item_missing",)),
            *_count(self.min_respondents, ("min_respondents",), 1),
        ]
        if problems:
            raise SchemeProblems(problems)
        return self


class Measurement(_Model):
    title: Text
    agency_requirement: Text
    standard: Text
    model_standard: Text
    source: Text
    # Interviews before ``campaign.survey_start_date`` (the form's rule).
    survey_date: MeasurementRule
    respondent_list: RespondentListRule
    quality: SurveyQuality
    # value: points on the 0–100 scale the recomputed index may differ from the declared 满意度.
    declared_score: MeasurementRule

    @model_validator(mode="after")
    def _declared_score_tolerance(self) -> Measurement:
        value = self.declared_score.value
        if value is None or not 0 <= value <= 100:
            raise SchemeProblems([(("declared_score", "value"), "应为 0 到 100 之间的分值")])
        return self

    def rules(self) -> dict[str, tuple[str, MeasurementRule]]:
        """Every measurement rule by its id, with what it applies to."""
        listing = f"materials.{self.respondent_list.material}"
        found: dict[str, tuple[str, MeasurementRule]] = {
            "measurement.survey_date": ("survey", self.survey_date),
            "measurement.respondent_list": (listing, self.respondent_list),
        }
        for name in ("in_database", "contact_format", "duplicates"):
            found[f"measurement.respondent_list.{name}"] = (
                listing,
                getattr(self.respondent_list, name),
            )
        for name in SurveyQuality.model_fields:
            found[f"measurement.quality.{name}"] = ("survey", getattr(self.quality, name))
        found["measurement.declared_score"] = ("survey", self.declared_score)
        return found


# ---------------------------------------------------------------------------------------------
# Practice report: format and outlines


class TextStyle(_Model):
    font: Text
    size_name: Text
    size_pt: float = Field(gt=0)
    bold: StrictBool = False
    alignment: Literal["center", "justify", "left"]
    line_spacing: float = Field(gt=0)
    first_line_indent_chars: float = Field(default=0, ge=0)


class HeadingStyle(_Model):
    """A heading level's numbering: ``{cn}`` is a Chinese numeral, ``{n}`` an Arabic one."""

    level: PosInt
    pattern: Text
    bold: StrictBool = False

    @model_validator(mode="after")
    def _pattern_has_counter(self) -> HeadingStyle:
        names = {name for _, name, _, _ in string.Formatter().parse(self.pattern) if name}
        if len(names) != 1 or not names <= {"cn", "n"}:
            raise SchemeProblems([(("pattern",), "须且只能含一个占位符 {cn} 或 {n}")])
        return self

    def number(self, n: int) -> str:
        return self.pattern.format(cn=chinese_numeral(n), n=n)


class ReportRules(_Model):
    """Whose rule each group of report checks is, and whether breaking it blocks.

    The form's own rules (``source = "seed"``) quote it; a seed rule the form states loosely
    (the part budgets printed after the headings, the exact punctuation of a number) carries
    ``severity = "warn"``. The checker's own advice says why (``reason``).
    """

    title: Provenance  # title.*: 小二号宋体、加粗、居中、单倍行距
    body: Provenance  # body.*: 四号宋体、1.5倍行距、首行缩进2个字符、两端对齐
    heading_bold: Provenance  # heading.bold: 一级标题加粗
    numbering: Provenance  # numbering.*: 三级标题“一、”“（一）”“1.”
    numbering_format: Provenance  # numbering.format: "1、" written for "1."
    outline: Provenance  # outline.missing / outline.order: the category's template
    extra_headings: Provenance  # outline.extra: a section the template does not have
    length: Provenance  # length.total: 1万字以内
    part_length: Provenance  # length.part: the budgets printed after level-1 headings
    page_number: Provenance  # page_number.*: 页码在下方居中
    no_text: Provenance  # text.none: a PDF without extractable text (a scan)
    # The PDF's file name (finding ``filename``) is the practice report material's
    # FilenameRule, with its own provenance.


class ReportFormat(_Model):
    file_format: FileFormat
    title: TextStyle
    body: TextStyle
    page_number: Literal["bottom_center", "bottom_right", "top_center", "top_right"]
    headings: tuple[HeadingStyle, ...] = Field(min_length=1)
    max_chars: PosInt
    sources: tuple[Text, ...] = Field(min_length=1)
    rules: ReportRules

    @model_validator(mode="after")
    def _levels_in_order(self) -> ReportFormat:
        problems = [
            (("headings", index, "level"), f"应为 {index + 1}（标题层级须从 1 起依次排列）")
            for index, style in enumerate(self.headings)
            if style.level != index + 1
        ]
        if problems:
            raise SchemeProblems(problems)
        return self

    def heading_style(self, level: int) -> HeadingStyle:
        return self.headings[level - 1]


class OutlineHeading(_Model):
    level: PosInt
    number: Text
    title: Text
    budget: PosInt | None = None  # characters (字), as printed after the title
    guidance: StrictStr = ""  # the template's paragraph under the heading, verbatim

    @property
    def text(self) -> str:
        """The heading as printed in the template, e.g. ``一、企业简介（1000字）``."""
        suffix = f"（{self.budget}字）" if self.budget else ""
        return f"{self.number}{self.title}{suffix}"


class Outline(_Model):
    category: Key
    template_name: Text
    title: Text
    headings: tuple[OutlineHeading, ...] = Field(min_length=1)

    def budget_total(self) -> int:
        return sum(h.budget or 0 for h in self.headings if h.level == 1)

    def numbering_problems(self, styles: Sequence[HeadingStyle]) -> Iterator[tuple[Path, str]]:
        """Levels must nest (1, then at most one deeper) and numbers run 1, 2, 3 … per parent."""
        counters: list[int] = []
        for index, heading in enumerate(self.headings):
            here: Path = ("headings", index)
            if heading.level > len(styles):
                yield (
                    (*here, "level"),
                    f"层级 {heading.level} 没有编号格式（最多 {len(styles)} 级）",
                )
                return
            if heading.level > len(counters) + 1:
                yield (
                    (*here, "level"),
                    f"层级从 {len(counters)} 跳到 {heading.level}，缺少上一级标题",
                )
                return
            counters = counters[: heading.level]
            if len(counters) < heading.level:
                counters.append(0)
            counters[-1] += 1
            expected = styles[heading.level - 1].number(counters[-1])
            if heading.number != expected:
                yield (
                    (*here, "number"),
                    f"编号应为 {expected!r}，实为 {heading.number!r}"
                    "（同级编号须从 1 起连续，不能跳号）",
                )
                return


class Clause(_Model):
    number: Text
    text: Text


class CommitmentLetter(_Model):
    key: Key
    attachment: Text
    title: Text
    preamble: Text
    clauses: tuple[Clause, ...] = Field(min_length=1)
    closing: Text | None = None
    signature_lines: tuple[Text, ...] = Field(min_length=1)
    material: Key  # the signed/sealed scan the applicant uploads back

    def lines(self) -> list[str]:
        """The letter as printed, one paragraph per item, without layout spacing."""
        body = [f"{c.number}{c.text}" for c in self.clauses]
        closing = [self.closing] if self.closing else []
        return [self.title, self.preamble, *body, *closing, *self.signature_lines]


# ---------------------------------------------------------------------------------------------
# The scheme


def _fill_placeholders(data: Any, values: Mapping[str, str]) -> Any:
    if isinstance(data, str):
        for name, value in values.items():
            data = data.replace("{" + name + "}", value)
        return data
    if isinstance(data, dict):
        return {key: _fill_placeholders(value, values) for key, value in data.items()}
    if isinstance(data, list):
        return [_fill_placeholders(item, values) for item in data]
    return data


# ---------------------------------------------------------------------------------------------
# Evaluation: expert scoring rubric, level thresholds, 公示 and certificates


class RubricCriterion(_Model):
    key: Key
    name: Text
    max_points: Annotated[float, Field(gt=0)]
    guidance: Text


class LevelThreshold(_Model):
    level: Key
    min_score: Annotated[float, Field(ge=0, le=100)]


class Review(_Model):
    """How experts score and how a score becomes a level (a documented default, editable)."""

    note: Text
    experts_per_application: PosInt
    aggregation: Literal["mean", "trimmed_mean"]
    # trimmed_mean drops this many highest and lowest scores when enough experts scored.
    trim: Annotated[int, Field(strict=True, ge=0)] = 1
    spread_flag_points: Annotated[float, Field(gt=0)]
    revision_days: PosInt
    conflict_same_promoting_body: StrictBool
    rubric: tuple[RubricCriterion, ...] = Field(min_length=1)
    thresholds: tuple[LevelThreshold, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _rubric_totals_100(self) -> Review:
        problems: list[tuple[Path, str]] = []
        total = sum(c.max_points for c in self.rubric)
        if abs(total - 100) > 1e-9:
            problems.append((("rubric",), f"各项满分之和应为 100，现为 {total:g}"))
        for key in _duplicates(c.key for c in self.rubric):
            problems.append((("rubric",), f"评分项键 {key!r} 重复"))
        if problems:
            raise SchemeProblems(problems)
        return self

    @property
    def max_total(self) -> float:
        return sum(c.max_points for c in self.rubric)


class Publicity(_Model):
    objection_window_days: PosInt
    certificate_validity_years: PosInt
    certificate_number_prefix: Text
    issuer: Text
    # A 复评 may follow a certificate that expired at most this many days before the campaign.
    renewal_grace_days: Annotated[int, Field(strict=True, ge=0)]


class FieldRoles(_Model):
    """Which 申请表 or cover field plays each part the program must understand."""

    enterprise_name: Key
    credit_code: Key
    enterprise_type: Key
    industry: Key
    org_size: Key
    category_level: Key
    application_kind: Key
    project_name: Key
    satisfaction_score: Key
    contact_mobile: Key
    fill_date: Key
    promoting_body: Key
    # The organisation's figures the registration already holds (pre-filled on the form).
    employees: Key
    revenue: Key

    def role_of(self, key: str) -> str | None:
        """The role a field key plays, or None for a field code need not understand."""
        return next((role for role, value in self if value == key), None)


class MaterialRoles(_Model):
    """Which material plays each part the program must understand."""

    cover: Key
    application_form: Key
    practice_report: Key
    report_ppt: Key
    report_video: Key
    survey_database: Key
    measurement_report: Key
    respondent_list: Key
    completion_certificate: Key
    previous_certificate: Key


class Roles(_Model):
    """The scheme's keys for what code needs by meaning; code never spells a field key."""

    fields: FieldRoles
    materials: MaterialRoles


class Scheme(_Model):
    schema_version: Literal[1]
    campaign: Campaign
    categories: tuple[Category, ...] = Field(min_length=1)
    levels: tuple[Level, ...] = Field(min_length=1)
    application_kinds: tuple[ApplicationKind, ...] = Field(min_length=1)
    eligibility: dict[Key, tuple[Key, ...]]
    cover: Cover
    form: Form
    materials: tuple[Material, ...] = Field(min_length=1)
    binding: Binding
    measurement: Measurement
    report_format: ReportFormat
    outlines: tuple[Outline, ...] = Field(min_length=1)
    commitment_letters: tuple[CommitmentLetter, ...] = Field(min_length=1)
    review: Review
    publicity: Publicity
    roles: Roles
    general_rules: dict[Key, Provenance]
    upload_limits: dict[Literal["formats", "max_size_bytes", "max_count"], Provenance]

    @model_validator(mode="before")
    @classmethod
    def _fill_campaign_placeholders(cls, data: Any) -> Any:
        """``{data_year}`` / ``{year}`` in any text become the campaign's years."""
        campaign = data.get("campaign") if isinstance(data, dict) else None
        if not isinstance(campaign, dict):
            return data
        values = {
            name: str(campaign[name])
            for name in CAMPAIGN_PLACEHOLDERS
            if isinstance(campaign.get(name), int)
        }
        return _fill_placeholders(data, values)

    @model_validator(mode="before")
    @classmethod
    def _default_material_limits(cls, data: Any) -> Any:
        """A material without its own provenance for a limit takes [upload_limits]'."""
        if not isinstance(data, dict):
            return data
        defaults = data.get("upload_limits")
        materials = data.get("materials")
        if not isinstance(defaults, dict) or not isinstance(materials, list):
            return data
        filled = []
        for material in materials:
            if isinstance(material, dict):
                limits = {**defaults, **(material.get("limits") or {})}
                material = {**material, "limits": limits}
            filled.append(material)
        return {**data, "materials": filled}

    @model_validator(mode="after")
    def _references_resolve(self) -> Scheme:
        problems = [
            *self._key_problems(),
            *self._eligibility_problems(),
            *self._form_problems(),
            *self._material_problems(),
            *self._outline_problems(),
            *self._letter_problems(),
            *self._review_problems(),
            *self._role_problems(),
            *self._general_rule_problems(),
        ]
        if problems:
            raise SchemeProblems(problems)
        return self

    # -- validation helpers (each yields (path, message)) ------------------------------------

    def _key_problems(self) -> Iterator[tuple[Path, str]]:
        collections = {
            "categories": [c.key for c in self.categories],
            "levels": [lv.key for lv in self.levels],
            "application_kinds": [k.key for k in self.application_kinds],
            "materials": [m.key for m in self.materials],
            "commitment_letters": [c.key for c in self.commitment_letters],
            "binding.parts": [p.key for p in self.binding.parts],
        }
        for name, keys in collections.items():
            for key in _duplicates(keys):
                index = keys.index(key, keys.index(key) + 1)
                yield (*name.split("."), index, "key"), f"键 {key!r} 重复"

    def _unknown(
        self, path: Path, keys: Iterable[str], known: set[str], what: str
    ) -> Iterator[tuple[Path, str]]:
        for index, key in enumerate(keys):
            if key not in known:
                yield (*path, index), f"未知的{what} {key!r}（可选：{'、'.join(sorted(known))}）"

    def _eligibility_problems(self) -> Iterator[tuple[Path, str]]:
        categories, levels = self._category_keys(), self._level_keys()
        for category, allowed in self.eligibility.items():
            if category not in categories:
                yield ("eligibility", category), f"未知的类别 {category!r}"
            yield from self._unknown(("eligibility", category), allowed, levels, "等级")
            for key in _duplicates(allowed):
                yield ("eligibility", category), f"等级 {key!r} 重复"
        for category in sorted(categories - set(self.eligibility)):
            yield ("eligibility",), f"缺少类别 {category!r} 可申请的等级"

    def _form_problems(self) -> Iterator[tuple[Path, str]]:
        categories = self._category_keys()
        sections = [s.category for s in self.form.sections]
        for index, category in enumerate(sections):
            if category not in categories:
                yield ("form", "sections", index, "category"), f"未知的类别 {category!r}"
        for category in sorted(categories - set(sections)):
            yield ("form", "sections"), f"缺少类别 {category!r} 的栏目"
        for key in _duplicates(sections):
            yield ("form", "sections"), f"类别 {key!r} 有多个栏目"
        groups: list[tuple[Path, Sequence[FormField], set[str]]] = [
            (("cover", "fields"), self.cover.fields, categories),
            (("form", "common"), self.form.common, categories),
        ]
        groups += [
            (("form", "sections", i, "fields"), s.fields, {s.category})
            for i, s in enumerate(self.form.sections)
        ]
        for path, fields, field_categories in groups:
            for index, field in enumerate(fields):
                yield from self._field_problems((*path, index), field, field_categories)

    def _field_problems(
        self, path: Path, field: FormField, field_categories: set[str]
    ) -> Iterator[tuple[Path, str]]:
        categories = self._category_keys()
        yield from self._unknown(
            (*path, "exempt_categories"), field.exempt_categories, categories, "类别"
        )
        for category in field.category_hints:
            if category not in categories:
                yield (*path, "category_hints", category), f"未知的类别 {category!r}"
        for index, rule in enumerate(field.rules):
            here = (*path, "rules", index)
            yield from self._unknown(
                (*here, "categories"), rule.categories or (), categories, "类别"
            )
            if isinstance(rule, AppearsInMaterialRule):
                known = {m.key for m in self.materials}
                yield from self._unknown((*here, "material"), (rule.material,), known, "材料")
            other = rule.other_field()
            if other is None:
                continue
            applies = field_categories & set(rule.categories or categories)
            for category in sorted(applies):
                if all(f.key != other for f in self.form.fields(category)):
                    yield (*here, "other"), f"引用的字段 {other!r} 不在 {category} 的申请表中"

    def _material_problems(self) -> Iterator[tuple[Path, str]]:
        categories, levels = self._category_keys(), self._level_keys()
        materials = {m.key for m in self.materials}
        for index, material in enumerate(self.materials):
            here: Path = ("materials", index)
            yield from self._unknown(
                (*here, "categories"), material.categories or (), categories, "类别"
            )
            yield from self._unknown((*here, "levels"), material.levels or (), levels, "等级")
            for number, rule in enumerate(material.presence):
                there = (*here, "presence", number)
                yield from self._unknown(
                    (*there, "categories"), rule.categories or (), categories, "类别"
                )
                yield from self._unknown((*there, "levels"), rule.levels or (), levels, "等级")
        for index, part in enumerate(self.binding.parts):
            here = ("binding", "parts", index, "materials")
            yield from self._unknown(here, part.materials, materials, "材料")
        for key in _duplicates(self.binding.material_keys()):
            yield ("binding", "parts"), f"材料 {key!r} 在装订顺序中出现多次"
        respondents = self.measurement.respondent_list.material
        if respondents not in materials:
            yield ("measurement", "respondent_list", "material"), f"未知的材料 {respondents!r}"
        codes = {s.code for s in self.campaign.standards}
        for name in ("standard", "model_standard"):
            code = getattr(self.measurement, name)
            if code not in codes:
                yield ("measurement", name), f"标准 {code!r} 不在 campaign.standards 中"

    def _outline_problems(self) -> Iterator[tuple[Path, str]]:
        categories = self._category_keys()
        outlined = [o.category for o in self.outlines]
        for index, outline in enumerate(self.outlines):
            here: Path = ("outlines", index)
            if outline.category not in categories:
                yield (*here, "category"), f"未知的类别 {outline.category!r}"
            for path, message in outline.numbering_problems(self.report_format.headings):
                yield here + path, message
            total = outline.budget_total()
            if total > self.report_format.max_chars:
                limit = self.report_format.max_chars
                yield (*here, "headings"), f"一级标题字数预算合计 {total}，超过全文上限 {limit}"
        for category in sorted(categories - set(outlined)):
            yield ("outlines",), f"缺少类别 {category!r} 的报告提纲"
        for key in _duplicates(outlined):
            yield ("outlines",), f"类别 {key!r} 有多个报告提纲"

    def _letter_problems(self) -> Iterator[tuple[Path, str]]:
        materials = {m.key for m in self.materials}
        style = self.report_format.heading_style(1)
        for index, letter in enumerate(self.commitment_letters):
            here: Path = ("commitment_letters", index)
            if letter.material not in materials:
                yield (*here, "material"), f"未知的材料 {letter.material!r}"
            for number, clause in enumerate(letter.clauses, start=1):
                if clause.number != style.number(number):
                    yield (
                        (*here, "clauses", number - 1, "number"),
                        f"编号应为 {style.number(number)!r}，实为 {clause.number!r}",
                    )

    def _category_keys(self) -> set[str]:
        return {c.key for c in self.categories}

    def _level_keys(self) -> set[str]:
        return {lv.key for lv in self.levels}

    def _role_problems(self) -> Iterator[tuple[Path, str]]:
        field_keys = {f.key for f in self.cover.fields + self.form.common}
        field_keys |= {f.key for s in self.form.sections for f in s.fields}
        for role, key in self.roles.fields.model_dump().items():
            if key not in field_keys:
                yield ("roles", "fields", role), f"未知的字段 {key!r}"
        material_keys = {m.key for m in self.materials}
        for role, key in self.roles.materials.model_dump().items():
            if key not in material_keys:
                yield ("roles", "materials", role), f"未知的材料 {key!r}"

    def _general_rule_problems(self) -> Iterator[tuple[Path, str]]:
        for key in GENERAL_RULES:
            if key not in self.general_rules:
                yield ("general_rules",), f"缺少规则 {key!r} 的来源（source、quote 或 reason）"
        for key in sorted(set(self.general_rules) - set(GENERAL_RULES)):
            yield ("general_rules", key), f"未知的规则 {key!r}（可选：{'、'.join(GENERAL_RULES)}）"

    # -- look-ups ----------------------------------------------------------------------------

    def _review_problems(self) -> Iterator[tuple[Path, str]]:
        levels = self._level_keys()
        for index, threshold in enumerate(self.review.thresholds):
            if threshold.level not in levels:
                yield (("review", "thresholds", index, "level"), f"未知的等级 {threshold.level!r}")

    def general_rule(self, key: str) -> Provenance:
        return self.general_rules[key]

    def proposed_level(self, applied_level: str, score: float) -> str | None:
        """The highest level not above the one applied for whose threshold ``score`` meets."""
        order = [level.key for level in self.levels]  # highest first
        minimum = {t.level: t.min_score for t in self.review.thresholds}
        for key in order[order.index(applied_level) :]:
            if key in minimum and score >= minimum[key]:
                return key
        return None

    def category(self, key: str) -> Category:
        for category in self.categories:
            if category.key == key:
                return category
        raise KeyError(f"未知的申请类别 {key!r}")

    def level(self, key: str) -> Level:
        for level in self.levels:
            if level.key == key:
                return level
        raise KeyError(f"未知的申请等级 {key!r}")

    def application_kind(self, key: str) -> ApplicationKind:
        for kind in self.application_kinds:
            if kind.key == key:
                return kind
        raise KeyError(f"未知的申请性质 {key!r}")

    def allowed_levels(self, category: str) -> tuple[Level, ...]:
        """Levels a category may apply for, highest first as listed in ``levels``."""
        allowed = set(self.eligibility[self.category(category).key])
        return tuple(level for level in self.levels if level.key in allowed)

    def is_eligible(self, category: str, level: str) -> bool:
        return level in self.eligibility.get(category, ())

    def form_fields(self, category: str) -> tuple[FormField, ...]:
        """The 申请表 fields for a category: the common ones, then the category's section."""
        return self.form.fields(self.category(category).key)

    def form_field(self, category: str, key: str) -> FormField:
        for field in self.form_fields(category):
            if field.key == key:
                return field
        raise KeyError(f"{category} 的申请表没有字段 {key!r}")

    def check_form(
        self,
        category: str,
        values: Mapping[str, Any],
        *,
        material_texts: Mapping[str, Sequence[str]] | None = None,
    ) -> list[Finding]:
        """Every required-field check and every rule of the category's form, as findings.

        Values are Python objects: ``str`` for text and choices, ``int`` / ``Decimal`` for
        numbers, ``datetime.date`` for dates, a list of ``str`` for lists and a mapping of part
        key → ``str`` for pairs. Type conversion is the caller's (the web form's) job. Only
        violations are returned; each finding's ``where`` is ``form.<field key>``.
        ``material_texts`` (material key → the text of each uploaded file, "" for a scan) lets
        rules that compare a value with an uploaded document run.
        """
        findings: list[Finding] = []
        required = self.general_rule("required_field")
        for field in self.form_fields(category):
            where = f"form.{field.key}"
            value = values.get(field.key)
            if _is_empty(value):
                if field.is_required(category) and not field.auto:
                    message = f"请填写「{field.label}」"
                    findings.append(required.violation(f"{where}.required", message, where=where))
                elif field.auto:
                    message = f"「{field.label}」（自动抓取）未能自动填出，请在单位信息中补充"
                    auto = self.general_rule("auto_field")
                    findings.append(auto.violation(f"{where}.auto", message, where=where))
                continue
            for rule in field.rules_for(category):
                code = f"{where}.{rule.kind}"
                if isinstance(rule, AppearsInMaterialRule):
                    findings += _document_findings(rule, value, material_texts, code, where)
                elif rule.violated(field, value, values):
                    findings.append(rule.violation(code, rule.message, where=where))
        return findings

    def material(self, key: str) -> Material:
        for material in self.materials:
            if material.key == key:
                return material
        raise KeyError(f"未知的材料 {key!r}")

    def materials_for(
        self, category: str, level: str, *, include_not_applicable: bool = False
    ) -> list[tuple[Material, Requirement]]:
        """Materials of an application in scheme order, each with required / optional."""
        if not self.is_eligible(self.category(category).key, self.level(level).key):
            raise ValueError(f"{self.category(category).name}不能申请{self.level(level).name}")
        pairs = [(m, m.requirement_for(category, level)) for m in self.materials]
        return [p for p in pairs if include_not_applicable or p[1] != "not_applicable"]

    def binding_order(self) -> tuple[Material, ...]:
        """Materials in the order they are bound into the application package."""
        return tuple(self.material(key) for key in self.binding.material_keys())

    def outline(self, category: str) -> Outline:
        for outline in self.outlines:
            if outline.category == category:
                return outline
        raise KeyError(f"未知的申请类别 {category!r}")

    def commitment_letter(self, key: str) -> CommitmentLetter:
        for letter in self.commitment_letters:
            if letter.key == key:
                return letter
        raise KeyError(f"未知的承诺书 {key!r}")

    def report_filename(self, enterprise_name: str, category: str) -> str:
        """The practice-report PDF's name, e.g. 用户满意经营实践报告+XX公司+企业类.pdf."""
        rule = self._report_filename_rule()
        return rule.render({"企业名称": enterprise_name, "类别名称": self.category(category).name})

    def report_filename_ok(self, filename: str, enterprise_name: str, category: str) -> bool:
        rule = self._report_filename_rule()
        values = {"企业名称": enterprise_name, "类别名称": self.category(category).name}
        return rule.accepts(filename, values)

    def _report_filename_rule(self) -> FilenameRule:
        for material in self.materials:
            if material.filename is not None and material.group == "实践报告":
                return material.filename
        raise KeyError("方案没有规定实践报告的文件名")
