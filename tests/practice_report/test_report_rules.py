"""Every report rule in the scheme names its provenance, and every finding code has its rule."""

from __future__ import annotations

import pytest

from manyi.practice_report.findings import FORMAT_CHECKS
from manyi.practice_report.pdf_checks import PDF_CHECKS
from manyi.practice_report.provenance import report_rules, rule_for
from manyi.rules.model import ReportRules
from tests.practice_report.conftest import SCHEME

RULES = report_rules(SCHEME)


@pytest.mark.parametrize("code", sorted({*FORMAT_CHECKS, *PDF_CHECKS, "filename"}))
def test_every_finding_code_belongs_to_a_rule_group_of_the_scheme(code):
    assert rule_for(RULES, code).source in ("seed", "advice")


def test_the_file_name_rule_is_the_practice_report_materials():
    material = SCHEME.material(SCHEME.roles.materials.practice_report)
    assert RULES["filename"] is material.filename


def test_the_forms_own_rules_quote_it_and_our_advice_says_why():
    for group, rule in RULES.items():
        if rule.source == "seed":
            assert rule.quote, group
        else:
            assert rule.reason and rule.effective_severity == "warn", group


def test_the_budgets_and_the_number_punctuation_are_the_forms_but_only_warn():
    part_length, numbering_format = RULES["part_length"], RULES["numbering_format"]
    assert part_length.source == "seed" and part_length.effective_severity == "warn"
    assert numbering_format.effective_severity == "warn"
    blocking = {group for group, rule in RULES.items() if rule.effective_severity == "fail"}
    assert blocking == {
        "title",
        "body",
        "heading_bold",
        "numbering",
        "outline",
        "length",
        "page_number",
        "filename",
    }


def test_manyi_scheme_rules_lists_every_report_rule_group():
    from manyi.rules.catalogue import rule_catalogue

    listed = {e.id: e for e in rule_catalogue(SCHEME) if e.id.startswith("report.")}
    groups = set(ReportRules.model_fields)
    assert set(listed) == {f"report.{group}" for group in groups}
    assert listed["report.page_number"].quote == "页码在下方居中"
    assert listed["report.extra_headings"].severity == "warn"
