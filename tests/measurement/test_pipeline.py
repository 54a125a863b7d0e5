"""``analyse()``: file → quality records → fit → bootstrap → segments, as a background task."""

from __future__ import annotations

import subprocess
import sys

from manyi.measurement import QualityRules, analyse, parse_model, to_json
from manyi.measurement.codebook import parse_codebook_toml
from manyi.rules import load_scheme

from .helpers import CODEBOOK, MODEL, csv_bytes, survey_rows

RULES = QualityRules.from_scheme(load_scheme(2025))


def test_analyse_end_to_end():
    stages = []
    analysis = analyse(
        csv_bytes(survey_rows(80)),
        "调查.csv",
        codebook=parse_codebook_toml(CODEBOOK),
        model=parse_model(MODEL),
        rules=RULES,
        resamples=100,
        seed=3,
        progress=lambda stage, share: stages.append((stage, share)),
    )
    assert analysis.error is None
    result = analysis.result
    assert result.quality is analysis.quality
    assert result.bootstrap.resamples == 100
    assert set(analysis.segments.results) == {"华北", "华东"}
    assert stages[0][0] == "读取数据" and stages[-1] == ("完成", 1.0)
    data = to_json(result)
    assert data["quality"]["n_clean"] == 80
    assert 0 < data["satisfaction_index"] < 100


def test_an_item_everyone_answered_alike_is_left_out_and_the_estimate_goes_on():
    rows = survey_rows(80)
    for row in rows[1:]:
        row[8] = 5
    analysis = analyse(
        csv_bytes(rows),
        "a.csv",
        codebook=parse_codebook_toml(CODEBOOK),
        model=parse_model(MODEL),
        rules=RULES,
    )
    assert analysis.error is None
    assert analysis.model.construct("SAT").items == ("sat2", "sat3")
    assert "sat1" not in analysis.result.items
    assert ("sat1", "所有人答案相同（无差异），已从估计中去掉") in [
        (u.column, u.why) for u in analysis.unused
    ]
    assert analysis.quality.status == "warn"


def test_analyse_reports_data_problems_instead_of_raising():
    analysis = analyse(
        csv_bytes(survey_rows(8)),
        "a.csv",
        codebook=parse_codebook_toml(CODEBOOK),
        model=parse_model(MODEL),
        rules=RULES,
    )
    assert analysis.result is None
    assert "至少需要 10 个" in analysis.error


def test_a_construct_left_without_items_is_a_failure_with_the_reason():
    rows = survey_rows(60)
    for row in rows[1:]:
        row[5:8] = [7, 7, 7]
    analysis = analyse(
        csv_bytes(rows),
        "a.csv",
        codebook=parse_codebook_toml(CODEBOOK),
        model=parse_model(MODEL),
        rules=RULES,
    )
    assert analysis.result is None
    assert "没有题项" in analysis.error and "IMAG" in analysis.error


def test_engine_does_not_import_django():
    code = (
        "import sys, manyi.measurement, manyi.measurement.cli; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "False"
