"""The codebook (码本): which column is which item of which construct, and the other columns.

TOML form::

    scale = [1, 10]                       # default bounds of every item
    missing = [-3]                        # optional: codes that mean "no answer"
    [respondent]                          # or 字段; all optional
    id = "问卷编号"
    date = "访问日期"
    name = "姓名"
    contact = "联系电话"
    segment = "地区"
    [labels.服务评价]                     # optional: answer labels beyond the built-in sets
    "很好" = 5
    "较好" = 4
    [item.q3]                             # an item by its id; all keys optional
    column = "3、您对售后服务的评价"      # the column header (default: the id)
    construct = "感知质量"
    scale = [1, 5]
    labels = "服务评价"                   # or a built-in set, e.g. "satisfaction5"
    reverse = true                        # reverse-worded: lo + hi − x before anything else
    label = "售后服务"                    # the wording, for reports
    [construct.IMAG]                      # same shape as a model file
    items = ["imag1", "imag2", "imag3"]   # ids or column headers
    scale = [1, 10]                       # optional, for this construct's items
    reverse = ["imag3"]                   # optional

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
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

from manyi.measurement.errors import CodebookError, MeasurementError
from manyi.measurement.labels import BUILT_IN_BY_NAME, LabelSet, custom_label_set
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
        "答卷编号",
        "答卷序号",
        "样本号",
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
    "id": ("题项编号", "题号", "id"),
    "labels": ("标签", "标签集", "labels"),
    "reverse": ("反向", "反向计分", "reverse"),
}
_TRUE = ("是", "true", "yes", "1", "y", "√", "反向")
_ITEM_ROLE = ("item", "题项", "")


@dataclass(frozen=True)
class ItemSpec:
    """One item: its column in the data and, when assigned, its construct."""

    column: str
    construct: str | None
    bounds: Bounds | None = None
    label: str | None = None  # the question's wording
    id: str = ""  # the codebook's id of the item; its column when empty
    labels: str | None = None  # name of its answer label set
    reverse: bool = False  # reverse-worded: lo + hi − x before anything is computed

    @property
    def key(self) -> str:
        return self.id or self.column


@dataclass(frozen=True)
class Codebook:
    items: tuple[ItemSpec, ...]
    roles: Mapping[str, str] = field(default_factory=dict)  # role → column
    scale: Bounds | None = None
    label_sets: Mapping[str, LabelSet] = field(default_factory=dict)  # the [labels] tables
    missing: tuple[float, ...] = ()  # numeric codes meaning "no answer" (e.g. 问卷星 −3)
    source: str = ""  # the survey service whose export this describes, when known

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

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.items)

    def constructs(self) -> dict[str, list[str]]:
        """Construct name → its items' keys, in codebook order (assigned items only)."""
        groups: dict[str, list[str]] = {}
        for item in self.items:
            if item.construct:
                groups.setdefault(item.construct, []).append(item.key)
        return groups

    def label_set(self, item: ItemSpec) -> LabelSet | None:
        if item.labels is None:
            return None
        found = self.label_sets.get(item.labels) or BUILT_IN_BY_NAME.get(item.labels)
        if found is None:
            known = "、".join([*self.label_sets, *BUILT_IN_BY_NAME])
            raise CodebookError(
                f"题项「{item.key}」的标签集「{item.labels}」不存在（可用：{known}）；"
                "自定义的标签请写在 [labels] 表中"
            )
        return found

    def item_bounds(self, item: ItemSpec) -> Bounds | None:
        """The item's own bounds, else its label set's, else the codebook's default."""
        if item.bounds is not None:
            return item.bounds
        labels = self.label_set(item)
        return labels.bounds if labels is not None else self.scale

    def bounds(self) -> dict[str, Bounds]:
        """Item key → bounds, for the items whose bounds are known."""
        result: dict[str, Bounds] = {}
        for item in self.items:
            bounds = self.item_bounds(item)
            if bounds is not None:
                result[item.key] = bounds
        return result

    def find(self, name: str) -> ItemSpec | None:
        """The item a name means: its id, else its column header exactly, else as a reader
        would compare them (full/half width and spaces ignored)."""
        for item in self.items:
            if item.key == name:
                return item
        for item in self.items:
            if item.column == name:
                return item
        folded = _fold_header(name)
        matches = [item for item in self.items if _fold_header(item.column) == folded]
        return matches[0] if len(matches) == 1 else None

    def item(self, name: str) -> ItemSpec:
        found = self.find(name)
        if found is None:
            raise KeyError(name)
        return found

    def resolve(self, name: str, where: str) -> ItemSpec:
        found = self.find(name)
        if found is None:
            shown = "、".join(
                f"{i.key}（{i.column}）" if i.id else i.column for i in self.items[:12]
            )
            more = " 等" if len(self.items) > 12 else ""
            raise CodebookError(
                f"{where}中的题项「{name}」在码本和数据中找不到：题项可写码本中的编号或数据中"
                f"完整的列名。现有题项：{shown}{more}"
            )
        return found

    def with_reverse(self, names: Iterable[str], where: str = "模型") -> Codebook:
        """A copy in which the items ``names`` (ids or headers) are reverse-worded."""
        keys = {self.resolve(name, where).key for name in names}
        if not keys:
            return self
        items = tuple(replace(i, reverse=True) if i.key in keys else i for i in self.items)
        return replace(self, items=items)

    def bind(self, model: Model) -> Model:
        """``model`` with its constructs' items and bounds taken from this codebook.

        A model that lists items may name them by codebook id or by column header; its
        constructs without items take the codebook's assignment.
        """
        assigned: dict[str, list[str]] = {}
        for construct in model.constructs:
            if construct.items:
                where = f"模型的潜变量「{construct.label}」"
                assigned[construct.key] = [self.resolve(n, where).key for n in construct.items]
        listed = {key for keys in assigned.values() for key in keys}
        known = {name for c in model.constructs for name in c.names()}
        unknown = [name for name in self.constructs() if name.casefold() not in known]
        if unknown and not model.items:
            raise CodebookError(
                "码本中的潜变量在模型中找不到："
                + "、".join(unknown)
                + "（模型的潜变量："
                + "、".join(f"{c.key}（{c.label}）" for c in model.constructs)
                + "）。请改用模型中的名称，或用 --model 指定包含它们的模型"
            )
        for name, keys in self.constructs().items():
            if name.casefold() not in known:
                continue
            key = model.construct(name).key
            if key not in assigned or not model.construct(key).items:
                kept = [k for k in keys if k not in listed]
                if kept:
                    assigned.setdefault(key, []).extend(kept)
        return model.with_items(assigned, self.bounds())


