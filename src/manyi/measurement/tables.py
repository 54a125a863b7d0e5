"""Read a rectangular table (header + rows) from an XLSX or CSV file, with readable errors.

XLSX is read with openpyxl in read-only mode; merged cells in the header row are found in the
sheet's XML (read-only worksheets do not expose them). CSV is decoded as UTF-8 (with or without
BOM), UTF-16 with BOM, then GB18030; the delimiter (comma, semicolon, tab) is sniffed.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path, PurePath
from typing import Any
from xml.etree import ElementTree

from openpyxl.utils.cell import get_column_letter

from manyi.measurement.errors import SurveyReadError

Source = bytes | str | PathLike[str]
MergedRange = tuple[str, int, str | None, int]  # first column, first row, last column, last row
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]  # the file's row number (1-based, header included) of each row
    filename: str
    sheet: str | None = None
    header_row: int = 1

    def column_index(self, name: str) -> int:
        return self.header.index(name)

    def where(self, row: int) -> str:
        """How to point a person at data row ``row``: 第 N 行 as numbered in the file."""
        return f"第 {self.row_numbers[row]} 行"


def read_bytes(source: Source, filename: str | None = None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), filename or "上传的文件"
    path = Path(source)
    try:
        return path.read_bytes(), filename or path.name
    except FileNotFoundError:
        raise SurveyReadError(f"文件不存在：{path}") from None
    except IsADirectoryError:
        raise SurveyReadError(f"{path} 是文件夹，不是数据文件") from None
    except OSError as exc:
        raise SurveyReadError(f"无法读取文件 {path}：{exc.strerror or exc}") from None


def read_table(source: Source, filename: str | None = None, sheet: str | None = None) -> Table:
    """The first (or named) sheet of an XLSX, or a CSV, as header + rows."""
    content, name = read_bytes(source, filename)
    if not content.strip():
        raise SurveyReadError(f"{name} 是空文件，没有任何数据")
    kind = file_kind(content, name)
    if kind == "xlsx":
        return read_xlsx(content, name, sheet)
    return read_csv(content, name)


def file_kind(content: bytes, name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xls" or content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SurveyReadError(
            f"{name} 是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 后再上传"
        )
    if suffix == ".sav":
        raise SurveyReadError(f"{name} 是 SPSS 文件：请从 SPSS 导出为 .xlsx 或 .csv 后再上传")
    if suffix in (".xlsx", ".xlsm") or content[:4] == b"PK\x03\x04":
        return "xlsx"
    return "csv"


# ---------------------------------------------------------------------------------------------
# CSV


def decode_text(content: bytes, name: str) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise SurveyReadError(
            f"{name} 的编码无法识别（既不是 UTF-8 也不是 GB18030/GBK）：请另存为 UTF-8 编码的 CSV"
        ) from None


def read_csv(content: bytes, name: str) -> Table:
    text = decode_text(content, name)
    if "\x00" in text:
        raise SurveyReadError(f"{name} 不是文本格式的 CSV 文件：请上传 .xlsx 或 .csv")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise SurveyReadError(f"{name} 不是有效的 CSV：{exc}") from None
    cells = [(number, [c.strip() or None for c in row]) for number, row in lines]
    return _table_from_rows(iter(cells), name, None)


# ---------------------------------------------------------------------------------------------
# XLSX


def read_xlsx(content: bytes, name: str, sheet: str | None = None) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise SurveyReadError(f"{name} 不是有效的 .xlsx 文件（可能已损坏或加密）") from None
    try:
        names = workbook.sheetnames
        if not names:
            raise SurveyReadError(f"{name} 没有工作表")
        if sheet is not None and sheet not in names:
            raise SurveyReadError(f"{name} 没有名为「{sheet}」的工作表（现有：{'、'.join(names)}）")
        chosen = sheet or names[0]
        merged = list(_merged_ranges(content, chosen))
        rows = (
            (number, list(values))
            for number, values in enumerate(workbook[chosen].iter_rows(values_only=True), start=1)
        )
        return _table_from_rows(rows, name, chosen, merged)
    finally:
        workbook.close()


def xlsx_sheet_tables(content: bytes, name: str) -> list[Table]:
    """Every non-empty sheet of a workbook (for two-sheet codebooks)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise SurveyReadError(f"{name} 不是有效的 .xlsx 文件（可能已损坏或加密）") from None
    names = list(workbook.sheetnames)
    workbook.close()
    tables = []
    for sheet in names:
        try:
            tables.append(read_xlsx(content, name, sheet))
        except SurveyReadError as exc:
            if "空" not in str(exc):
                raise
    return tables


