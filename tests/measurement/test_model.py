"""Models as data, and every way a model or its data can be unusable: clear errors, no traceback."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from manyi.measurement import (
    ConvergenceError,
    DataError,
    ModelError,
    default_model,
    estimate,
    load_model,
    parse_model,
)
from manyi.measurement.pls import StopRule

from .helpers import synthetic

BRIEF_EXAMPLE = """
scale = [0, 10]                 # default item bounds
[construct.IMAG]
items = ["imag1", "imag2", "imag3", "imag4", "imag5"]
mode = "A"                      # optional, A by default
[construct.SAT]
items = ["sat1", "sat2", "sat3", "sat4"]
[paths]                         # from = [to, ...]
IMAG = ["SAT"]
"""


def test_brief_example_parses_and_estimates(tmp_path):
    path = tmp_path / "model.toml"
    path.write_text(BRIEF_EXAMPLE, encoding="utf-8")
    model = load_model(path)
    assert model.keys == ("IMAG", "SAT")
    assert model.paths == (("IMAG", "SAT"),)
    assert model.scale == (0.0, 10.0)
    assert model.target_key() == "SAT"
    result = estimate(synthetic(120), model)
    assert 0 < result.r2_of("SAT") < 1
    assert 0 <= result.satisfaction_index() <= 100


def test_default_model_is_the_china_csi_model():
    model = default_model()
    labels = [c.label for c in model.constructs]
    assert labels == ["品牌形象", "预期质量", "感知质量", "感知价值", "顾客满意度", "顾客忠诚"]
    assert len(model.paths) == 11
    assert set(model.successors("IMAG")) == {"EXPE", "QUAL", "VAL", "SAT"}
    assert set(model.successors("EXPE")) == {"QUAL", "VAL", "SAT"}
    assert set(model.successors("QUAL")) == {"VAL", "SAT"}
    assert model.successors("VAL") == ("SAT",)
    assert model.successors("SAT") == ("LOY",)
    assert model.target_key() == "SAT"
    assert model.construct("品牌形象").key == "IMAG"


def test_construct_without_items():
    with pytest.raises(ModelError, match="没有题项"):
        estimate(synthetic(50), default_model())


def test_cycle_is_refused():
    text = BRIEF_EXAMPLE + 'SAT = ["IMAG"]\n'
    with pytest.raises(ModelError, match="环") as info:
        parse_model(text)
    assert "IMAG" in str(info.value) and "SAT" in str(info.value)


def test_longer_cycle_named():
    text = """
[construct.A]
items = ["a"]
[construct.B]
items = ["b"]
[construct.C]
items = ["c"]
[paths]
A = ["B"]
B = ["C"]
C = ["A"]
"""
    with pytest.raises(ModelError, match=r"A → B → C → A|B → C → A → B|C → A → B → C"):
        parse_model(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[construct.A]\nitems = ['a']\n[paths]\nA = ['X']\n", "没有潜变量「X」"),
        ("[construct.A]\nitems = ['a']\nmode = 'C'\n", "mode 应为 A"),
        ("scale = [10, 1]\n[construct.A]\nitems = ['a']\n", "下限小于上限"),
        ("[construct.A]\nitems = ['a']\n[paths]\nA = ['A']\n", "指向自己"),
        ("name = 1\n[paths\n", "不是有效的 TOML"),
        ("scale = [0, 10]\n", "没有 \\[construct"),
    ],
)
def test_bad_model_files(text, message):
    with pytest.raises(ModelError, match=message):
        parse_model(text)


def test_item_in_two_constructs():
    model = parse_model(BRIEF_EXAMPLE.replace('"sat1", ', '"imag1", '))
    with pytest.raises(ModelError, match="同时属于"):
        estimate(synthetic(60), model)


def test_isolated_construct():
    text = BRIEF_EXAMPLE + '[construct.LOY]\nitems = ["loy1", "loy2"]\n'
    with pytest.raises(ModelError, match="没有任何路径"):
        estimate(synthetic(60), parse_model(text))


def test_zero_variance_item():
    data = synthetic(80)
    data["sat2"] = np.full(80, 7.0)
    with pytest.raises(DataError, match=r"方差为零.*sat2"):
        estimate(data, parse_model(BRIEF_EXAMPLE))


def test_missing_values_refused():
    data = synthetic(80)
    data["imag3"][5] = np.nan
    with pytest.raises(DataError, match=r"缺失.*imag3"):
        estimate(data, parse_model(BRIEF_EXAMPLE))


def test_too_few_respondents():
    with pytest.raises(DataError, match="至少需要"):
        estimate({k: v[:5] for k, v in synthetic(80).items()}, parse_model(BRIEF_EXAMPLE))


def test_singular_mode_b_block():
    data = synthetic(80)
    data["imag2"] = data["imag1"] * 2 + 1
    model = parse_model(BRIEF_EXAMPLE.replace('mode = "A"', 'mode = "B"'))
    with pytest.raises(DataError, match="线性相关"):
        estimate(data, model)


def test_collinear_mode_a_items_only_warn():
    data = synthetic(80)
    data["imag2"] = data["imag1"].copy()
    result = estimate(data, parse_model(BRIEF_EXAMPLE))
    assert any("线性相关" in w for w in result.warnings)


def test_singular_inner_model():
    """Two predictors that are the same composite cannot be separated by OLS."""
    text = """
[construct.A]
items = ["imag1", "imag2"]
[construct.B]
items = ["expe1", "expe2"]
[construct.S]
items = ["sat1", "sat2"]
[paths]
A = ["S"]
B = ["S"]
"""
    data = synthetic(80)
    data["expe1"], data["expe2"] = data["imag1"].copy(), data["imag2"].copy()
    with pytest.raises(DataError, match=r"奇异|共线"):
        estimate(data, parse_model(text))


def test_non_convergence_is_an_error_or_a_warning(satisfaction, ecsi):
    rule = StopRule("strict", 1e-15, 3)
    with pytest.raises(ConvergenceError, match="未收敛"):
        estimate(satisfaction, ecsi, stop=rule)
    result = estimate(satisfaction, ecsi, stop=rule, allow_nonconvergence=True)
    assert not result.converged
    assert any("未收敛" in w for w in result.warnings)


def test_unknown_scheme(satisfaction, ecsi):
    with pytest.raises(ModelError, match="内部权重方案"):
        estimate(satisfaction, ecsi, scheme="magic")  # type: ignore[arg-type]


def test_model_order_and_item_order_do_not_matter(satisfaction, ecsi):
    reordered = replace(ecsi, constructs=tuple(reversed(ecsi.constructs)))
    a = estimate(satisfaction, ecsi)
    b = estimate(satisfaction, reordered)
    for item in ecsi.items:
        assert a.weight_of(item) == pytest.approx(b.weight_of(item), abs=1e-12)
    assert a.path("VAL", "SAT") == pytest.approx(b.path("VAL", "SAT"), abs=1e-12)
