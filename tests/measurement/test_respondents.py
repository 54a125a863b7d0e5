"""The respondent-list rule: all listed up to 50, else 50–100, each with name and contact."""

from __future__ import annotations

import pytest

from manyi.measurement import (
    SurveyReadError,
    check_respondent_list,
    load_respondent_list,
    load_survey,
)
from manyi.measurement.codebook import parse_codebook_toml
from manyi.measurement.respondents import summarise_findings
from manyi.rules import load_scheme

from .helpers import CODEBOOK, csv_bytes, survey_rows, xlsx_bytes

RULE = load_scheme(2025).measurement.respondent_list


def database(n):
    return load_survey(csv_bytes(survey_rows(n)), "db.csv", parse_codebook_toml(CODEBOOK))


def listing(rows, header=("编号", "姓名", "联系方式")):
    return load_respondent_list(xlsx_bytes([list(header), *rows]), "名单.xlsx")


def entries(survey, count):
    return [[survey.ids[i], survey.names[i], survey.contacts[i]] for i in range(count)]


def by_code(findings):
    return {f.code: f for f in findings}


def test_small_survey_lists_everyone():
    survey = database(40)
    findings = by_code(check_respondent_list(listing(entries(survey, 40)), survey, rule=RULE))
    assert findings["respondent_count"].status == "pass"
    assert summarise_findings(list(findings.values())) == "pass"
    short = by_code(check_respondent_list(listing(entries(survey, 39)), survey, rule=RULE))
    assert short["respondent_count"].status == "fail"
    assert "须全部列出" in short["respondent_count"].message


@pytest.mark.parametrize(
    ("listed", "status"), [(49, "fail"), (50, "pass"), (100, "pass"), (101, "fail")]
)
def test_large_survey_lists_50_to_100(listed, status):
    survey = database(120)
    rows = entries(survey, listed) if listed <= 120 else []
    findings = by_code(check_respondent_list(listing(rows), survey, rule=RULE))
    assert findings["respondent_count"].status == status
    assert "50–100" in findings["respondent_count"].message


def test_the_forms_rule_fails_quoting_it_and_the_systems_checks_only_warn():
    survey = database(40)
    rows = entries(survey, 39)
    rows[0][0] = "R999"
    rows[1][2] = "abc"
    findings = by_code(check_respondent_list(listing(rows), survey, rule=RULE))
    count = findings["respondent_count"].verdict()
    assert count.status == "fail" and count.source == "seed"
    assert count.quote.startswith("被访者名单至少含姓名、联系方式。若被访者总数不超过50人")
    for code in ("respondent_in_database", "respondent_contact_format"):
        advice = findings[code].verdict()
        assert advice.status == "warn" and advice.source == "advice" and advice.reason


def test_name_and_contact_required():
    survey = database(40)
    rows = entries(survey, 40)
    rows[3][1] = None
    rows[5][2] = ""
    finding = by_code(check_respondent_list(listing(rows), survey, rule=RULE))["respondent_fields"]
    assert finding.status == "fail"
    assert finding.details == ("第 5 行缺姓名", "第 7 行缺联系方式")


def test_listed_person_must_exist():
    survey = database(40)
    rows = entries(survey, 40)
    rows[0][0] = "R999"
    finding = by_code(check_respondent_list(listing(rows), survey, rule=RULE))[
        "respondent_in_database"
    ]
    assert finding.status == "warn"
    assert "按编号" in finding.message and "r999" in finding.details[0]


def test_match_by_contact_when_no_id_column():
    survey = database(40)
    rows = [[r[1], r[2]] for r in entries(survey, 40)]
    rows[2][1] = "13999999999"
    findings = by_code(check_respondent_list(listing(rows, ("姓名", "手机")), survey, rule=RULE))
    assert findings["respondent_in_database"].status == "warn"
    assert "联系方式" in findings["respondent_in_database"].message
    assert len(findings["respondent_in_database"].details) == 1


def test_contact_format_and_duplicates_warn():
    survey = database(40)
    rows = entries(survey, 40)
    rows[1][2] = "abc"
    rows[2] = list(rows[3])
    findings = by_code(check_respondent_list(listing(rows), survey, rule=RULE))
    assert findings["respondent_contact_format"].status == "warn"
    assert findings["respondent_duplicates"].status == "warn"


def test_missing_columns():
    with pytest.raises(SurveyReadError, match=r"姓名.*联系方式"):
        load_respondent_list(csv_bytes([["编号", "备注"], ["R1", "x"]]), "名单.csv")
    survey = database(40)
    only_names = listing([[n] for n in survey.names], ("姓名",))
    finding = by_code(check_respondent_list(only_names, survey, rule=RULE))["respondent_columns"]
    assert finding.status == "fail" and "联系方式" in finding.message
