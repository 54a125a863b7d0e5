"""Invariances that must hold for any data: column order, shifts, reproducible bootstrap."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from manyi.measurement import bootstrap, estimate, packaged_model

from .helpers import synthetic

MODEL = packaged_model("ecsi")
DATA = synthetic(150, seed=7)
BASE = estimate(DATA, MODEL)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.permutations(MODEL.items), st.permutations(range(len(MODEL.constructs))))
def test_item_and_construct_order_do_not_matter(items, construct_order):
    position = {item: k for k, item in enumerate(items)}
    constructs = tuple(
        replace(c, items=tuple(sorted(c.items, key=position.__getitem__)))
        for c in (MODEL.constructs[k] for k in construct_order)
    )
    model = replace(MODEL, constructs=constructs)
    matrix = np.column_stack([DATA[i] for i in items])
    result = estimate(matrix, model, columns=items)
    for item in MODEL.items:
        assert abs(result.weight_of(item) - BASE.weight_of(item)) < 1e-10
        assert abs(result.loading_of(item) - BASE.loading_of(item)) < 1e-10
    for path in BASE.paths:
        assert abs(result.path(path.source, path.target) - path.estimate) < 1e-10
    for key in MODEL.keys:
        assert abs(result.index[key].value - BASE.index[key].value) < 1e-9
    assert result.iterations == BASE.iterations


@FAST
@given(
    st.lists(st.floats(-50, 50, allow_nan=False), min_size=27, max_size=27),
    st.booleans(),
)
def test_shifting_items_changes_nothing(shifts, scaled):
    base = BASE if not scaled else estimate(DATA, MODEL, scaled=True)
    shifted = {item: DATA[item] + shift for item, shift in zip(MODEL.items, shifts, strict=True)}
    bounds = {
        item: (1.0 + shift, 10.0 + shift) for item, shift in zip(MODEL.items, shifts, strict=True)
    }
    model = MODEL.with_items({c.key: c.items for c in MODEL.constructs}, bounds)
    result = estimate(shifted, model, scaled=scaled)
    assert np.allclose(result.weights, base.weights, atol=1e-9)
    assert np.allclose(result.loadings, base.loadings, atol=1e-9)
    assert np.allclose(result.path_matrix, base.path_matrix, atol=1e-9)
    assert np.allclose(result.scores, base.scores, atol=1e-8)
    # the index moves with the scale: shifted bounds give the same index
    reference = estimate(
        DATA, MODEL.with_items({}, dict.fromkeys(MODEL.items, (1.0, 10.0))), scaled=scaled
    )
    for key in MODEL.keys:
        assert abs(result.index[key].value - reference.index[key].value) < 1e-7


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_bootstrap_is_reproducible(seed):
    first = bootstrap(BASE, 40, seed=seed, bca=False)
    second = bootstrap(BASE, 40, seed=seed, bca=False)
    for group in first.replicates:
        assert np.array_equal(first.replicates[group], second.replicates[group])
    assert first.intervals == second.intervals
    assert first.seed == second.seed == seed


def test_different_seeds_differ():
    a = bootstrap(BASE, 40, seed=1, bca=False)
    b = bootstrap(BASE, 40, seed=2, bca=False)
    assert not np.array_equal(a.replicates["paths"], b.replicates["paths"])
