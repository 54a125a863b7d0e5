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
from manyi.rules import load_scheme, parse_scheme
from manyi.rules.loader import _packaged_dir

from .helpers import CODEBOOK, csv_bytes, survey_rows

SCHEME = load_scheme(2025)
RULES = QualityRules.from_scheme(SCHEME, today=date(2025, 6, 30), min_respondents=20)
UNDATED = CODEBOOK.replace('date = "访问日期"\n', "")


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
    rules = QualityRules.from_scheme(
        SCHEME, drop_straightliners=True, drop_duplicate_responses=True, min_respondents=5
    )
    survey = load_survey(
        csv_bytes(messy_rows()), "a.csv", parse_codebook_toml(CODEBOOK), text_cells="missing"
    )
    report = validate(survey, rules)
    dropped = {s.step for s in report.steps}
    assert {"剔除直线作答样本", "剔除重复答卷"} <= dropped
    assert "R010" not in report.cleaned.ids


def test_too_few_respondents_is_advice_with_its_reason():
    rows = survey_rows(12)
    report = validate(
        load_survey(csv_bytes(rows), "a.csv", parse_codebook_toml(CODEBOOK)),
        QualityRules.from_scheme(SCHEME),
    )
    assert report.status == "warn"
    finding = next(f for f in report.findings() if f.code == "survey.sample_size")
    assert finding.status == "warn" and finding.source == "advice"
    assert "少于建议的 30 个" in finding.message and finding.reason


def test_thresholds_and_provenance_come_from_the_scheme():
    rules = QualityRules.from_scheme(SCHEME)
    quality = SCHEME.measurement.quality
    assert rules.survey_start == date(2025, 1, 1)
    assert rules.min_respondents == quality.min_respondents.value == 30
    assert rules.max_missing_share == quality.respondent_missing.value
    assert rules.straightline_min_items == quality.straightlining.value
    assert rules.of("date_early").source == "seed"
    assert rules.of("date_early").quote == "开展调查的时间在2025年1月1日之后"
    assert {rules.of(code).severity for code in rules.basis if code != "date_early"} == {"warn"}


def test_a_campaign_may_raise_advice_to_blocking_in_its_scheme():
    text = (_packaged_dir() / "2025.toml").read_text(encoding="utf-8")
    raised = text.replace(
        "[measurement.quality.min_respondents]\n",
        "[measurement.quality.min_respondents]\n"
        'severity = "fail"\nquote = "本年度要求有效样本不少于30个。"\n',
    )
    rules = QualityRules.from_scheme(parse_scheme(raised, "2025.toml"))
    survey = load_survey(csv_bytes(survey_rows(12)), "a.csv", parse_codebook_toml(CODEBOOK))
    finding = next(f for f in validate(survey, rules).findings() if f.code == "survey.sample_size")
    assert finding.status == "fail" and finding.authority == "秘书处要求"
    assert finding.quote == "本年度要求有效样本不少于30个。"


def test_25_respondents_and_a_constant_item_only_warn():
    rows = survey_rows(25, seed=4)
    for row in rows[1:]:
        row[7] = 10  # everybody gives imag3 the top score
    survey = load_survey(csv_bytes(rows), "a.csv", parse_codebook_toml(CODEBOOK))
    report = validate(survey, QualityRules.from_scheme(SCHEME, today=date(2025, 6, 30)))
    assert report.status == "warn"
    assert report.constant_items == ("imag3",)
    statuses = {f.code: f.status for f in report.findings()}
    assert statuses["survey.zero_variance"] == "warn"
    assert statuses["survey.sample_size"] == "warn"
    assert all(f.source == "advice" for f in report.findings())


def test_a_survey_dated_before_the_start_fails_quoting_the_form():
    rows = survey_rows(40)
    rows[5][1] = "2024-11-30"
    report = validate(load_survey(csv_bytes(rows), "a.csv", parse_codebook_toml(CODEBOOK)), RULES)
    finding = next(f for f in report.findings() if f.code == "survey.date_early")
    assert finding.status == "fail" and finding.source == "seed"
    assert finding.quote == "开展调查的时间在2025年1月1日之后"


def test_without_a_date_column_the_declared_period_is_checked_and_said_so():
    survey = load_survey(csv_bytes(survey_rows(40)), "a.csv", parse_codebook_toml(UNDATED))
    early = QualityRules.from_scheme(SCHEME, declared_period=(date(2024, 12, 1), date(2025, 2, 1)))
    finding = next(f for f in validate(survey, early).findings() if f.code == "survey.date_early")
    assert finding.status == "fail" and "申报的调查时间" in finding.message
    fine = QualityRules.from_scheme(SCHEME, declared_period=(date(2025, 2, 1), date(2025, 3, 1)))
    report = validate(survey, fine)
    assert report.status == "pass"
    review = {e.item: e.result for e in report.review}
    assert review["调查时间（申报）"].startswith("2025-02-01 至 2025-03-01")


def test_without_dates_or_a_declaration_the_date_is_said_to_be_unchecked():
    survey = load_survey(csv_bytes(survey_rows(40)), "a.csv", parse_codebook_toml(UNDATED))
    report = validate(survey, QualityRules.from_scheme(SCHEME))
    finding = next(f for f in report.findings() if f.code == "survey.undated")
    assert finding.status == "warn" and "无法核对" in finding.message
    assert report.status == "warn"


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
