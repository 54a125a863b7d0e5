"""《统计上大中小微型企业划分办法（2017）》: 大型/中型/小型/微型 from industry and indicators.

The table is data (``data/size_classes_2017.json``), validated when loaded. Rule of the 办法:
大型、中型和小型须同时满足所列指标的下限，否则下划一档；微型只须满足所列指标中的一项 — so the
class is the lowest band any required indicator falls into. Bounds are lower-inclusive.

Industries the 办法 does not cover (金融业, 铁路运输, 教育, 卫生, 公共管理, 国际组织 …) are
returned as *not classified* with the reason; nothing is guessed. A code too coarse to pick one
row (``"70"``: 7010 and 702 have their own rows) raises :class:`AmbiguousIndustryError` listing
the finer codes to choose from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from manyi.orgs import industries
from manyi.orgs.industries import Industry, UnknownIndustryError

DATA_FILE = "size_classes_2017.json"

LARGE, MEDIUM, SMALL, MICRO = "大型", "中型", "小型", "微型"
SIZES = (LARGE, MEDIUM, SMALL, MICRO)
# Bound keys in the data file, from the top band down.
LEVELS = (("large", LARGE), ("medium", MEDIUM), ("small", SMALL))
INDICATOR_KEYS = ("employees", "revenue", "assets")

Number = Decimal | int


class SizeDataError(ValueError):
    """The size-class data file is malformed; names the file, the key and the problem."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        self.path, self.key, self.problem = path, key, problem
        super().__init__(f"规模划分数据文件 {path} 有误：{key}：{problem}")


class SizeInputError(ValueError):
    """The caller's input cannot be classified (negative number, missing indicator …)."""


class MissingIndicatorError(SizeInputError):
    def __init__(self, message: str, indicators: list[str]) -> None:
        super().__init__(message)
        self.indicators = indicators


class AmbiguousIndustryError(SizeInputError):
    """The code covers finer codes that use different rows; ``options`` maps them to rows."""

    def __init__(self, message: str, options: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.options = options


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    symbol: str
    unit: str


@dataclass(frozen=True)
class Row:
    """One row of the 办法's table: the industries it covers and the lower bound per band."""

    key: str
    name: str
    industries: tuple[str, ...]
    bounds: dict[str, dict[str, Number]]  # indicator key → {"large"|"medium"|"small": bound}
    comment: str | None = None

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(self.bounds)


@dataclass(frozen=True)
class Exclusion:
    """Industries the 办法 does not classify, with the reason shown to the user."""

    key: str
    name: str
    industries: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class SizeRules:
    source: str
    path: str
    indicators: dict[str, Indicator]
    rows: tuple[Row, ...]
    exclusions: tuple[Exclusion, ...]
    by_code: dict[str, Row | Exclusion] = field(repr=False)


@dataclass(frozen=True)
class SizeResult:
    """Outcome of :func:`classify`. ``size`` is None when the industry is not classified."""

    size: str | None
    classified: bool
    rule: str
    industry_row: str
    reason: str | None
    indicators_used: dict[str, Number]
    industry_code: str = ""
    industry_name: str = ""
    row_key: str = ""
    explanation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "classified": self.classified,
            "rule": self.rule,
            "industry_row": self.industry_row,
            "reason": self.reason,
            "indicators_used": {k: _json_number(v) for k, v in self.indicators_used.items()},
            "industry_code": self.industry_code,
            "industry_name": self.industry_name,
            "row_key": self.row_key,
            "explanation": self.explanation,
        }


# ---------------------------------------------------------------------------- classification


def classify(
    industry: str,
    *,
    employees: int | str | None = None,
    revenue: Decimal | int | str | None = None,
    assets: Decimal | int | str | None = None,
    rules: SizeRules | None = None,
) -> SizeResult:
    """Size class of an enterprise. Revenue and assets in 万元, employees in persons.

    Numbers may also be given as strings (form input). Indicators the row does not use are
    ignored.

    Raises :class:`UnknownIndustryError` or :class:`SizeInputError` (both ``ValueError``) for
    input that cannot be classified.
    """
    rules = rules or default_rules()
    values = _checked_values(employees=employees, revenue=revenue, assets=assets)
    found = industries.lookup(industry)
    entry = rule_for(found, rules)
    if isinstance(entry, Exclusion):
        return SizeResult(
            size=None,
            classified=False,
            rule=f"{entry.name}（{_codes(entry.industries)}）：不适用本办法",
            industry_row=entry.name,
            reason=entry.reason,
            indicators_used={},
            industry_code=found.code,
            industry_name=found.label,
            row_key=entry.key,
        )
    used = _required_values(entry, values, rules)
    size, explanation = _grade(entry, used, rules)
    return SizeResult(
        size=size,
        classified=True,
        rule=describe_row(entry, rules),
        industry_row=entry.name,
        reason=None,
        indicators_used=used,
        industry_code=found.code,
        industry_name=found.label,
        row_key=entry.key,
        explanation=explanation,
    )