def _refuse_merged_header(merged: list[MergedRange], name: str, header_row: int) -> None:
    for first_col, first_row, last_col, last_row in merged:
        if first_row <= header_row:
            cells = f"{first_col}{first_row}" + (f":{last_col}{last_row}" if last_col else "")
            raise SurveyReadError(
                f"{name} 的表头（第 {header_row} 行）有合并单元格 {cells}：请取消合并，"
                "让表头只占一行、每列只有一个列名（如 imag1、imag2），再上传"
            )


def _merged_ranges(content: bytes, sheet: str) -> Iterator[MergedRange]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        part = _sheet_part(archive, sheet)
        if part is None:
            return
        with archive.open(part) as stream:
            tail = b""
            while chunk := stream.read(1 << 20):
                data = tail + chunk
                for match in _MERGE.finditer(data):
                    a, b, c, d = match.groups()
                    yield a.decode(), int(b), c.decode() if c else None, int(d or b)
                tail = data[-200:]
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        return


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for element in workbook.iter():
        if element.tag.endswith("}sheet") and element.get("name") == sheet:
            target = targets.get(element.get(f"{{{_REL_NS}}}id"), "")
            target = target.lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    return None


# ---------------------------------------------------------------------------------------------
# Common


def _table_from_rows(
    rows: Iterator[tuple[int, list[Any]]],
    name: str,
    sheet: str | None,
    merged: list[MergedRange] | None = None,
) -> Table:
    header_line = None
    for number, values in rows:
        if any(_filled(v) for v in values):
            header_line = (number, values)
            break
    if header_line is None:
        raise SurveyReadError(f"{name} 是空的，没有表头也没有数据")
    header_number, raw_header = header_line
    _refuse_merged_header(merged or [], name, header_number)
    body = [(n, v) for n, v in rows]
    while body and not any(_filled(v) for v in body[-1][1]):
        body.pop()
    width = max([_last_filled(raw_header)] + [_last_filled(v) for _, v in body])
    header = _header(raw_header, width, body, name, header_number)
    data_rows, numbers = [], []
    for number, values in body:
        values = list(values[:width]) + [None] * (width - len(values))
        if not any(_filled(v) for v in values):
            continue
        data_rows.append([v.strip() if isinstance(v, str) else v for v in values])
        numbers.append(number)
    if not data_rows:
        raise SurveyReadError(f"{name} 只有表头（第 {header_number} 行），没有数据行")
    return Table(header, data_rows, numbers, name, sheet, header_number)


def _header(
    raw: list[Any], width: int, body: list[tuple[int, list[Any]]], name: str, line: int
) -> list[str]:
    header = [_text(v) for v in list(raw[:width]) + [None] * (width - len(raw))]
    # an unnamed column (e.g. the row names R writes) gets its letter as name
    header = [title or f"列{get_column_letter(i + 1)}" for i, title in enumerate(header)]
    duplicates = [title for title, count in Counter(header).items() if count > 1]
    if duplicates:
        places = "；".join(
            f"「{d}」在第 "
            + "、".join(get_column_letter(i + 1) for i, t in enumerate(header) if t == d)
            + " 列"
            for d in duplicates
        )
        raise SurveyReadError(f"{name} 表头有重复的列名：{places}。请把列名改成各不相同")
    return header


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _last_filled(values: list[Any]) -> int:
    for index in range(len(values) - 1, -1, -1):
        if _filled(values[index]):
            return index + 1
    return 0


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def column_letter(index: int) -> str:
    return get_column_letter(index + 1)
