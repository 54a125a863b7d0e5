"""The batched bootstrap equals re-estimating each resample, and reports its failures."""

from __future__ import annotations

import numpy as np
import pytest

from manyi.measurement import DataError, bootstrap, estimate, parse_model, to_json
from manyi.measurement.pls import StopRule

from .helpers import synthetic


@pytest.fixture(scope="module")
def fit(satisfaction, ecsi):
    return estimate(satisfaction, ecsi)


@pytest.mark.parametrize("scaled", [False, True])
def test_batched_resamples_equal_one_by_one_estimates(satisfaction, ecsi, scaled):
    result = estimate(satisfaction, ecsi, scaled=scaled)
    boot = bootstrap(result, 12, seed=11, bca=False)
    draws = np.random.default_rng(11).integers(0, result.n, size=(12, result.n))
    for b, rows in enumerate(draws):
        again = estimate(result.data[rows], ecsi, columns=ecsi.items, scaled=scaled)
        paths = [again.path(p.source, p.target) for p in result.paths]
        assert np.allclose(boot.replicates["paths"][b], paths, atol=1e-10)
        assert np.allclose(boot.replicates["weights"][b], again.weights, atol=1e-10)
        assert np.allclose(boot.replicates["loadings"][b], again.loadings, atol=1e-10)
        index = [again.index[k].value for k in ecsi.keys]
        assert np.allclose(boot.replicates["index"][b], index, atol=1e-8)


def test_intervals(fit):
    boot = bootstrap(fit, 2000, seed=5)
    assert boot.failed == 0 and boot.succeeded == 2000
    for group in ("paths", "weights", "loadings", "r2", "index", "total_effects"):
        assert len(boot.intervals[group]) == len(boot.labels[group])
    sat = boot.interval("paths", "VAL->SAT")
    assert sat.estimate == pytest.approx(fit.path("VAL", "SAT"))
    assert sat.ci_low < sat.estimate < sat.ci_high
    assert sat.bca_low is not None and sat.bca_low < sat.estimate < sat.bca_high
    assert 0.04 < sat.se < 0.15
    index = boot.interval("index", "SAT")
    assert index.ci_low < fit.satisfaction_index() < index.ci_high
    assert boot.interval("r2", "SAT").estimate == pytest.approx(fit.r2_of("SAT"))


def test_failed_resamples_are_counted_not_dropped_silently():
    data = synthetic(40, seed=3)
    data["imag5"] = np.full(40, 8.0)
    data["imag5"][0] = 9.0  # varies only through respondent 0
    model = parse_model(
        'scale = [1, 10]\n[construct.IMAG]\nitems = ["imag1", "imag2", "imag5"]\n'
        '[construct.SAT]\nitems = ["sat1", "sat2"]\n[paths]\nIMAG = ["SAT"]\n'
    )
    result = estimate(data, model, scaled=True)
    boot = bootstrap(result, 300, seed=2)
    assert boot.failed > 50  # P(respondent 0 not drawn) ≈ 0.36
    assert boot.failed + boot.succeeded == 300
    assert boot.failures["奇异矩阵或零方差"] == boot.failed
    assert len(boot.replicates["paths"]) == boot.succeeded
    assert "失败" in boot.notes[0]


def test_non_converging_resamples_counted(satisfaction, ecsi):
    result = estimate(
        satisfaction, ecsi, stop=StopRule("strict", 1e-15, 3), allow_nonconvergence=True
    )
    boot = bootstrap(result, 30, seed=1, bca=False)
    assert boot.failures == {"未收敛": 30}
    assert boot.succeeded == 0


def test_json_shape(fit):
    fit.bootstrap = bootstrap(fit, 200, seed=9)
    data = to_json(fit)
    fit.bootstrap = None
    paths = data["bootstrap"]["paths"]
    assert {"from", "to", "estimate", "se", "ci_low", "ci_high"} <= set(paths[0])
    assert data["bootstrap"]["failed"] == 0
    assert data["bootstrap"]["seed"] == 9


def test_bad_arguments(fit):
    with pytest.raises(DataError):
        bootstrap(fit, 0)
    with pytest.raises(DataError):
        bootstrap(fit, 10, level=1.5)


def test_progress_is_reported(fit):
    seen = []
    bootstrap(fit, 50, seed=1, bca=False, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (50, 50)


def test_resample_stream_does_not_depend_on_chunking(fit, ecsi):
    """Resample b is row b of default_rng(seed).integers(0, n, (B, n)), past chunk borders too."""
    boot = bootstrap(fit, 1003, seed=21, bca=False)
    rows = np.random.default_rng(21).integers(0, fit.n, size=(1003, fit.n))[1002]
    again = estimate(fit.data[rows], ecsi, columns=ecsi.items)
    assert np.allclose(boot.replicates["weights"][1002], again.weights, atol=1e-10)
