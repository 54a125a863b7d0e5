"""The codebook (码本): which column is which item of which construct, and the other columns.

TOML form::

    scale = [1, 10]                       # default bounds of every item
    [respondent]                          # or 字段; all optional
    id = "问卷编号"
    date = "访问日期"
    name = "姓名"
    contact = "联系电话"
    segment = "地区"
    [construct.IMAG]                      # same shape as a model file
    items = ["imag1", "imag2", "imag3"]
    scale = [1, 10]                       # optional, for this construct's items
    [item.imag3]                          # optional, per item
    scale = [0, 5]
    label = "企业总体形象"

Table form (XLSX, one or two sheets, or CSV), one row per column of the data file, headers
列名 | 用途 | 潜变量 | 下限 | 上限 | 题目 (or column, role, construct, min, max, label);
用途 is 题项 (item, the default when 潜变量 is filled), 编号, 日期, 姓名, 联系方式 or 分组.
A second sheet with just 用途 and 列名 works too.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from manyi.measurement.errors import CodebookError, MeasurementError
from manyi.measurement.model import Bounds, Model, default_model
from manyi.measurement.tables import Source, Table, read_bytes, read_csv, xlsx_sheet_tables

ROLES = ("id", "date", "name", "contact", "segment")
ROLE_LABELS = {
    "id": "编号",
    "date": "日期",
    "name": "姓名",
    "contact": "联系方式",
    "segment": "分组",
}
ROLE_ALIASES = {
    "id": (
        "id",
        "编号",
        "问卷编号",
        "样本编号",
        "被访者编号",
        "序号",
        "respondent",
        "respondent_id",
    ),
    "date": ("date", "日期", "访问日期", "调查日期", "访问时间", "调查时间", "填写日期", "时间"),
    "name": ("name", "姓名", "名字", "被访者", "被访者姓名", "受访者姓名", "联系人"),
    "contact": ("contact", "联系方式", "电话", "联系电话", "手机", "手机号", "手机号码", "phone"),
    "segment": ("segment", "分组", "组别", "性别", "gender", "地区", "区域", "region", "客户类型"),
}
_TABLE_HEADERS = {
    "column": ("列名", "列", "column", "变量", "变量名"),
    "role": ("用途", "类型", "role"),
    "construct": ("潜变量", "维度", "construct", "latent"),
    "min": ("下限", "最小值", "min"),
    "max": ("上限", "最大值", "max"),
    "label": ("题目", "题项内容", "label", "说明"),
}
_ITEM_ROLE = ("item", "题项", "")


@dataclass(frozen=True)
class ItemSpec:
    column: str
    construct: str
    bounds: Bounds | None = None
    label: str | None = None


@dataclass(frozen=True)
class Codebook:
    items: tuple[ItemSpec, ...]
    roles: Mapping[str, str] = field(default_factory=dict)  # role → column
    scale: Bounds | None = None

    @property
    def id_column(self) -> str | None:
        return self.roles.get("id")

    @property
    def date_column(self) -> str | None:
        return self.roles.get("date")

    @property
    def name_column(self) -> str | None:
        return self.roles.get("name")

    @property
    def contact_column(self) -> str | None:
        return self.roles.get("contact")

    @property
    def segment_column(self) -> str | None:
        return self.roles.get("segment")

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(i.column for i in self.items)

    def constructs(self) -> dict[str, list[str]]:
        """Construct name → its item columns, in codebook order."""
        groups: dict[str, list[str]] = {}
        for item in self.items:
            groups.setdefault(item.construct, []).append(item.column)
        return groups

    def bounds(self) -> dict[str, Bounds]:
        """Item → bounds, for the items whose bounds are known."""
        result: dict[str, Bounds] = {}
        for item in self.items:
            bounds = item.bounds or self.scale
            if bounds is not None:
                result[item.column] = bounds
        return result

    def item(self, column: str) -> ItemSpec:
        for item in self.items:
            if item.column == column:
                return item
        raise KeyError(column)

    def bind(self, model: Model) -> Model:
        """``model`` with its constructs' items and bounds taken from this codebook."""
        known = {name for c in model.constructs for name in c.names()}
        unknown = [name for name in self.constructs() if name.casefold() not in known]
        if unknown:
            raise CodebookError(
                "码本中的潜变量在模型中找不到："
                + "、".join(unknown)
                + "（模型的潜变量："
                + "、".join(f"{c.key}（{c.label}）" for c in model.constructs)
                + "）。请改用模型中的名称，或用 --model 指定包含它们的模型"
            )
        return model.with_items(self.constructs(), self.bounds())


