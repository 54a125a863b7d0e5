"""The 0–100 index (ACSI convention) on data whose answer can be computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from manyi.measurement import estimate, parse_model
from manyi.measurement.index import index_stack

from .helpers import synthetic

TWO_SINGLE_ITEMS = """
scale = [1, 10]
[construct.QUAL]
items = ["q"]
[construct.SAT]
items = ["s"]
[paths]
QUAL = ["SAT"]
"""


def test_single_item_constructs_are_rescaled_means():
    rng = np.random.default_rng(0)
    q = rng.integers(1, 11, size=60).astype(float)
    s = np.clip(q + rng.integers(-2, 3, size=60), 1, 10)
    result = estimate({"q": q, "s": s}, parse_model(TWO_SINGLE_ITEMS))
    assert result.index["QUAL"].value == pytest.approx((q.mean() - 1) / 9 * 100, abs=1e-10)
    assert result.satisfaction_index() == pytest.approx((s.mean() - 1) / 9 * 100, abs=1e-10)


def test_hand_computed_index():
    """Weights 1 and 3 on a 1–10 scale, means 7 and 9: (0.25·7 + 0.75·9 − 1) / 9 · 100."""
    indices, normalised = index_stack(
        np.array([[1.0, 3.0]]),
        np.array([[7.0, 9.0]]),
        [np.array([0, 1])],
        np.array([[1, 10], [1, 10]]),
    )
    assert normalised[0].tolist() == [0.25, 0.75]
    assert indices[0, 0] == pytest.approx((0.25 * 7 + 0.75 * 9 - 1) / 9 * 100)


def test_items_on_different_scales():
    """A 1–5 item and a 0–10 item: each weight counts on its item's 0–100 metric."""
    indices, normalised = index_stack(
        np.array([[0.5, 0.2]]),
        np.array([[4.0, 6.0]]),
        [np.array([0, 1])],
        np.array([[1, 5], [0, 10]]),
    )
    v = np.array([0.5 * 4, 0.2 * 10])
    w = v / v.sum()
    assert normalised[0] == pytest.approx(w)
    assert indices[0, 0] == pytest.approx(w[0] * 75 + w[1] * 60)


def test_reference_index_from_published_weights(satisfaction, ecsi, reference):
    """Index of the ECSI data from R plspm's raw-metric weights and the item means (0–10)."""
    result = estimate(satisfaction, ecsi)
    weights = {r["name"]: float(r["weight"]) for r in reference("satisfaction.outer-model.csv")}
    for construct in ecsi.constructs:
        w = np.array([weights[i] for i in construct.items])
        means = np.array([satisfaction[i].mean() for i in construct.items])
        expected = (w / w.sum() @ means - 0) / 10 * 100
        assert result.index[construct.key].value == pytest.approx(expected, abs=1e-6)


def test_scaled_estimate_rescales_weights_to_item_metric():
    data = synthetic(200, seed=4)
    model = parse_model(
        'scale = [1, 10]\n[construct.A]\nitems = ["imag1", "imag2", "imag3"]\n'
        '[construct.S]\nitems = ["sat1", "sat2"]\n[paths]\nA = ["S"]\n'
    )
    result = estimate(data, model, scaled=True)
    raw = result.weights[:3] / np.array([data[i].std() for i in ("imag1", "imag2", "imag3")])
    share = raw / raw.sum()
    means = np.array([data[i].mean() for i in ("imag1", "imag2", "imag3")])
    assert result.index["A"].value == pytest.approx((share @ means - 1) / 9 * 100, abs=1e-10)
    assert list(result.index["A"].weights.values()) == pytest.approx(share.tolist())


def test_negative_weight_is_flagged():
    data = synthetic(200, seed=5)
    data["imag3"] = 11 - data["imag1"]  # reverse-coded item left unrecoded
    model = parse_model(
        'scale = [1, 10]\n[construct.A]\nitems = ["imag1", "imag2", "imag3", "imag4"]\n'
        '[construct.S]\nitems = ["sat1", "sat2"]\n[paths]\nA = ["S"]\n'
    )
    result = estimate(data, model)
    value = result.index["A"]
    assert value.negative_items == ("imag3",)
    assert "权重不为正" in (value.note or "")
    assert any("imag3" in w for w in result.warnings)


def test_no_bounds_no_index(satisfaction):
    model = parse_model(
        '[construct.A]\nitems = ["imag1", "imag2"]\n'
        '[construct.S]\nitems = ["sat1"]\n[paths]\nA = ["S"]\n'
    )
    result = estimate(satisfaction, model)
    assert result.satisfaction_index() is None
    assert "上下限" in result.index["S"].note
