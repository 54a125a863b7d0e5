"""Validation and cleaning records: what is flagged, removed and imputed, with counts."""

from __future__ import annotations

import io
import itertools
from datetime import date

import numpy as np
import pytest
from openpyxl import load_workbook

from manyi.measurement import QualityRules, load_survey, quality_workbook, validate
from manyi.measurement.codebook import parse_codebook_toml
from manyi.rules import load_scheme

from .helpers import CODEBOOK, csv_bytes, survey_rows

RULES = QualityRules(survey_start=date(2025, 1, 1), today=date(2025, 6, 30), min_respondents=20)


def messy_rows():
    rows = survey_rows(40, seed=1)
    rows[1][5] = 15  # R001 imag1 out of range
    rows[2][6] = "很好"  # R002 text
    rows[3][1] = "2024-12-30"  # R003 before the survey start
    rows[4][1] = "2099-01-01"  # R004 in the future
    rows[5][1] = "昨天"  # R005 not a date
    rows[7][0] = "R006"  # R007 repeats R006's id
    rows[8][5:8] = ["", "", "不知道"]  # R008 misses 3 of 6 answers
    rows[9][10] = ""  # R009 misses 1 of 6
    rows[10][5:] = [8] * 6  # R010 straight-lines
    rows[11][5:] = rows[12][5:]  # R011 answers exactly as R012
    rows[13][1] = ""  # R013 no date
    return rows


@pytest.fixture(scope="module")
def report():
    survey = load_survey(
        csv_bytes(messy_rows()), "调查.csv", parse_codebook_toml(CODEBOOK), text_cells="missing"
    )
    return validate(survey, RULES)


def flags_of(report, rule):
    return [f for f in report.flags if f.rule == rule]


def test_rules_listed_with_parameters(report):
    names = [r.name for r in report.rules]
    for expected in (
        "量表范围",
        "非数值",
        "访问日期早于开始日期",
        "访问日期晚于今天",
        "重复编号",
        "重复答卷",
        "直线作答",
        "样本缺失过多",
        "题项缺失率高",
    ):
        assert expected in names
    early = next(r for r in report.rules if r.name == "访问日期早于开始日期")
    assert "2025-01-01" in early.parameters
    assert early.severity == "fail"


def test_flags(report):
    assert [(f.respondent, f.column, f.value) for f in flags_of(report, "量表范围")] == [
        ("R001", "imag1", "15（应在 1–10）")
    ]
    assert [(f.respondent, f.value) for f in flags_of(report, "非数值")] == [("R002", "很好")]
    assert [f.respondent for f in flags_of(report, "访问日期早于开始日期")] == ["R003"]
    assert [f.respondent for f in flags_of(report, "访问日期晚于今天")] == ["R004"]
    assert [f.respondent for f in flags_of(report, "访问日期无法识别")] == ["R005"]
    assert [f.respondent for f in flags_of(report, "访问日期缺失")] == ["R013"]
    duplicate = flags_of(report, "重复编号")
    assert [(f.respondent, f.row) for f in duplicate] == [("R006", 8)]
    assert "第 7 行" in duplicate[0].value
    assert [f.respondent for f in flags_of(report, "样本缺失过多")] == ["R008"]
    assert "R010" in [f.respondent for f in flags_of(report, "直线作答")]
    assert "R012" in [f.respondent for f in flags_of(report, "重复答卷")]


def test_cleaning_steps_and_counts(report):
    steps = {s.step: s for s in report.steps}
    assert steps["越界值、非数值置为缺失"].affected == 2
    assert steps["剔除访问日期不符的样本"].affected == 3
    assert steps["剔除重复编号的样本"].affected == 1
    assert steps["剔除缺失过多的样本"].affected == 1
    imputation = steps["缺失值插补"]
    assert imputation.affected == 3  # R001 imag1, R002 imag2, R009 sat3
    assert report.n_raw == 40 and report.n_clean == 35
    assert steps["剔除缺失过多的样本"].n_after == 35
    chain = [s for s in report.steps if s.n_before != s.n_after]
    for before, after in itertools.pairwise(chain):
        assert before.n_after == after.n_before


def test_imputed_with_item_means(report):
    cleaned = report.cleaned
    assert not np.isnan(cleaned.values).any()
    imputed = {(m.respondent, m.column): m.value for m in report.imputations}
    assert set(imputed) == {("R001", "imag1"), ("R002", "imag2"), ("R009", "sat3")}
    rows = [i for i, r in enumerate(cleaned.ids) if r != "R001"]
    expected = cleaned.values[rows, 0].mean()
    assert imputed[("R001", "imag1")] == pytest.approx(expected)
    assert "R003" not in cleaned.ids and "R008" not in cleaned.ids
    assert cleaned.ids.count("R006") == 1


def test_status_and_review(report):
    assert report.status == "fail"
    review = {e.item: e for e in report.review}
    assert review["原始样本量"].result == "40"
    assert review["有效样本量（清洗后）"].result == "35"
    assert review["清洗后缺失值"].result == "0 个"
    assert review["清洗后越界值"].result == "0 个"
    assert review["清洗后重复编号"].result == "0 个"
    assert review["访问日期范围"].result.startswith("2025-03-")


def test_clean_survey_passes():
    rows = survey_rows(40, seed=2)
    report = validate(load_survey(csv_bytes(rows), "a.csv", parse_codebook_toml(CODEBOOK)), RULES)
    assert report.status in ("pass", "warn")
    assert not [f for f in report.flags if f.severity == "fail"]
    assert report.n_clean == 40


def test_optional_drops():
    rules = QualityRules(drop_straightliners=True, drop_duplicate_responses=True, min_respondents=5)
    survey = load_survey(
        csv_bytes(messy_rows()), "a.csv", parse_codebook_toml(CODEBOOK), text_cells="missing"
    )
    report = validate(survey, rules)
    dropped = {s.step for s in report.steps}
    assert {"剔除直线作答样本", "剔除重复答卷"} <= dropped
    assert "R010" not in report.cleaned.ids


def test_too_few_respondents_fail():
    rows = survey_rows(12)
    report = validate(
        load_survey(csv_bytes(rows), "a.csv", parse_codebook_toml(CODEBOOK)), QualityRules()
    )
    assert report.status == "fail"
    assert any("少于 30" in m for _, m in report.problems)


def test_rules_from_scheme():
    rules = QualityRules.from_scheme(load_scheme(2025))
    assert rules.survey_start == date(2025, 1, 1)


def test_workbook(report):
    book = load_workbook(io.BytesIO(quality_workbook(report)))
    assert book.sheetnames[:4] == ["数据校验标准", "查错记录", "数据清洗过程记录", "数据复核记录"]
    errors = book["查错记录"]
    assert [c.value for c in errors[1]] == [
        "序号",
        "文件行号",
        "样本编号",
        "列",
        "规则",
        "值",
        "严重程度",
        "处理",
    ]
    assert errors.max_row == len(report.flags) + 1
    standard = book["数据校验标准"]
    assert standard.max_row == len(report.rules) + 1
    cleaning = [[c.value for c in row] for row in book["数据清洗过程记录"].iter_rows()]
    assert ["", "合计", "原始样本 → 有效样本", 5, 40, 35, ""] in [
        [v if v is not None else "" for v in r] for r in cleaning
    ]
    review = [row[1].value for row in book["数据复核记录"].iter_rows(min_row=2)]
    assert "有效样本量（清洗后）" in review
