"""PLS path modelling on moment matrices, for one sample or a stack of bootstrap resamples.

Everything the Wold/Lohmöller iterations need is the items' covariance matrix ``S`` (divisor n,
of centred or standardised items): with ``W`` the outer weights, composite covariances are
``W'SW``, item–composite covariances ``SW``, and Mode A's update ``X_j'Z_j / n`` equals
``S_j. W E``. So a stack of B matrices (B × p × p) runs through the same numpy code as one
sample, and a bootstrap is a batched estimate.

The iteration follows R plspm 0.4/0.5 step by step so the numbers match it:

* start: unit weights scaled so each composite has unit variance;
* Y = standardised composites; inner weights E from cor(Y) (centroid / factorial / path);
* Mode A: w_j = S_j. W E_.j (un-normalised); Mode B: w_j = S_jj⁻¹ S_j. W E_.j;
* stop when Σ(|w_old| − |w_new|)² < tol on these un-normalised weights (``plspm`` rule),
  or when the normalised weights change by less than ``tol`` at most (``strict`` rule);
* final weights: the last update scaled to unit composite variance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Scheme = Literal["centroid", "factorial", "path"]
StopName = Literal["plspm", "strict"]

OK, NOT_CONVERGED, SINGULAR = 0, 1, 2
STATUS_LABELS = {OK: "收敛", NOT_CONVERGED: "未收敛", SINGULAR: "奇异或方差为零"}


@dataclass(frozen=True)
class StopRule:
    name: StopName = "plspm"
    tol: float = 1e-6
    max_iter: int = 100

    @classmethod
    def named(cls, name: str) -> StopRule:
        if name == "plspm":
            return cls("plspm", 1e-6, 100)
        if name == "strict":
            return cls("strict", 1e-12, 1000)
        raise ValueError(f"未知的收敛规则 {name!r}（可选：plspm、strict）")


@dataclass(frozen=True)
class Structure:
    """A bound model in index form: item blocks, modes and the path matrix."""

    blocks: tuple[np.ndarray, ...]  # item indices of each construct
    modes: tuple[str, ...]
    adjacency: np.ndarray  # L × L, adjacency[i, j] = 1 when construct i → construct j

    @property
    def n_items(self) -> int:
        return sum(len(b) for b in self.blocks)

    @property
    def n_constructs(self) -> int:
        return len(self.blocks)

    def design(self) -> np.ndarray:
        """p × L indicator of which item belongs to which construct."""
        design = np.zeros((self.n_items, self.n_constructs))
        for j, block in enumerate(self.blocks):
            design[block, j] = 1.0
        return design

    def block_of(self) -> np.ndarray:
        owner = np.empty(self.n_items, dtype=int)
        for j, block in enumerate(self.blocks):
            owner[block] = j
        return owner

    def predecessors(self, j: int) -> np.ndarray:
        return np.flatnonzero(self.adjacency[:, j])

    def successors(self, j: int) -> np.ndarray:
        return np.flatnonzero(self.adjacency[j, :])


@dataclass
class Fit:
    """Normalised outer weights for each of B moment matrices, and how each run ended."""

    weights: np.ndarray  # B × p × L, zero outside each block, unit composite variance
    iterations: np.ndarray  # B
    status: np.ndarray  # B: OK, NOT_CONVERGED or SINGULAR

    @property
    def ok(self) -> np.ndarray:
        return self.status == OK


def fit_weights(moments: np.ndarray, structure: Structure, scheme: Scheme, stop: StopRule) -> Fit:
    """Run the PLS iterations on every moment matrix of the stack ``moments`` (B × p × p)."""
    moments = np.asarray(moments, dtype=float)
    count = moments.shape[0]
    design = structure.design()
    status = np.full(count, OK)
    iterations = np.zeros(count, dtype=int)
    weights = np.broadcast_to(design, (count, *design.shape)).copy()
    weights, bad = _normalise(moments, weights)
    status[bad] = SINGULAR
    inverses = _mode_b_inverses(moments, structure, status)
    previous = _compare_form(weights, stop)
    active = np.flatnonzero(status == OK)
    for iteration in range(1, stop.max_iter + 1):
        if active.size == 0:
            break
        new, bad = _update(moments[active], weights[active], structure, scheme, inverses, active)
        current = _compare_form(new, stop)
        change = _change(previous[active], current, stop)
        weights[active] = new
        previous[active] = current
        iterations[active] = iteration
        bad |= ~np.isfinite(change)
        status[active[bad]] = SINGULAR
        done = (change < stop.tol) | bad
        active = active[~done]
    status[active] = NOT_CONVERGED
    weights, bad = _normalise(moments, weights)
    status[bad & (status == OK)] = SINGULAR
    return Fit(weights=weights, iterations=iterations, status=status)


def _normalise(moments: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale each composite to unit variance; flag stacks where a composite has none."""
    scaled, _, bad = _standardise(moments, weights)
    return scaled, bad