def rule_for(industry: Industry | str, rules: SizeRules | None = None) -> Row | Exclusion:
    """The row (or exclusion) that applies; the most specific code in the data wins."""
    rules = rules or default_rules()
    found = industry if isinstance(industry, Industry) else industries.lookup(industry)
    outcomes = _outcomes(found, rules)
    if len(outcomes) == 1 and outcomes[0] is not None:
        return outcomes[0]
    if None in outcomes and len(outcomes) == 1:
        raise SizeInputError(f"{found.label} 没有对应的划分标准（数据缺口，请联系管理员）。")
    raise _ambiguous(found, rules)


def describe_row(row: Row, rules: SizeRules | None = None) -> str:
    """Human-readable row with its bounds, e.g. for the form's help text."""
    rules = rules or default_rules()
    parts = []
    for key, bounds in row.bounds.items():
        ind = rules.indicators[key]
        levels = "、".join(f"{label}≥{_fmt(bounds[level])}" for level, label in LEVELS)
        parts.append(f"{ind.name}（{ind.symbol}，{ind.unit}）{levels}，低于小型下限为微型")
    text = f"{row.name}（{_codes(row.industries)}）：" + "；".join(parts) + "。"
    if len(row.bounds) > 1:
        text += "大型、中型和小型须同时满足所列指标的下限，否则下划一档。"
    return text


def _checked_values(**raw: Any) -> dict[str, Number | None]:
    values: dict[str, Number | None] = {}
    for key, value in raw.items():
        if value is None:
            values[key] = None
        elif key == "employees":
            values[key] = _non_negative_int(value)
        else:
            values[key] = _non_negative_decimal(key, value)
    return values


def _non_negative_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise SizeInputError(f"从业人员应为不小于0的整数（人），收到「{value}」。")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        raise SizeInputError(f"从业人员应为不小于0的整数（人），收到「{value}」。")
    return int(number)


def _non_negative_decimal(key: str, value: Any) -> Decimal:
    name = {"revenue": "营业收入", "assets": "资产总额"}[key]
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, bool) else Decimal("NaN")
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        raise SizeInputError(f"{name}应为不小于0的数（单位：万元），收到「{value}」。")
    return number


def _required_values(
    row: Row, values: dict[str, Number | None], rules: SizeRules
) -> dict[str, Number]:
    missing = [key for key in row.indicators if values.get(key) is None]
    if missing:
        needed = "、".join(_indicator_label(k, rules) for k in row.indicators)
        absent = "、".join(_indicator_label(k, rules) for k in missing)
        raise MissingIndicatorError(
            f"{row.name}按{needed}划分，缺少：{absent}。",
            [rules.indicators[k].name for k in missing],
        )
    return {key: values[key] for key in row.indicators}  # type: ignore[misc]


def _grade(row: Row, used: dict[str, Number], rules: SizeRules) -> tuple[str, str]:
    bands = {key: _band(value, row.bounds[key]) for key, value in used.items()}
    # "同时满足…否则下划一档": the weakest indicator decides.
    size = max(bands.values(), key=SIZES.index)
    notes = []
    for key, value in used.items():
        ind = rules.indicators[key]
        bound = _band_bound(row, key, bands[key])
        notes.append(f"{ind.name} {_fmt(value)} {ind.unit}：{bands[key]}档{bound}")
    text = "；".join(notes)
    if len(used) > 1 and len(set(bands.values())) > 1:
        text += f"。各指标须同时达到下限，按最低一档定为{size}"
    return size, text + "。"


def _band(value: Number, bounds: dict[str, Number]) -> str:
    for level, label in LEVELS:
        if value >= bounds[level]:
            return label
    return MICRO


def _band_bound(row: Row, key: str, band: str) -> str:
    if band == MICRO:
        return f"（低于小型下限 {_fmt(row.bounds[key]['small'])}）"
    level = next(level for level, label in LEVELS if label == band)
    return f"（≥{_fmt(row.bounds[key][level])}）"


