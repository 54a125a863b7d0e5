"""Reading survey files and codebooks: every bad input is a Chinese message, never a traceback."""

from __future__ import annotations

import math

import numpy as np
import pytest

from manyi.measurement import (
    CodebookError,
    SurveyReadError,
    load_codebook,
    load_survey,
    suggest_codebook,
)
from manyi.measurement.codebook import parse_codebook_toml

from .helpers import CODEBOOK, csv_bytes, survey_rows, xlsx_bytes


@pytest.fixture()
def codebook():
    return parse_codebook_toml(CODEBOOK)


def test_csv_utf8(codebook):
    survey = load_survey(csv_bytes(survey_rows()), "调查.csv", codebook)
    assert survey.n == 40
    assert survey.items == ("imag1", "imag2", "imag3", "sat1", "sat2", "sat3")
    assert survey.ids[0] == "R001"
    assert survey.dates[0].isoformat() == "2025-03-01"
    assert survey.contacts[1] == "13800000002"
    assert survey.segments[:2] == ["华北", "华东"]
    assert survey.row_numbers[0] == 2


def test_csv_utf8_bom_and_gb18030(codebook):
    rows = survey_rows()
    plain = load_survey(csv_bytes(rows), "a.csv", codebook)
    bom = load_survey(b"\xef\xbb\xbf" + csv_bytes(rows), "a.csv", codebook)
    gb = load_survey(csv_bytes(rows, "gb18030"), "a.csv", codebook)
    assert np.array_equal(plain.values, bom.values)
    assert np.array_equal(plain.values, gb.values)
    assert gb.names[0] == "被访者1"


def test_gb18030_with_chinese_item_names():
    rows = [
        ["序号", "品牌形象1", "品牌形象2", "顾客满意度1", "顾客满意度2"],
        [1, 8, 7, 9, 8],
        [2, 6, 7, 7, 6],
    ]
    survey = load_survey(csv_bytes(rows, "gb18030"), "数据.csv")
    assert survey.codebook.constructs() == {
        "IMAG": ["品牌形象1", "品牌形象2"],
        "SAT": ["顾客满意度1", "顾客满意度2"],
    }
    assert survey.codebook.id_column == "序号"


def test_semicolon_and_tab_delimiters(codebook):
    rows = survey_rows(5)
    for delimiter in (";", "\t"):
        text = "\n".join(delimiter.join(str(v) for v in row) for row in rows)
        assert load_survey(text.encode(), "a.csv", codebook).n == 5


def test_xlsx(codebook):
    survey = load_survey(xlsx_bytes(survey_rows()), "调查.xlsx", codebook)
    assert survey.n == 40
    assert survey.values[0].tolist() == [float(v) for v in survey_rows()[1][5:]]


def test_xlsx_dates_as_cells(codebook):
    from datetime import datetime

    rows = survey_rows(3)
    for row in rows[1:]:
        row[1] = datetime(2025, 4, 2)
    survey = load_survey(xlsx_bytes(rows), "a.xlsx", codebook)
    assert [d.isoformat() for d in survey.dates] == ["2025-04-02"] * 3


@pytest.mark.parametrize("content", [b"", b"   \n\n", xlsx_bytes([])])
def test_empty_file(content, codebook):
    with pytest.raises(SurveyReadError, match="空"):
        load_survey(content, "x.xlsx" if content.startswith(b"PK") else "x.csv", codebook)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_header_only(kind, codebook):
    rows = survey_rows()[:1]
    content = csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows)
    with pytest.raises(SurveyReadError, match="只有表头"):
        load_survey(content, f"x.{kind}", codebook)


def test_text_in_numeric_cell_names_row_and_column(codebook):
    rows = survey_rows()
    rows[3][7] = "很好"
    with pytest.raises(SurveyReadError) as info:
        load_survey(csv_bytes(rows), "x.csv", codebook)
    message = str(info.value)
    assert "第 4 行" in message and "imag3" in message and "很好" in message and "H 列" in message


def test_text_cells_as_missing(codebook):
    rows = survey_rows()
    rows[3][7] = "很好"
    survey = load_survey(csv_bytes(rows), "x.csv", codebook, text_cells="missing")
    assert math.isnan(survey.values[2, 2])
    assert survey.text_cells[0].text == "很好"


def test_missing_markers_are_missing(codebook):
    rows = survey_rows()
    rows[1][5], rows[2][6], rows[3][7] = "不知道", "NA", ""
    survey = load_survey(csv_bytes(rows), "x.csv", codebook)
    assert np.isnan(survey.values[:3, :3].diagonal()).all()
    assert survey.text_cells == []


def test_all_missing_column(codebook):
    rows = survey_rows()
    for row in rows[1:]:
        row[9] = ""
    with pytest.raises(SurveyReadError, match="sat2"):
        load_survey(csv_bytes(rows), "x.csv", codebook)


def test_duplicate_headers(codebook):
    rows = survey_rows()
    rows[0][6] = "imag1"
    with pytest.raises(SurveyReadError, match=r"重复的列名.*imag1.*F、G"):
        load_survey(csv_bytes(rows), "x.csv", codebook)


