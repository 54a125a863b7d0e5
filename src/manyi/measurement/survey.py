"""``load_survey()``: the survey database as a typed table of answers.

Answers become floats (NaN when missing): numbers as they are, text labels through the item's
label set (非常满意 → 5), usual missing markers (空, NA, 不知道, 不适用, 拒答, (跳过) …) and the
codebook's missing codes as missing. Reverse-worded items are turned round here (lo + hi − x),
before anything else sees them. Any other text in an item column is refused with its row and
column, unless ``text_cells="missing"`` asks to treat it as missing (validation then records
each such cell). Columns the codebook does not use are listed with the reason.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal

import numpy as np

from manyi.measurement.codebook import Codebook, ItemSpec
from manyi.measurement.errors import CodebookError, SurveyReadError
from manyi.measurement.labels import MISSING_MARKERS, LabelSet, fold_label, score_from_text
from manyi.measurement.tables import Source, Table, column_letter, read_table

TextCells = Literal["error", "missing"]
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class TextCell:
    row: int  # index of the respondent in the survey
    column: str  # the column header
    text: str
    item: str = ""  # the item key


@dataclass(frozen=True)
class Unused:
    """A column of the data file the analysis does not use, and why."""

    column: str
    why: str


@dataclass
class Survey:
    """Answers (n × p) of the codebook's items, with the respondents' other columns.

    ``items`` are the codebook's item keys (its ids, or the column headers when it has none);
    ``headers`` maps each to its column as written in the file.
    """

    filename: str
    codebook: Codebook
    items: tuple[str, ...]
    values: np.ndarray  # n × p, NaN for missing
    row_numbers: np.ndarray  # the file's row number of each respondent
    ids: list[str]
    dates: list[date | str | None]  # a date, the unreadable text, or None
    names: list[str | None]
    contacts: list[str | None]
    segments: list[str | None]
    text_cells: list[TextCell] = field(default_factory=list)
    has_ids: bool = True
    headers: dict[str, str] = field(default_factory=dict)  # item key → column header
    unused: list[Unused] = field(default_factory=list)
    reversed_items: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        return len(self.ids)

    def header(self, item: str) -> str:
        return self.headers.get(item, item)

    def column(self, item: str) -> np.ndarray:
        if item not in self.items:
            found = self.codebook.find(item)
            item = found.key if found is not None else item
        try:
            return self.values[:, self.items.index(item)]
        except ValueError:
            raise CodebookError(f"数据中没有题项「{item}」") from None

    def matrix(self, items: Sequence[str]) -> np.ndarray:
        return np.column_stack([self.column(i) for i in items])

    def subset(self, keep: np.ndarray) -> Survey:
        """The respondents where ``keep`` (bool mask or index array) selects them."""
        index = np.flatnonzero(keep) if np.asarray(keep).dtype == bool else np.asarray(keep)
        kept = set(index.tolist())
        renumber = {old: new for new, old in enumerate(index.tolist())}
        return replace(
            self,
            values=self.values[index],
            row_numbers=self.row_numbers[index],
            ids=[self.ids[i] for i in index],
            dates=[self.dates[i] for i in index],
            names=[self.names[i] for i in index],
            contacts=[self.contacts[i] for i in index],
            segments=[self.segments[i] for i in index],
            text_cells=[replace(c, row=renumber[c.row]) for c in self.text_cells if c.row in kept],
        )

    def with_values(self, values: np.ndarray) -> Survey:
        return replace(self, values=values)


def load_survey(
    source: Source,
    filename: str | None = None,
    codebook: Codebook | None = None,
    *,
    sheet: str | None = None,
    text_cells: TextCells = "error",
) -> Survey:
    """Read an XLSX/CSV survey database (path or bytes) with its codebook.

    Without a codebook one is proposed from the file: a recognised export layout (问卷星,
    腾讯问卷, 金数据) or column names like imag1 / 品牌形象2 (:mod:`manyi.measurement.exports`).
    """
    from manyi.measurement.exports import recognise

    table = read_table(source, filename, sheet)
    if codebook is None:
        codebook = recognise(table).codebook()
        if not codebook.constructs():
            raise CodebookError(
                f"{table.filename} 的列名（{'、'.join(table.header[:8])}…）无法自动对应到潜变量："
                "请提供码本，说明每个题项列属于哪个潜变量（可用 manyi survey codebook 生成）"
            )
    return survey_from_table(table, codebook, text_cells=text_cells)


def survey_from_table(
    table: Table,
    codebook: Codebook,
    *,
    text_cells: TextCells = "error",
    unused: Sequence[Unused] | None = None,
) -> Survey:
    """The survey of ``codebook``'s items in ``table``; ``unused`` gives the reasons for the
    other columns (default: not in the codebook)."""
    _check_columns(table, codebook)
    values, texts = _numbers(table, codebook)
    if texts and text_cells == "error":
        raise SurveyReadError(_text_cells_message(table, texts))
    _refuse_empty_columns(table, codebook, values)
    values = _reversed(values, codebook)
    n = len(table.rows)
    role = {r: _role_values(table, codebook.roles.get(r)) for r in ("id", "name", "contact")}
    ids = role["id"]
    has_ids = codebook.id_column is not None
    if not has_ids:
        ids = [str(number) for number in table.row_numbers]
    return Survey(
        filename=table.filename,
        codebook=codebook,
        items=codebook.keys,
        values=values,
        row_numbers=np.array(table.row_numbers),
        ids=[i if i is not None else "" for i in ids],
        dates=_dates(table, codebook.date_column),
        names=role["name"],
        contacts=role["contact"],
        segments=_role_values(table, codebook.segment_column) or [None] * n,
        text_cells=texts,
        has_ids=has_ids,
        headers={item.key: item.column for item in codebook.items},
        unused=list(unused) if unused is not None else _not_in_codebook(table, codebook),
        reversed_items=tuple(item.key for item in codebook.items if item.reverse),
    )


def _not_in_codebook(table: Table, codebook: Codebook) -> list[Unused]:
    used = set(codebook.columns) | set(codebook.roles.values())
    return [Unused(h, "码本未列出该列") for h in table.header if h not in used]


def _check_columns(table: Table, codebook: Codebook) -> None:
    header = set(table.header)
    missing = [c for c in codebook.columns if c not in header]
    missing += [c for c in codebook.roles.values() if c not in header]
    if missing:
        raise CodebookError(
            f"码本中的这些列在 {table.filename} 中找不到：{'、'.join(missing)}。"
            f"文件的列为：{'、'.join(table.header[:30])}{'…' if len(table.header) > 30 else ''}"
        )
    if not codebook.items:
        raise CodebookError("码本没有任何题项列")


def _numbers(table: Table, codebook: Codebook) -> tuple[np.ndarray, list[TextCell]]:
    values = np.full((len(table.rows), len(codebook.items)), np.nan)
    texts: list[TextCell] = []
    skip = set(codebook.missing)
    for j, item in enumerate(codebook.items):
        index = table.column_index(item.column)
        labels = _label_codes(codebook.label_set(item))
        for i, row in enumerate(table.rows):
            number, text = parse_answer(row[index], labels)
            if text is not None:
                texts.append(TextCell(i, item.column, text, item.key))
            values[i, j] = math.nan if number in skip else number
    return values, texts


def _label_codes(labels: LabelSet | None) -> dict[str, float]:
    return labels.mapping() if labels is not None else {}


def parse_answer(value: Any, labels: dict[str, float]) -> tuple[float, str | None]:
    """(number, None), (NaN, None) for a missing answer, or (NaN, text) for unreadable text."""
    number, text = parse_number(value)
    if text is None or isinstance(value, datetime | date | bool):
        return number, text
    folded = fold_label(text)
    if folded in labels:
        return labels[folded], None
    score = score_from_text(text)
    if score is not None:
        return score, None
    return number, text


def _reversed(values: np.ndarray, codebook: Codebook) -> np.ndarray:
    """Reverse-worded items turned round: lo + hi − x on the item's scale."""
    result = values
    for j, item in enumerate(codebook.items):
        if not item.reverse:
            continue
        bounds = codebook.item_bounds(item)
        if bounds is None:
            raise CodebookError(_no_bounds_to_reverse(item))
        if result is values:
            result = values.copy()
        result[:, j] = bounds[0] + bounds[1] - values[:, j]
    return result