def _outcomes(found: Industry, rules: SizeRules) -> list[Row | Exclusion | None]:
    """Distinct rows reached from this code: one if it is precise enough, several if not."""
    finer = [code for code in rules.by_code if found.code in _path(code)[1:]]
    if not finer:
        own = next((rules.by_code[c] for c in found.path if c in rules.by_code), None)
        return [own]
    result: list[Row | Exclusion | None] = []
    for child in industries.children(found.code):
        for outcome in _outcomes(child, rules):
            if outcome not in result:
                result.append(outcome)
    return result


@cache
def _path(code: str) -> tuple[str, ...]:
    return industries.lookup(code).path


def _ambiguous(found: Industry, rules: SizeRules) -> AmbiguousIndustryError:
    kids = industries.children(found.code)
    if len(kids) == 1:  # e.g. K has only 70: list 70's groups instead
        return _ambiguous(kids[0], rules)
    options: list[tuple[str, str]] = []
    for child in kids:
        outcomes = _outcomes(child, rules)
        if len(outcomes) == 1 and outcomes[0] is not None:
            entry = outcomes[0]
            target = entry.name if isinstance(entry, Row) else f"{entry.name}，不适用本办法"
        else:
            target = "需再细分到中类或小类"
        options.append((child.code, f"{child.label} → {target}"))
    listed = "；".join(text for _, text in options)
    return AmbiguousIndustryError(
        f"{found.label} 之下不同行业适用不同的划分标准，请填写更具体的行业代码：{listed}。",
        options,
    )


def _indicator_label(key: str, rules: SizeRules) -> str:
    ind = rules.indicators[key]
    return f"{ind.name}（{ind.unit}）"


def _codes(codes: tuple[str, ...]) -> str:
    return "、".join(codes)


def _fmt(value: Number) -> str:
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def _json_number(value: Number) -> int | str:
    # Decimals stay exact as strings; employees are plain ints.
    return value if isinstance(value, int) else _fmt(value)


# ---------------------------------------------------------------------------- loading


@cache
def default_rules() -> SizeRules:
    """The packaged 2017 table (loaded and validated once)."""
    resource = resources.files("manyi.orgs").joinpath("data", DATA_FILE)
    return _parse(resource.read_text("utf-8"), str(resource))


def load_rules(path: str | Path) -> SizeRules:
    """Load and validate a size-class data file (e.g. a corrected copy)."""
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise SizeDataError(str(path), "（文件）", f"无法读取：{exc.strerror or exc}") from exc
    return _parse(text, str(path))


def _parse(text: str, path: str) -> SizeRules:
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise SizeDataError(
            path, f"第{exc.lineno}行第{exc.colno}列", f"不是合法的 JSON：{exc.msg}"
        ) from exc
    return _Loader(path).build(data)