def _standardise(
    moments: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(weights, S·weights) scaled to unit composite variance, and the failed stacks."""
    covariances = moments @ weights
    variance = (weights * covariances).sum(axis=1)
    bad = ~(variance > 1e-300).all(axis=1) | ~np.isfinite(variance).all(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = 1.0 / np.sqrt(np.where(variance > 0, variance, np.nan))
    scale[bad] = 0.0
    return weights * scale[:, None, :], covariances * scale[:, None, :], bad


def _update(
    moments: np.ndarray,
    weights: np.ndarray,
    structure: Structure,
    scheme: Scheme,
    inverses: dict[int, np.ndarray],
    active: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """One PLS step on a sub-stack: standardise, inner weights, new outer weights."""
    weights, covariances, bad = _standardise(moments, weights)  # Y and cov(X, Y)
    correlations = np.swapaxes(weights, 1, 2) @ covariances  # cor(Y): B × L × L
    inner, singular = inner_weights(correlations, structure, scheme)
    target = covariances @ inner  # cov(X, Z) = X'Z / n
    new = np.zeros_like(weights)
    for j, block in enumerate(structure.blocks):
        if structure.modes[j] == "B":
            inverse = inverses[j][active]
            new[:, block, j] = np.einsum("bpq,bq->bp", inverse, target[:, block, j])
        else:
            new[:, block, j] = target[:, block, j]
    return new, bad | singular


def inner_weights(
    correlations: np.ndarray, structure: Structure, scheme: Scheme
) -> tuple[np.ndarray, np.ndarray]:
    """E (B × L × L): column j says how neighbours of construct j form its inner proxy."""
    links = structure.adjacency + structure.adjacency.T
    if scheme == "centroid":
        return np.sign(correlations) * links, np.zeros(len(correlations), dtype=bool)
    if scheme == "factorial":
        return correlations * links, np.zeros(len(correlations), dtype=bool)
    if scheme != "path":
        raise ValueError(f"未知的内部权重方案 {scheme!r}（可选：centroid、factorial、path）")
    inner = np.zeros_like(correlations)
    singular = np.zeros(len(correlations), dtype=bool)
    for j in range(structure.n_constructs):
        predecessors = structure.predecessors(j)
        if predecessors.size:
            coefficients, bad = solve_stack(
                correlations[:, predecessors[:, None], predecessors],
                correlations[:, predecessors, j],
            )
            inner[:, predecessors, j] = coefficients
            singular |= bad
        successors = structure.successors(j)
        inner[:, successors, j] = correlations[:, j, successors]
    return inner, singular


def solve_stack(matrices: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve A x = b for each of a stack; singular systems give zeros and are flagged."""
    bad = ~np.isfinite(matrices).all(axis=(1, 2)) | ~np.isfinite(vectors).all(axis=1)
    safe = np.where(bad[:, None, None], np.eye(matrices.shape[1]), matrices)
    condition = np.linalg.cond(safe)
    bad |= ~(condition < 1e12)
    safe = np.where(bad[:, None, None], np.eye(matrices.shape[1]), safe)
    solution = np.linalg.solve(safe, np.where(bad[:, None], 0.0, vectors)[..., None])[..., 0]
    return solution, bad


def _mode_b_inverses(
    moments: np.ndarray, structure: Structure, status: np.ndarray
) -> dict[int, np.ndarray]:
    """S_jj⁻¹ of every Mode B block (a singular block marks its stack as failed)."""
    inverses: dict[int, np.ndarray] = {}
    for j, block in enumerate(structure.blocks):
        if structure.modes[j] != "B":
            continue
        sub = moments[:, block[:, None], block]
        condition = np.linalg.cond(sub)
        bad = ~(condition < 1e12)
        status[bad] = SINGULAR
        inverses[j] = np.linalg.inv(np.where(bad[:, None, None], np.eye(len(block)), sub))
    return inverses


def _compare_form(weights: np.ndarray, stop: StopRule) -> np.ndarray:
    """What the stop rule compares between iterations: row sums (plspm) or the full W."""
    if stop.name == "plspm":
        return weights.sum(axis=2)
    return weights.copy()


def _change(previous: np.ndarray, current: np.ndarray, stop: StopRule) -> np.ndarray:
    if stop.name == "plspm":
        return ((np.abs(previous) - np.abs(current)) ** 2).sum(axis=1)
    # strict: compare directions, i.e. the weights scaled to unit sum of squares per column
    a = previous / np.linalg.norm(previous, axis=1, keepdims=True)
    b = current / np.linalg.norm(current, axis=1, keepdims=True)
    return np.abs(np.abs(a) - np.abs(b)).max(axis=(1, 2))


def fix_signs(moments: np.ndarray, weights: np.ndarray, structure: Structure) -> np.ndarray:
    """Flip composites whose items mostly load negatively (as R plspm does for its scores).

    R plspm flips the scores but not the weights; here both flip, so score = X·w holds. A tie
    in the count of signs is broken by the sign of the sum of loadings.
    """
    loadings = item_loadings(moments, weights, structure)
    flips = np.ones((weights.shape[0], structure.n_constructs))
    for j, block in enumerate(structure.blocks):
        votes = np.sign(loadings[:, block]).sum(axis=1)
        total = loadings[:, block].sum(axis=1)
        flips[:, j] = np.where((votes < 0) | ((votes == 0) & (total < 0)), -1.0, 1.0)
    return weights * flips[:, None, :]


def cross_loadings(moments: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """cor(item, composite), B × p × L (composites have unit variance)."""
    scale = np.sqrt(np.einsum("bii->bi", moments))
    with np.errstate(divide="ignore", invalid="ignore"):
        return (moments @ weights) / scale[:, :, None]


def item_loadings(moments: np.ndarray, weights: np.ndarray, structure: Structure) -> np.ndarray:
    """Each item's correlation with its own composite, B × p."""
    owner = structure.block_of()
    return cross_loadings(moments, weights)[:, np.arange(structure.n_items), owner]


def composite_correlations(moments: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return np.swapaxes(weights, 1, 2) @ moments @ weights


def path_coefficients(
    correlations: np.ndarray, structure: Structure
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """OLS of each endogenous composite on its predecessors: paths (B×L×L), R² (B×L), bad."""
    count, size = correlations.shape[0], structure.n_constructs
    paths = np.zeros((count, size, size))
    r2 = np.zeros((count, size))
    bad = np.zeros(count, dtype=bool)
    for j in range(size):
        predecessors = structure.predecessors(j)
        if not predecessors.size:
            continue
        beta, singular = solve_stack(
            correlations[:, predecessors[:, None], predecessors], correlations[:, predecessors, j]
        )
        paths[:, predecessors, j] = beta
        r2[:, j] = np.einsum("bk,bk->b", beta, correlations[:, predecessors, j])
        bad |= singular
    return paths, r2, bad


def total_effects(paths: np.ndarray) -> np.ndarray:
    """Σ_k Bᵏ for an acyclic path matrix stack (B × L × L), i.e. (I − B)⁻¹ − I."""
    size = paths.shape[-1]
    total = np.zeros_like(paths)
    power = paths.copy()
    for _ in range(size):
        if not power.any():
            break
        total += power
        power = power @ paths
    return total