def _no_bounds_to_reverse(item: ItemSpec) -> str:
    return (
        f"题项「{item.key}」标为反向计分，但没有量表上下限（反向计分按 下限 + 上限 − 答案 "
        "计算）：请在码本中写 scale 或 labels"
    )


def parse_number(value: Any) -> tuple[float, str | None]:
    """(number, None), (NaN, None) for a missing marker, or (NaN, text) for other text."""
    if value is None:
        return math.nan, None
    if isinstance(value, bool):
        return math.nan, str(value)
    if isinstance(value, int | float):
        return (float(value), None) if math.isfinite(value) else (math.nan, None)
    if isinstance(value, datetime | date):
        return math.nan, str(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.casefold() in MISSING_MARKERS or fold_label(text) in MISSING_MARKERS:
        return math.nan, None
    try:
        number = float(text)
    except ValueError:
        return math.nan, str(value).strip()
    return (number, None) if math.isfinite(number) else (math.nan, None)


def _text_cells_message(table: Table, texts: Sequence[TextCell]) -> str:
    shown = "；".join(
        f"{table.where(c.row)}「{c.column}」列（{column_letter(table.column_index(c.column))} 列）"
        f"为「{c.text}」"
        for c in texts[:5]
    )
    more = f"等共 {len(texts)} 处" if len(texts) > 5 else ""
    return (
        f"{table.filename} 的题项列中有非数字内容：{shown}{more}。请改为数字或留空（缺失），"
        "或在码本中为该题写明答案标签（labels）；也可选择把非数字内容按缺失处理"
        "（命令行 --text-as-missing），系统会逐条记入查错记录"
    )


def _refuse_empty_columns(table: Table, codebook: Codebook, values: np.ndarray) -> None:
    empty = [item.column for j, item in enumerate(codebook.items) if np.isnan(values[:, j]).all()]
    if empty:
        raise SurveyReadError(
            f"{table.filename} 中这些题项列全部为空（没有一个有效回答）：{'、'.join(empty)}。"
            "请检查是否选错了列，或从码本中删去这些题项"
        )


def _role_values(table: Table, column: str | None) -> list[str | None]:
    if column is None:
        return [None] * len(table.rows)
    index = table.column_index(column)
    return [_text(row[index]) for row in table.rows]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _dates(table: Table, column: str | None) -> list[date | str | None]:
    if column is None:
        return [None] * len(table.rows)
    index = table.column_index(column)
    return [parse_date(row[index]) for row in table.rows]


def parse_date(value: Any) -> date | str | None:
    """A date from an Excel cell, a serial number or text like 2025-03-01 / 2025年3月1日."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial day number
            return _EXCEL_EPOCH + timedelta(days=int(value))
        value = str(int(value)) if float(value).is_integer() else str(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                return text
    if re.fullmatch(r"\d{5}(\.\d+)?", text) and 20000 < float(text) < 80000:
        return _EXCEL_EPOCH + timedelta(days=int(float(text)))
    return text