class _Loader:
    """Turns the parsed JSON into :class:`SizeRules`, failing with file, key and problem."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.keys: set[str] = set()
        self.owner: dict[str, str] = {}  # industry code → name of the row that claimed it

    def fail(self, key: str, problem: str) -> SizeDataError:
        return SizeDataError(self.path, key, problem)

    def build(self, data: Any) -> SizeRules:
        if not isinstance(data, dict):
            raise self.fail("（顶层）", "应为 JSON 对象")
        indicators = self.indicators(data.get("indicators"))
        rows = tuple(self.row(i, raw, indicators) for i, raw in enumerate(self.items(data, "rows")))
        exclusions = tuple(
            self.exclusion(i, raw) for i, raw in enumerate(self.items(data, "not_classified"))
        )
        by_code: dict[str, Row | Exclusion] = {
            code: entry for entry in (*rows, *exclusions) for code in entry.industries
        }
        rules = SizeRules(
            source=str(data.get("source", "")),
            path=self.path,
            indicators=indicators,
            rows=rows,
            exclusions=exclusions,
            by_code=by_code,
        )
        self.check_coverage(rules)
        return rules

    def items(self, data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key)
        if not isinstance(value, list):
            raise self.fail(key, "缺少或不是列表")
        if key == "rows" and not value:
            raise self.fail(key, "不能为空")
        return value

    def indicators(self, raw: Any) -> dict[str, Indicator]:
        if not isinstance(raw, dict) or not raw:
            raise self.fail("indicators", "缺少指标定义（employees、revenue、assets）")
        result = {}
        for key, spec in raw.items():
            if key not in INDICATOR_KEYS:
                known = "、".join(INDICATOR_KEYS)
                raise self.fail(f"indicators.{key}", f"未知指标，只能是 {known}")
            for attr in ("name", "symbol", "unit"):
                if not isinstance(spec, dict) or not isinstance(spec.get(attr), str):
                    raise self.fail(f"indicators.{key}.{attr}", "缺少或不是字符串")
            result[key] = Indicator(key, spec["name"], spec["symbol"], spec["unit"])
        return result

    def row(self, index: int, raw: Any, indicators: dict[str, Indicator]) -> Row:
        where = self.where("rows", index, raw)
        key, name = self.identity(where, raw)
        bounds_raw = raw.get("bounds")
        if not isinstance(bounds_raw, dict) or not bounds_raw:
            raise self.fail(f"{where}.bounds", "缺少指标下限")
        bounds = {
            ind: self.bounds(f"{where}.bounds.{ind}", ind, values, indicators)
            for ind, values in bounds_raw.items()
        }
        return Row(key, name, self.codes(where, raw, name), bounds, raw.get("comment"))

    def exclusion(self, index: int, raw: Any) -> Exclusion:
        where = self.where("not_classified", index, raw)
        key, name = self.identity(where, raw)
        reason = raw.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise self.fail(f"{where}.reason", "缺少不予划分的原因")
        return Exclusion(key, name, self.codes(where, raw, name), reason)

    @staticmethod
    def where(section: str, index: int, raw: Any) -> str:
        key = raw.get("key") if isinstance(raw, dict) else None
        return f"{section}[{key}]" if isinstance(key, str) and key else f"{section}[{index}]"

    def identity(self, where: str, raw: Any) -> tuple[str, str]:
        if not isinstance(raw, dict):
            raise self.fail(where, "应为 JSON 对象")
        key, name = raw.get("key"), raw.get("name")
        if not isinstance(key, str) or not key:
            raise self.fail(f"{where}.key", "缺少或不是字符串")
        if key in self.keys:
            raise self.fail(f"{where}.key", f"「{key}」重复")
        if not isinstance(name, str) or not name:
            raise self.fail(f"{where}.name", "缺少或不是字符串")
        self.keys.add(key)
        return key, name

    def bounds(
        self, where: str, indicator: str, raw: Any, indicators: dict[str, Indicator]
    ) -> dict[str, Number]:
        if indicator not in indicators:
            known = "、".join(indicators)
            raise self.fail(where, f"未知指标「{indicator}」，已定义的有 {known}")
        if not isinstance(raw, dict) or set(raw) != {level for level, _ in LEVELS}:
            raise self.fail(where, "应恰好给出 large、medium、small 三个下限")
        for level, _ in LEVELS:
            value = raw[level]
            if isinstance(value, bool) or not isinstance(value, int | Decimal) or value <= 0:
                raise self.fail(f"{where}.{level}", f"下限应为正数，现在是「{value}」")
        if not raw["large"] >= raw["medium"] >= raw["small"]:
            raise self.fail(
                where,
                "下限应从大到小排列（large ≥ medium ≥ small），现在是 "
                f"{raw['large']} / {raw['medium']} / {raw['small']}",
            )
        return {level: raw[level] for level, _ in LEVELS}

    def codes(self, where: str, raw: dict[str, Any], name: str) -> tuple[str, ...]:
        codes = raw.get("industries")
        if not isinstance(codes, list) or not codes:
            raise self.fail(f"{where}.industries", "缺少适用的行业代码列表")
        for code in codes:
            self.code(f"{where}.industries", code, name)
        return tuple(codes)

    def code(self, where: str, code: Any, name: str) -> None:
        try:
            found = industries.lookup(code) if isinstance(code, str) else None
        except UnknownIndustryError as exc:
            raise self.fail(where, str(exc)) from exc
        if found is None or found.code != code:
            raise self.fail(where, f"行业代码「{code}」应写成标准形式（门类字母或 2–4 位数字）")
        if found.level in ("group", "class") and not industries.lists_groups(found.division or ""):
            problem = f"{code}：行业表未列出大类 {found.division} 的全部中类，无法按中类细分"
            raise self.fail(where, problem)
        if code in self.owner:
            raise self.fail(where, f"行业代码「{code}」已出现在「{self.owner[code]}」中")
        self.owner[code] = name

    def check_coverage(self, rules: SizeRules) -> None:
        for division in industries.divisions():
            if None in _outcomes(industries.lookup(division.code), rules):
                raise self.fail(
                    "rows / not_classified",
                    f"大类 {division.code} {division.name} 既没有划分行也没有不适用说明",
                )
