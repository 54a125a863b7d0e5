"""``load_survey()``: the survey database as a typed table of answers.

Answers become floats (NaN when missing). Usual missing markers (空, NA, 不知道, 拒答 …) are
missing values; any other text in an item column is refused with its row and column, unless
``text_cells="missing"`` asks to treat it as missing (validation then records each such cell).
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

from manyi.measurement.codebook import Codebook, suggest_codebook
from manyi.measurement.errors import CodebookError, SurveyReadError
from manyi.measurement.tables import Source, Table, column_letter, read_table

TextCells = Literal["error", "missing"]
MISSING_MARKERS = frozenset(
    s.casefold()
    for s in (
        "", "na", "n/a", "#n/a", "nan", "null", "none", "-", "--", "—", ".", "缺失", "无",
        "空", "不适用", "不知道", "不清楚", "拒答", "拒绝回答", "说不清",
    )
)  # fmt: skip
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class TextCell:
    row: int  # index of the respondent in the survey
    column: str
    text: str


@dataclass
class Survey:
    """Answers (n × p) of the codebook's items, with the respondents' other columns."""

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

    @property
    def n(self) -> int:
        return len(self.ids)

    def column(self, item: str) -> np.ndarray:
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

    Without a codebook one is proposed from the column names (:func:`suggest_codebook`).
    """
    table = read_table(source, filename, sheet)
    if codebook is None:
        codebook = suggest_codebook(table.header)
        if not codebook.items:
            raise CodebookError(
                f"{table.filename} 的列名（{'、'.join(table.header[:8])}…）无法自动对应到潜变量："
                "请提供码本，说明每个题项列属于哪个潜变量"
            )
    return survey_from_table(table, codebook, text_cells=text_cells)


def survey_from_table(
    table: Table, codebook: Codebook, *, text_cells: TextCells = "error"
) -> Survey:
    _check_columns(table, codebook)
    items = codebook.columns
    values, texts = _numbers(table, items)
    if texts and text_cells == "error":
        raise SurveyReadError(_text_cells_message(table, texts))
    _refuse_empty_columns(table, items, values)
    n = len(table.rows)
    role = {r: _role_values(table, codebook.roles.get(r)) for r in ("id", "name", "contact")}
    ids = role["id"]
    has_ids = codebook.id_column is not None
    if not has_ids:
        ids = [str(number) for number in table.row_numbers]
    return Survey(
        filename=table.filename,
        codebook=codebook,
        items=items,
        values=values,
        row_numbers=np.array(table.row_numbers),
        ids=[i if i is not None else "" for i in ids],
        dates=_dates(table, codebook.date_column),
        names=role["name"],
        contacts=role["contact"],
        segments=_role_values(table, codebook.segment_column) or [None] * n,
        text_cells=texts,
        has_ids=has_ids,
    )


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


def _numbers(table: Table, items: Sequence[str]) -> tuple[np.ndarray, list[TextCell]]:
    values = np.full((len(table.rows), len(items)), np.nan)
    texts: list[TextCell] = []
    for j, item in enumerate(items):
        index = table.column_index(item)
        for i, row in enumerate(table.rows):
            number, text = parse_number(row[index])
            if text is not None:
                texts.append(TextCell(i, item, text))
            values[i, j] = number
    return values, texts


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
    if text.casefold() in MISSING_MARKERS:
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
        f"{table.filename} 的题项列中有非数字内容：{shown}{more}。请改为数字或留空（缺失）；"
        "也可选择把非数字内容按缺失处理（命令行 --text-as-missing），系统会逐条记入查错记录"
    )


def _refuse_empty_columns(table: Table, items: Sequence[str], values: np.ndarray) -> None:
    empty = [item for j, item in enumerate(items) if np.isnan(values[:, j]).all()]
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