def _fold_header(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()


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
    known = {"scale", "missing", "source", "respondent", "字段", "labels", "item", "construct"}
    unknown = sorted(set(data) - known - {"constructs"})
    if unknown:
        raise CodebookError(f"{where} 有不认识的键：{'、'.join(unknown)}")
    scale = _bounds(data.get("scale"), f"{where} 的 scale")
    roles = _roles(data.get("respondent", data.get("字段", {})), where)
    label_sets = _label_sets(data.get("labels", {}), where)
    per_item = data.get("item", {})
    if not isinstance(per_item, Mapping):
        raise CodebookError(f'{where}：[item] 应为表，如 [item.q1] column = "1、题目"')
    table = data.get("construct", data.get("constructs", {}))
    if not isinstance(table, Mapping):
        raise CodebookError(f'{where}：[construct] 应为表，如 [construct.IMAG] items = ["q1"]')
    items = {key: _item_entry(str(key), spec, where) for key, spec in per_item.items()}
    order = list(items)
    for construct, spec in table.items():
        _construct_entry(str(construct), spec, where, items, order)
    if not items:
        raise CodebookError(
            f"{where} 没有题项：请用 [item.编号] 或 [construct.名称] items = [...] 列出题项列"
        )
    codebook = Codebook(
        tuple(items[key] for key in order),
        roles,
        scale,
        label_sets,
        _missing_codes(data.get("missing", []), where),
        str(data.get("source", "")),
    )
    return _checked(codebook, where)


_ITEM_KEYS = {"column", "construct", "scale", "labels", "reverse", "label"}


def _item_entry(key: str, spec: Any, where: str) -> ItemSpec:
    here = f"{where}：[item.{key}]"
    if not isinstance(spec, Mapping):
        raise CodebookError(f"{here} 应为表")
    unknown = sorted(set(spec) - _ITEM_KEYS)
    if unknown:
        raise CodebookError(
            f"{here} 有不认识的键：{'、'.join(unknown)}（可用：{'、'.join(_ITEM_KEYS)}）"
        )
    column = _text(spec.get("column", key), f"{here} 的 column")
    construct = spec.get("construct")
    if construct is not None:
        construct = _text(construct, f"{here} 的 construct")
    reverse = spec.get("reverse", False)
    if not isinstance(reverse, bool):
        raise CodebookError(f"{here} 的 reverse 应为 true 或 false")
    labels = spec.get("labels")
    if labels is not None:
        labels = _text(labels, f"{here} 的 labels")
    label = spec.get("label")
    return ItemSpec(
        column=column,
        construct=construct or None,
        bounds=_bounds(spec.get("scale"), f"{here} 的 scale"),
        label=str(label) if label is not None else None,
        id=key if key != column else "",
        labels=labels,
        reverse=reverse,
    )


def _construct_entry(
    construct: str, spec: Any, where: str, items: dict[str, ItemSpec], order: list[str]
) -> None:
    here = f"{where}：[construct.{construct}]"
    if not isinstance(spec, Mapping) or not isinstance(spec.get("items", []), list):
        raise CodebookError(f'{here} 须写成 items = ["编号或列名", ...]')
    scale = _bounds(spec.get("scale"), f"{where}：{construct} 的 scale")
    reverse = spec.get("reverse", [])
    if not isinstance(reverse, list) or not all(isinstance(r, str) for r in reverse):
        raise CodebookError(f'{here} 的 reverse 应为题项列表，如 reverse = ["q3"]')
    members: list[str] = []
    for name in spec.get("items", []):
        name = _text(name, f"{here} 的 items")
        key = _entry_key(name, items)
        if key is None:
            items[name] = ItemSpec(name, construct, scale)
            order.append(name)
            key = name
        else:
            current = items[key]
            if current.construct not in (None, construct):
                raise CodebookError(
                    f"{where}：列「{current.column}」被列了两次，每个题项只能属于一个潜变量"
                    f"（「{current.construct}」和「{construct}」）"
                )
            items[key] = replace(current, construct=construct, bounds=current.bounds or scale)
        members.append(key)
    for name in reverse:
        key = _entry_key(name, items)
        if key is None or key not in members:
            raise CodebookError(f"{here} 的 reverse 中「{name}」不是该潜变量的题项")
        items[key] = replace(items[key], reverse=True)


def _entry_key(name: str, items: Mapping[str, ItemSpec]) -> str | None:
    if name in items:
        return name
    return next((key for key, item in items.items() if item.column == name), None)


def _label_sets(value: Any, where: str) -> dict[str, LabelSet]:
    if not isinstance(value, Mapping):
        raise CodebookError(f'{where}：[labels] 应为表，如 [labels.服务评价] "很好" = 5')
    return {str(name): custom_label_set(str(name), table, where) for name, table in value.items()}


def _missing_codes(value: Any, where: str) -> tuple[float, ...]:
    ok = isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    )
    if not ok:
        raise CodebookError(f"{where} 的 missing 应为数字列表，如 missing = [-3, 99]")
    return tuple(float(v) for v in value)


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CodebookError(f"{what} 应为非空文字")
    return value.strip()


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
    if (role_text in _ITEM_ROLE and construct) or (role_text and role_text in _ITEM_ROLE):
        here = f"{where} 第 {number} 行（{column}）"
        item_id = _cell_text(record.get("id"))
        items.append(
            ItemSpec(
                column,
                construct or None,
                _table_bounds(record, here),
                _cell_text(record.get("label")) or None,
                id=item_id if item_id != column else "",
                labels=_cell_text(record.get("labels")) or None,
                reverse=_cell_text(record.get("reverse")).casefold() in _TRUE,
            )
        )
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
    keys: set[str] = set()
    for item in codebook.items:
        if item.column in seen:
            raise CodebookError(
                f"{where}：列「{item.column}」被列了两次，每个题项只能属于一个潜变量"
            )
        if item.key in keys:
            raise CodebookError(f"{where}：题项编号「{item.key}」用了两次")
        seen.add(item.column)
        keys.add(item.key)
    for role, column in codebook.roles.items():
        if column in seen:
            raise CodebookError(f"{where}：列「{column}」既是题项又是{ROLE_LABELS[role]}列")
    for item in codebook.items:
        codebook.label_set(item)  # an unknown label set is refused here, with the known ones
        if item.reverse and codebook.item_bounds(item) is None:
            raise CodebookError(
                f"{where}：题项「{item.key}」标为反向计分，但没有量表上下限"
                "（反向计分按 下限 + 上限 − 答案 计算）：请写 scale 或 labels"
            )
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
