"""Importance–performance quadrants and segment comparison."""

from __future__ import annotations

import pytest

from manyi.measurement import compare_segments, estimate, importance_performance
from manyi.measurement.ipa import QUADRANTS


@pytest.fixture(scope="module")
def fit(satisfaction, ecsi):
    return estimate(satisfaction, ecsi)


def test_quadrants_follow_the_means(fit):
    ipa = importance_performance(fit)
    assert ipa.target == "SAT"
    assert {p.construct for p in ipa.points} == {"IMAG", "EXPE", "QUAL", "VAL"}
    importance = {p.construct: p.importance for p in ipa.points}
    assert importance["IMAG"] == pytest.approx(0.490971137879492, abs=1e-6)  # R total effect
    assert importance["VAL"] == pytest.approx(0.589330650016017, abs=1e-6)
    cut = sum(importance.values()) / 4
    assert ipa.importance_cut == pytest.approx(cut)
    performance = {p.construct: p.performance for p in ipa.points}
    p_cut = sum(performance.values()) / 4
    for point in ipa.points:
        expected = QUADRANTS[(point.importance >= cut, point.performance >= p_cut)]
        assert point.quadrant == expected
    quadrants = {p.construct: p.quadrant for p in ipa.points}
    # total effects 0.491, 0.501, 0.521, 0.589 (mean 0.525); indices 74.4, 74.8, 69.4, 70.3
    assert quadrants == {"IMAG": "维持区", "EXPE": "维持区", "QUAL": "机会区", "VAL": "修补区"}


def test_loyalty_target(fit):
    ipa = importance_performance(fit, "LOY")
    assert {p.construct for p in ipa.points} == {"IMAG", "EXPE", "QUAL", "VAL", "SAT"}


def test_exogenous_target_has_no_drivers(fit):
    from manyi.measurement import MeasurementError

    with pytest.raises(MeasurementError, match="无法做重要性"):
        importance_performance(fit, "IMAG")


def test_segments_side_by_side(satisfaction, ecsi, fit):
    comparison = compare_segments(
        satisfaction, ecsi, list(satisfaction["gender"]), column="gender", overall=fit
    )
    assert comparison.sizes == {"male": 102, "female": 148}
    table = comparison.index_table()
    assert [row["construct"] for row in table] == list(ecsi.keys)
    for row in table:
        assert set(row) == {"construct", "label", "全部", "male", "female"}
    female = estimate(
        {
            k: v[satisfaction["gender"] == "female"]
            for k, v in satisfaction.items()
            if k != "gender"
        },
        ecsi,
    )
    assert table[4]["female"] == pytest.approx(female.satisfaction_index())


def test_small_segments_skipped(satisfaction, ecsi):
    labels = ["A"] * 240 + ["B"] * 10
    comparison = compare_segments(satisfaction, ecsi, labels, min_size=30)
    assert set(comparison.results) == {"A"}
    assert "少于 30" in comparison.skipped["B"]
