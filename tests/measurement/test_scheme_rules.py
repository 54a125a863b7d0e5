"""The measurement rules in the scheme: each with its provenance, listed for ``scheme rules``,
and the command line reading them from ``--scheme FILE`` or ``--year``."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

import pytest

from manyi.measurement.cli import register
from manyi.rules import load_scheme
from manyi.rules.catalogue import rule_catalogue
from manyi.rules.loader import _packaged_dir

from .helpers import CODEBOOK, csv_bytes, survey_rows

SCHEME = load_scheme(2025)


def run(argv):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.handler(args)


def seed_text() -> str | None:
    configured = os.environ.get("MANYI_SEED")
    path = Path(configured) if configured else None
    if path is None or not path.is_file():
        return None
    return re.sub(r"\s+", "", path.read_text(encoding="utf-8"))


def measurement_rules() -> list[dict]:
    """The measurement part of ``manyi scheme rules``."""
    entries = rule_catalogue(SCHEME)
    return [e.to_dict() for e in entries if e.id.startswith("measurement.")]


def test_every_measurement_rule_is_listed_with_its_provenance():
    infos = measurement_rules()
    ids = [info["id"] for info in infos]
    assert len(ids) == len(set(ids))
    assert {
        "measurement.survey_date",
        "measurement.respondent_list",
        "measurement.respondent_list.in_database",
        "measurement.respondent_list.contact_format",
        "measurement.quality.min_respondents",
        "measurement.quality.zero_variance",
        "measurement.quality.straightlining",
        "measurement.quality.duplicate_answers",
        "measurement.quality.respondent_missing",
        "measurement.quality.item_missing",
        "measurement.declared_score",
    } <= set(ids)
    for info in infos:
        assert {"id", "applies_to", "severity", "source", "quote", "reason", "message"} <= set(info)
        assert info["severity"] in ("fail", "warn") and info["message"]


def test_only_the_forms_own_rules_fail_and_they_quote_it():
    infos = measurement_rules()
    failing = {i["id"]: i for i in infos if i["severity"] == "fail"}
    assert set(failing) == {"measurement.survey_date", "measurement.respondent_list"}
    assert all(i["source"] == "seed" and i["quote"] for i in failing.values())
    assert all(i["source"] == "advice" and i["reason"] for i in infos if i["id"] not in failing)
    seed = seed_text()
    if seed is None:
        pytest.skip("未设置 MANYI_SEED（申请书文本），不逐字核对引文")
    for info in failing.values():
        assert re.sub(r"\s+", "", info["quote"]) in seed, info["quote"]


def test_thresholds_are_read_from_the_scheme_with_where_they_apply():
    rules = SCHEME.measurement.rules()
    assert rules["measurement.quality.min_respondents"][1].value == 30
    assert rules["measurement.declared_score"][1].value == 2.0
    assert rules["measurement.respondent_list"][0] == "materials.respondent_list"
    assert rules["measurement.quality.zero_variance"][0] == "survey"


@pytest.fixture()
def data(tmp_path):
    (tmp_path / "codebook.toml").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "few.csv").write_bytes(csv_bytes(survey_rows(20)))
    return tmp_path


def test_survey_check_reads_the_rules_from_a_scheme_file(data, capsys):
    check = ["survey", "check", str(data / "few.csv"), "--codebook", str(data / "codebook.toml")]
    assert run(check) == 0  # 20 respondents: advice only
    assert "少于建议的 30 个" in capsys.readouterr().out
    text = (_packaged_dir() / "2025.toml").read_text(encoding="utf-8")
    raised = text.replace(
        "[measurement.quality.min_respondents]\n",
        '[measurement.quality.min_respondents]\nseverity = "fail"\n'
        'quote = "本年度要求有效样本不少于30个。"\n',
    )
    (data / "2025.toml").write_text(raised, encoding="utf-8")
    assert run([*check, "--scheme", str(data / "2025.toml")]) == 1
    assert "秘书处要求：本年度要求有效样本不少于30个。" in capsys.readouterr().out


def test_survey_check_by_year_and_an_unknown_year(data, capsys):
    check = ["survey", "check", str(data / "few.csv"), "--codebook", str(data / "codebook.toml")]
    assert run([*check, "--year", "2025"]) == 0
    assert run([*check, "--year", "1999"]) == 2
    assert "1999" in capsys.readouterr().err