# ---------------------------------------------------------------------------------------------
# Loading


def load_codebook(source: Source, filename: str | None = None) -> Codebook:
    """A codebook from a TOML, XLSX or CSV file (path or bytes)."""
    content, name = read_bytes(source, filename)
    suffix = PurePath(name).suffix.lower()
    try:
        if suffix == ".toml":
            return parse_codebook_toml(content.decode("utf-8-sig"), name)
        if suffix in (".xlsx", ".xlsm") or content[:4] == b"PK\x03\x04":
            return codebook_from_tables(xlsx_sheet_tables(content, name), name)
        if suffix in (".csv", ".txt"):
            return codebook_from_tables([read_csv(content, name)], name)
        return parse_codebook_toml(content.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        raise CodebookError(f"码本 {name} 不是 UTF-8 编码的 TOML 文本") from None
    except CodebookError:
        raise
    except MeasurementError as exc:
        raise CodebookError(f"码本无法读取：{exc}") from None


def parse_codebook_toml(text: str, filename: str = "<码本>") -> Codebook:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CodebookError(f"码本 {filename} 不是有效的 TOML：{exc}") from None
    except RecursionError:
        raise CodebookError(f"码本 {filename} 的数组或表嵌套层次过深，无法读取") from None
    return codebook_from_dict(data, filename)


def codebook_from_dict(data: Mapping[str, Any], filename: str = "<码本>") -> Codebook:
    where = f"码本 {filename}"
    scale = _bounds(data.get("scale"), f"{where} 的 scale")
    roles = _roles(data.get("respondent", data.get("字段", {})), where)
    per_item = data.get("item", {})
    if not isinstance(per_item, Mapping):
        raise CodebookError(f"{where}：[item] 应为表，如 [item.imag1] scale = [0, 10]")
    table = data.get("construct", data.get("constructs"))
    if not isinstance(table, Mapping) or not table:
        raise CodebookError(f"{where} 没有 [construct.名称] 表：请为每个潜变量列出它的题项列")
    items: list[ItemSpec] = []
    for construct, spec in table.items():
        if not isinstance(spec, Mapping) or not isinstance(spec.get("items"), list):
            raise CodebookError(f'{where}：[construct.{construct}] 须有 items = ["列名", ...]')
        construct_scale = _bounds(spec.get("scale"), f"{where}：{construct} 的 scale")
        for column in spec["items"]:
            extra = per_item.get(column, {})
            bounds = _bounds(extra.get("scale"), f"{where}：题项 {column} 的 scale")
            label = extra.get("label")
            items.append(ItemSpec(str(column), construct, bounds or construct_scale, label))
    return _checked(Codebook(tuple(items), roles, scale), where)


def _roles(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise CodebookError(f'{where}：[respondent] 应为表，如 id = "问卷编号"')
    roles: dict[str, str] = {}
    for key, column in value.items():
        role = _role(str(key))
        if role is None:
            raise CodebookError(
                f"{where}：[respondent] 的 {key} 不认识（可用：{'、'.join(ROLES)}）"
            )
        if not isinstance(column, str) or not column.strip():
            raise CodebookError(f"{where}：[respondent] 的 {key} 应为列名")
        roles[role] = column.strip()
    return roles


def _role(text: str) -> str | None:
    folded = text.strip().casefold()
    for role in ROLES:
        if folded == role or folded == ROLE_LABELS[role] or folded in ROLE_ALIASES[role]:
            return role
    return None


def codebook_from_tables(tables: Sequence[Table], filename: str) -> Codebook:
    where = f"码本 {filename}"
    items: list[ItemSpec] = []
    roles: dict[str, str] = {}
    for table in tables:
        columns = _table_columns(table, where)
        for values, number in zip(table.rows, table.row_numbers, strict=True):
            record = {key: values[i] for key, i in columns.items()}
            _table_record(record, number, table, where, items, roles)
    if not items:
        raise CodebookError(f"{where} 没有任何题项行：请填写「列名」和「潜变量」")
    return _checked(Codebook(tuple(items), roles, None), where)


def _table_columns(table: Table, where: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, title in enumerate(table.header):
        for key, names in _TABLE_HEADERS.items():
            if title.strip().casefold() in names:
                columns[key] = index
    if "column" not in columns:
        raise CodebookError(
            f"{where} 的工作表「{table.sheet or '表'}」缺少「列名」列"
            "（表头应为 列名、用途、潜变量、下限、上限、题目）"
        )
    return columns


def _table_record(
    record: Mapping[str, Any],
    number: int,
    table: Table,
    where: str,
    items: list[ItemSpec],
    roles: dict[str, str],
) -> None:
    column = _cell_text(record.get("column"))
    if not column:
        return
    role_text = _cell_text(record.get("role")).casefold()
    construct = _cell_text(record.get("construct"))
    if role_text in _ITEM_ROLE and construct:
        bounds = _table_bounds(record, f"{where} 第 {number} 行（{column}）")
        label = _cell_text(record.get("label")) or None
        items.append(ItemSpec(column, construct, bounds, label))
        return
    role = _role(role_text) if role_text else None
    if role is None:
        raise CodebookError(
            f"{where} 第 {number} 行（{column}）：用途「{record.get('role') or '（空）'}」不认识，"
            "应为 题项、编号、日期、姓名、联系方式 或 分组；题项须填写潜变量"
        )
    roles[role] = column


def _table_bounds(record: Mapping[str, Any], what: str) -> Bounds | None:
    low, high = record.get("min"), record.get("max")
    if low in (None, "") and high in (None, ""):
        return None
    try:
        bounds = float(low), float(high)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CodebookError(f"{what}：下限、上限应为数字，实为「{low}」「{high}」") from None
    if bounds[0] >= bounds[1]:
        raise CodebookError(f"{what}：下限 {bounds[0]:g} 应小于上限 {bounds[1]:g}")
    return bounds


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _bounds(value: Any, what: str) -> Bounds | None:
    if value is None:
        return None
    ok = isinstance(value, list) and len(value) == 2
    ok = ok and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    if not ok or value[0] >= value[1]:
        raise CodebookError(f"{what} 应为 [下限, 上限]，且下限小于上限，例如 [1, 10]")
    return float(value[0]), float(value[1])


def _checked(codebook: Codebook, where: str) -> Codebook:
    seen: set[str] = set()
    for item in codebook.items:
        if item.column in seen:
            raise CodebookError(
                f"{where}：列「{item.column}」被列了两次，每个题项只能属于一个潜变量"
            )
        seen.add(item.column)
    for role, column in codebook.roles.items():
        if column in seen:
            raise CodebookError(f"{where}：列「{column}」既是题项又是{ROLE_LABELS[role]}列")
    return codebook


# ---------------------------------------------------------------------------------------------
# Suggestion from column names

_ITEM_TAIL = re.compile(r"^[\s_\-.:：、（(]*[0-9]+[)）]?$")


def suggest_codebook(
    columns: Iterable[str], model: Model | None = None, scale: Bounds | None = None
) -> Codebook:
    """Propose a codebook from column names: imag1..5 → IMAG, 品牌形象1 → IMAG, 编号 → id …

    Items are columns whose name is a construct's key, label or alias followed by a number
    (the longest matching prefix wins); role columns are recognised by their usual names.
    """
    model = model or default_model()
    prefixes = sorted(
        ((name, c.key) for c in model.constructs for name in c.names()),
        key=lambda pair: -len(pair[0]),
    )
    items: list[ItemSpec] = []
    roles: dict[str, str] = {}
    for column in columns:
        folded = _fold(column)
        construct = _match_prefix(folded, prefixes)
        if construct is not None:
            items.append(ItemSpec(column, construct, None, None))
            continue
        role = _role(folded)
        if role is not None and role not in roles:
            roles[role] = column
    return Codebook(tuple(items), roles, scale)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def _match_prefix(folded: str, prefixes: Sequence[tuple[str, str]]) -> str | None:
    for prefix, key in prefixes:
        if folded.startswith(prefix) and _ITEM_TAIL.match(folded[len(prefix) :]):
            return key
    return None
