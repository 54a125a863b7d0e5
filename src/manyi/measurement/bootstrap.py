"""Bootstrap of a fitted model: every resample at once, as a stack of moment matrices.

A resample changes only the item moments. With multinomial counts c (how often each respondent
is drawn) the resample's covariance is Σ cᵢxᵢxᵢ' / n − m m' with m = Σ cᵢxᵢ / n, so all B
covariance matrices come from one matrix product (B × n counts by n × p(p+1)/2 cross-products)
and the PLS iterations then run on the B × p × p stack (:mod:`manyi.measurement.pls`).

Resamples that do not converge or hit a singular matrix are counted by reason and left out of
the intervals; the counts are part of the result. Intervals: percentile and BCa (bias-corrected
and accelerated; the acceleration from the jackknife: delete-one up to 1,000 respondents, else
1,000 delete-a-group blocks; each is the full sums minus the deleted rows' sums).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from manyi.measurement import pls
from manyi.measurement.errors import DataError
from manyi.measurement.estimate import PlsResult
from manyi.measurement.index import index_stack

Progress = Callable[[int, int], None]
GROUPS = ("paths", "weights", "loadings", "r2", "index", "total_effects")
GROUP_LABELS = {
    "paths": "路径系数",
    "weights": "外部权重",
    "loadings": "载荷",
    "r2": "R²",
    "index": "指数",
    "total_effects": "总效应",
}
FAILURE_LABELS = {pls.NOT_CONVERGED: "未收敛", pls.SINGULAR: "奇异矩阵或零方差"}
_CELLS_PER_CHUNK = 4_000_000
_JACKKNIFE_GROUPS = 1000
_RESAMPLES_PER_CHUNK = 1000  # bounds memory; larger chunks gain little speed


@dataclass(frozen=True)
class Interval:
    label: str
    estimate: float
    mean: float
    se: float
    ci_low: float  # percentile interval
    ci_high: float
    bca_low: float | None
    bca_high: float | None

    @property
    def t(self) -> float:
        return self.estimate / self.se if self.se > 0 else float("nan")


@dataclass
class BootstrapResult:
    resamples: int
    seed: int
    level: float
    succeeded: int
    failures: dict[str, int]
    labels: dict[str, list[str]]
    estimates: dict[str, np.ndarray]
    replicates: dict[str, np.ndarray]  # group → (succeeded × k)
    intervals: dict[str, list[Interval]]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return self.resamples - self.succeeded

    def interval(self, group: str, label: str) -> Interval:
        for entry in self.intervals[group]:
            if entry.label == label:
                return entry
        raise KeyError(f"{group}: {label}")


class _Sampler:
    """Moments of weighted resamples of one data matrix (raw items, centred once)."""

    def __init__(self, raw: np.ndarray, scaled: bool):
        self.raw = raw
        self.scaled = scaled
        self.n, self.p = raw.shape
        self.mean = raw.mean(axis=0)
        self.centred = raw - self.mean
        self.upper = np.triu_indices(self.p)
        pairs = len(self.upper[0])
        self.row_chunk = max(1, _CELLS_PER_CHUNK // max(pairs, 1))

    def products(self, rows: slice) -> np.ndarray:
        block = self.centred[rows]
        return block[:, self.upper[0]] * block[:, self.upper[1]]

    def moments(self, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(analysed moments B×p×p, raw item means B×p, raw item s.d. B×p) for weights."""
        second = np.zeros((len(counts), len(self.upper[0])))
        first = np.zeros((len(counts), self.p))
        for start in range(0, self.n, self.row_chunk):
            rows = slice(start, start + self.row_chunk)
            second += counts[:, rows] @ self.products(rows)
            first += counts[:, rows] @ self.centred[rows]
        return self.finish(first, second, counts.sum(axis=1))

    def leave_out(self, groups: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Moments without each contiguous group of rows: the totals minus the group's sums."""
        second_total = np.zeros(len(self.upper[0]))
        for start in range(0, self.n, self.row_chunk):
            second_total += self.products(slice(start, start + self.row_chunk)).sum(axis=0)
        first_total = self.centred.sum(axis=0)
        second = np.stack(
            [second_total - self.products(slice(g[0], g[-1] + 1)).sum(axis=0) for g in groups]
        )
        first = np.stack([first_total - self.centred[g].sum(axis=0) for g in groups])
        sizes = np.array([self.n - len(g) for g in groups], dtype=float)
        return self.finish(first, second, sizes)

    def finish(
        self, first: np.ndarray, second: np.ndarray, total: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Weighted sums of x and of x xᵀ (upper triangle) → covariance, means, s.d."""
        first = first / total[:, None]
        second = second / total[:, None] - first[:, self.upper[0]] * first[:, self.upper[1]]
        covariance = np.zeros((len(total), self.p, self.p))
        covariance[:, self.upper[0], self.upper[1]] = second
        covariance[:, self.upper[1], self.upper[0]] = second
        sd = np.sqrt(np.clip(np.einsum("bii->bi", covariance), 0, None))
        if self.scaled:
            with np.errstate(divide="ignore", invalid="ignore"):
                covariance = covariance / (sd[:, :, None] * sd[:, None, :])
        return covariance, self.mean + first, sd


class _Evaluator:
    """Fit and summarise a stack of moment matrices into the bootstrapped statistics."""

    def __init__(self, result: PlsResult):
        self.result = result
        self.structure = result.structure()
        keys = result.constructs
        self.path_pairs = [
            (result.position(p.source), result.position(p.target)) for p in result.paths
        ]
        self.effect_pairs = [
            (result.position(e.source), result.position(e.target)) for e in result.effects
        ]
        self.endogenous = [j for j in range(len(keys)) if self.structure.predecessors(j).size]
        self.labels = {
            "paths": [f"{p.source}->{p.target}" for p in result.paths],
            "weights": list(result.items),
            "loadings": list(result.items),
            "r2": [keys[j] for j in self.endogenous],
            "index": list(keys),
            "total_effects": [f"{e.source}->{e.target}" for e in result.effects],
        }

    def __call__(
        self, moments: np.ndarray, means: np.ndarray, sd: np.ndarray
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        result, structure = self.result, self.structure
        status = np.where(np.isfinite(moments).all(axis=(1, 2)), pls.OK, pls.SINGULAR)
        safe = np.where((status == pls.OK)[:, None, None], moments, np.eye(moments.shape[1]))
        fit = pls.fit_weights(safe, structure, result.scheme, result.stop)  # type: ignore[arg-type]
        status = np.where(status == pls.OK, fit.status, status)
        weights = pls.fix_signs(safe, fit.weights, structure)
        flat = weights.sum(axis=2)
        loadings = pls.item_loadings(safe, weights, structure)
        correlations = pls.composite_correlations(safe, weights)
        paths, r2, singular = pls.path_coefficients(correlations, structure)
        total = pls.total_effects(paths)
        with np.errstate(divide="ignore", invalid="ignore"):
            raw_weights = flat / sd if result.scaled else flat
        indices, _ = index_stack(raw_weights, means, structure.blocks, result.bounds)
        values = {
            "paths": np.stack([paths[:, i, j] for i, j in self.path_pairs], axis=1),
            "weights": flat,
            "loadings": loadings,
            "r2": r2[:, self.endogenous],
            "index": indices,
            "total_effects": np.stack([total[:, i, j] for i, j in self.effect_pairs], axis=1),
        }
        status = np.where((status == pls.OK) & singular, pls.SINGULAR, status)
        finite = np.ones(len(status), dtype=bool)
        for group, array in values.items():
            if group != "index":  # an index may be undefined (no bounds) in every sample
                finite &= np.isfinite(array).all(axis=1)
        status = np.where((status == pls.OK) & ~finite, pls.SINGULAR, status)
        return values, status


def bootstrap(
    result: PlsResult,
    resamples: int = 5000,
    *,
    seed: int | None = None,
    level: float = 0.95,
    bca: bool = True,
    progress: Progress | None = None,
) -> BootstrapResult:
    """Resample respondents ``resamples`` times and re-estimate ``result``'s model on each."""
    if resamples < 1:
        raise DataError("自助法重抽样次数至少为 1")
    if not 0 < level < 1:
        raise DataError("置信水平应在 0 与 1 之间，如 0.95")
    started = time.perf_counter()
    seed = int(np.random.SeedSequence().entropy % (2**63)) if seed is None else int(seed)
    rng = np.random.default_rng(seed)
    sampler = _Sampler(result.data, result.scaled)
    evaluate = _Evaluator(result)
    original, _ = evaluate(*sampler.moments(np.ones((1, sampler.n))))
    chunk = max(1, min(_RESAMPLES_PER_CHUNK, _CELLS_PER_CHUNK // sampler.n))
    parts: list[dict[str, np.ndarray]] = []
    statuses: list[np.ndarray] = []
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        counts = _counts(rng, size, sampler.n)
        values, status = evaluate(*sampler.moments(counts))
        parts.append({g: v[status == pls.OK] for g, v in values.items()})
        statuses.append(status)
        if progress is not None:
            progress(start + size, resamples)
    status = np.concatenate(statuses)
    replicates = {g: np.concatenate([p[g] for p in parts]) for g in GROUPS}
    estimates = {g: original[g][0] for g in GROUPS}
    jackknife = _jackknife(sampler, evaluate) if bca else None
    intervals = {
        g: _intervals(
            evaluate.labels[g], estimates[g], replicates[g], jackknife and jackknife[g], level
        )
        for g in GROUPS
    }
    failures = {
        FAILURE_LABELS[code]: int((status == code).sum())
        for code in FAILURE_LABELS
        if (status == code).any()
    }
    notes = []
    if failures:
        notes.append(
            f"{resamples} 次重抽样中 {int((status != pls.OK).sum())} 次失败（"
            + "，".join(f"{k} {v} 次" for k, v in failures.items())
            + "），区间按其余重抽样计算"
        )
    return BootstrapResult(
        resamples=resamples,
        seed=seed,
        level=level,
        succeeded=int((status == pls.OK).sum()),
        failures=failures,
        labels=evaluate.labels,
        estimates=estimates,
        replicates=replicates,
        intervals=intervals,
        seconds=time.perf_counter() - started,
        notes=notes,
    )


def _counts(rng: np.random.Generator, size: int, n: int) -> np.ndarray:
    """How often each respondent is drawn in each of ``size`` resamples (size × n)."""
    draws = rng.integers(0, n, size=(size, n))
    offsets = (np.arange(size) * n)[:, None]
    return np.bincount((draws + offsets).ravel(), minlength=size * n).reshape(size, n).astype(float)


def _jackknife(sampler: _Sampler, evaluate: _Evaluator) -> dict[str, np.ndarray]:
    """Leave-one-out (or leave-one-group-out) estimates for the BCa acceleration."""
    groups = np.array_split(np.arange(sampler.n), min(sampler.n, _JACKKNIFE_GROUPS))
    values, status = evaluate(*sampler.leave_out(groups))
    return {g: v[status == pls.OK] for g, v in values.items()}


def _intervals(
    labels: list[str],
    estimates: np.ndarray,
    replicates: np.ndarray,
    jackknife: np.ndarray | None,
    level: float,
) -> list[Interval]:
    alpha = 1 - level
    rows: list[Interval] = []
    for k, label in enumerate(labels):
        sample = replicates[:, k]
        sample = sample[np.isfinite(sample)]
        estimate = float(estimates[k])
        if len(sample) < 2 or not np.isfinite(estimate):
            rows.append(
                Interval(
                    label,
                    estimate,
                    float("nan"),
                    float("nan"),
                    float("nan"),
                    float("nan"),
                    None,
                    None,
                )
            )
            continue
        low, high = np.quantile(sample, [alpha / 2, 1 - alpha / 2])
        bca = _bca(sample, estimate, jackknife[:, k] if jackknife is not None else None, alpha)
        rows.append(
            Interval(
                label=label,
                estimate=estimate,
                mean=float(sample.mean()),
                se=float(sample.std(ddof=1)),
                ci_low=float(low),
                ci_high=float(high),
                bca_low=bca[0] if bca else None,
                bca_high=bca[1] if bca else None,
            )
        )
    return rows


def _bca(
    sample: np.ndarray, estimate: float, jackknife: np.ndarray | None, alpha: float
) -> tuple[float, float] | None:
    if jackknife is None:
        return None
    jackknife = jackknife[np.isfinite(jackknife)]
    below = (np.sum(sample < estimate) + 0.5 * np.sum(sample == estimate)) / len(sample)
    if not 0 < below < 1 or len(jackknife) < 3:
        return None
    z0 = stats.norm.ppf(below)
    spread = jackknife.mean() - jackknife
    denominator = 6 * (spread**2).sum() ** 1.5
    acceleration = (spread**3).sum() / denominator if denominator > 0 else 0.0
    probabilities = []
    for z in stats.norm.ppf([alpha / 2, 1 - alpha / 2]):
        shifted = z0 + (z0 + z) / (1 - acceleration * (z0 + z))
        probabilities.append(stats.norm.cdf(shifted))
    if not np.isfinite(probabilities).all():
        return None
    low, high = np.quantile(sample, probabilities)
    return float(low), float(high)
