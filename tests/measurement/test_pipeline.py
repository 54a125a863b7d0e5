"""``analyse()``: file → quality records → fit → bootstrap → segments, as a background task."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from manyi.measurement import QualityRules, analyse, parse_model, to_json
from manyi.measurement.codebook import parse_codebook_toml

from .helpers import CODEBOOK, MODEL, csv_bytes, survey_rows


def test_analyse_end_to_end():
    stages = []
    analysis = analyse(
        csv_bytes(survey_rows(80)),
        "调查.csv",
        codebook=parse_codebook_toml(CODEBOOK),
        model=parse_model(MODEL),
        rules=QualityRules(survey_start=date(2025, 1, 1)),
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


def test_analyse_reports_data_problems_instead_of_raising():
    rows = survey_rows(80)
    for row in rows[1:]:
        row[8] = 5
    analysis = analyse(
        csv_bytes(rows), "a.csv", codebook=parse_codebook_toml(CODEBOOK), model=parse_model(MODEL)
    )
    assert analysis.result is None
    assert "sat1" in analysis.error
    assert analysis.quality.status == "fail"


def test_engine_does_not_import_django():
    code = (
        "import sys, manyi.measurement, manyi.measurement.cli; "
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "False"