def test_merged_header_cells(codebook):
    rows = survey_rows()
    with pytest.raises(SurveyReadError, match="合并单元格 F1:G1"):
        load_survey(xlsx_bytes(rows, merge="F1:G1"), "x.xlsx", codebook)


def test_two_row_merged_header(codebook):
    rows = [["品牌形象", None, None], ["imag1", "imag2", "imag3"], [1, 2, 3]]
    with pytest.raises(SurveyReadError, match="合并单元格"):
        load_survey(xlsx_bytes(rows, merge="A1:C1"), "x.xlsx", codebook)


def test_merged_cells_below_the_header_are_fine(codebook):
    rows = survey_rows()
    assert load_survey(xlsx_bytes(rows, merge="E2:E3"), "x.xlsx", codebook).n == 40


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "a.xls", "另存为 .xlsx"),
        (b"PK\x03\x04broken", "a.xlsx", "不是有效的 .xlsx"),
        (b"data", "a.sav", "SPSS"),
    ],
)
def test_wrong_formats(content, name, message, codebook):
    with pytest.raises(SurveyReadError, match=message):
        load_survey(content, name, codebook)


def test_missing_file():
    with pytest.raises(SurveyReadError, match="文件不存在"):
        load_survey("/nonexistent/file.csv")


def test_codebook_column_absent(codebook):
    rows = [r[:-1] for r in survey_rows()]
    with pytest.raises(CodebookError, match="sat3"):
        load_survey(csv_bytes(rows), "x.csv", codebook)


def test_unrecognisable_columns_without_codebook():
    with pytest.raises(CodebookError, match="码本"):
        load_survey(csv_bytes([["a", "b"], [1, 2]]), "x.csv")


def test_suggest_codebook():
    roles = ["编号", "访问日期", "姓名", "联系电话", "性别"]
    items = ["imag1", "IMAG_2", "品牌形象3", "expe1", "Qual1", "感知质量2", "val1", "价值2"]
    items += ["sat1", "顾客满意度2", "loy1", "忠诚2"]
    columns = [*roles, *items, "备注", "valentine"]
    codebook = suggest_codebook(columns)
    assert codebook.constructs() == {
        "IMAG": ["imag1", "IMAG_2", "品牌形象3"],
        "EXPE": ["expe1"],
        "QUAL": ["Qual1", "感知质量2"],
        "VAL": ["val1", "价值2"],
        "SAT": ["sat1", "顾客满意度2"],
        "LOY": ["loy1", "忠诚2"],
    }
    assert codebook.roles == {
        "id": "编号",
        "date": "访问日期",
        "name": "姓名",
        "contact": "联系电话",
        "segment": "性别",
    }


def test_codebook_table_forms(tmp_path):
    items = [
        ["列名", "潜变量", "下限", "上限", "题目"],
        ["imag1", "IMAG", 1, 10, "总体形象"],
        ["sat1", "SAT", 0, 5, None],
    ]
    roles = [["用途", "列名"], ["编号", "问卷号"], ["日期", "日期"]]
    book = load_codebook(xlsx_bytes(items, sheets={"字段": roles}), "码本.xlsx")
    assert book.constructs() == {"IMAG": ["imag1"], "SAT": ["sat1"]}
    assert book.bounds() == {"imag1": (1.0, 10.0), "sat1": (0.0, 5.0)}
    assert book.roles == {"id": "问卷号", "date": "日期"}
    assert book.item("imag1").label == "总体形象"
    table = [
        ["列名", "用途", "潜变量", "下限", "上限"],
        ["imag1", "", "IMAG", 1, 10],
        ["问卷号", "编号", "", "", ""],
    ]
    path = tmp_path / "码本.csv"
    path.write_bytes(csv_bytes(table, "gb18030"))
    assert load_codebook(path).roles == {"id": "问卷号"}


def test_codebook_toml(tmp_path, codebook):
    assert codebook.id_column == "编号"
    assert codebook.segment_column == "地区"
    assert codebook.bounds()["sat3"] == (1.0, 10.0)
    path = tmp_path / "c.toml"
    path.write_text(CODEBOOK + '[item.sat3]\nscale = [0, 5]\nlabel = "推荐"\n', encoding="utf-8")
    book = load_codebook(path)
    assert book.bounds()["sat3"] == (0.0, 5.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[construct.A]\nitems = 'x'\n", "items"),
        ("[respondent]\nfoo = 'x'\n[construct.A]\nitems = ['a']\n", "不认识"),
        ("[construct.A]\nitems = ['a']\n[construct.B]\nitems = ['a']\n", "列了两次"),
        ("x = [", "TOML"),
        ("scale = [3, 1]\n[construct.A]\nitems = ['a']\n", "下限小于上限"),
    ],
)
def test_bad_codebooks(text, message):
    with pytest.raises(CodebookError, match=message):
        parse_codebook_toml(text)


def test_codebook_construct_unknown_to_model():
    from manyi.measurement import default_model

    book = parse_codebook_toml('[construct."抱怨"]\nitems = ["c1"]\n')
    with pytest.raises(CodebookError, match="抱怨"):
        book.bind(default_model())
