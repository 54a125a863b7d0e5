"""Every rule says whose it is: only the form's own words (or the secretariat's) can fail.

``manyi scheme rules`` lists them; the loader refuses a blocking rule without a quote.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import manyi.cli
from manyi.rules import SchemeError, load_scheme_file
from manyi.rules.catalogue import rule_catalogue
from manyi.rules.model import Provenance

from .test_scheme_file_errors import broken
from .test_scheme_matches_seed import as_exported, squeeze


def next_year(scheme_text: str) -> str:
    return scheme_text.replace("year = 2025", "year = 2026", 1).replace(
        "data_year = 2024", "data_year = 2025", 1
    )


@pytest.fixture(autouse=True)
def only_scheme_commands(monkeypatch):
    monkeypatch.setattr(manyi.cli, "COMMAND_MODULES", ("manyi.rules.cli",))


def rules_json(capsys, *args: str) -> list[dict]:
    assert manyi.cli.main(["scheme", "rules", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)["rules"]


def test_rules_are_listed_with_their_provenance(capsys):
    rules = rules_json(capsys)
    assert {"id", "applies_to", "severity", "source", "quote", "message"} <= set(rules[0])
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    for expected in (
        "general.eligibility",
        "form.project_name.contains_pattern",
        "form.contact_mobile.pattern",
        "material.report_video.max_size_bytes",
        "material.report_ppt.presence.2",
        "material.practice_report.filename",
        "measurement.survey_date",
    ):
        assert expected in ids, expected


def test_every_failing_rule_quotes_the_form_or_the_secretariat(capsys, seed_lines):
    seed = squeeze("".join(seed_lines))
    for rule in rules_json(capsys):
        if rule["severity"] != "fail":
            continue
        assert rule["quote"], rule["id"]
        if rule["source"] == "seed":
            assert as_exported(rule["quote"]) in seed, rule["id"]


def test_advice_only_warns_unless_raised(capsys):
    for rule in rules_json(capsys):
        if rule["source"] == "advice" and rule["severity"] == "warn":
            assert rule["reason"], rule["id"]


@pytest.mark.parametrize(
    "rule_id",
    [
        "form.contact_mobile.pattern",
        "form.engineering.completion_date.date_not_after",
        "general.credit_code_check",
        "material.enterprise_awards.presence",
        "material.report_ppt.hidden_slides",
        "material.report_ppt.presence.2",  # 五星: the PPT is asked for, but not by the form
    ],
)
def test_the_systems_own_judgement_is_advice(capsys, rule_id):
    rule = next(r for r in rules_json(capsys) if r["id"] == rule_id)
    assert (rule["source"], rule["severity"]) == ("advice", "warn")


def test_the_text_listing_names_the_form_and_the_advice(capsys):
    assert manyi.cli.main(["scheme", "rules"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"\d+ 条规则，\d+ 条可判为不通过，\d+ 条只给警告", out)
    assert "申请书：“视频大小在30M以内”" in out
    assert "系统建议：" in out and "秘书处要求：" in out


def test_a_blocking_rule_without_a_quote_is_refused():
    with pytest.raises(ValueError, match="quote"):
        Provenance(source="advice", reason="我们的判断", severity="fail")
    with pytest.raises(ValueError, match="quote"):
        Provenance(source="seed")


def test_advice_without_a_reason_is_refused():
    with pytest.raises(ValueError, match="reason"):
        Provenance(source="advice")


def test_a_scheme_file_with_an_unquoted_blocking_rule_names_it(tmp_path: Path, scheme_text):
    path = broken(
        tmp_path,
        scheme_text,
        'source = "seed"\nquote = "满意度（百分制得分）"',
        'source = "advice"\nreason = "本系统的判断"\nseverity = "fail"',
    )
    with pytest.raises(SchemeError, match=r"form\.common\[\d+\]\.rules\[0\].*quote"):
        load_scheme_file(path)


def test_a_campaign_may_raise_advice_to_blocking_in_its_own_file(tmp_path: Path, scheme_text):
    path = broken(
        tmp_path,
        scheme_text,
        'reason = "申请表只要求填写手机，未规定格式；',
        'severity = "fail"\nquote = "秘书处要求：手机填写 11 位中国大陆手机号码。"\n'
        'reason = "申请表只要求填写手机，未规定格式；',
    )
    scheme = load_scheme_file(path)
    entry = next(e for e in rule_catalogue(scheme) if e.id == "form.contact_mobile.pattern")
    assert (entry.source, entry.severity) == ("advice", "fail")
    findings = scheme.check_form("enterprise", {"contact_mobile": "0591-8888888"})
    [finding] = [f for f in findings if f.where == "form.contact_mobile"]
    assert (finding.status, finding.authority) == ("fail", "秘书处要求")


def test_rules_of_a_draft_scheme_file_are_listed(tmp_path: Path, scheme_text, capsys):
    path = tmp_path / "2026.toml"
    path.write_text(next_year(scheme_text), encoding="utf-8")
    rules = rules_json(capsys, "--scheme", str(path))
    assert any(rule["id"] == "general.eligibility" for rule in rules)
