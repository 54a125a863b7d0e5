"""Reliability and validity figures of a fitted model, from the item correlation matrix.

Conventions (chosen to match R plspm where it reports the figure):

* Cronbach's α on standardised items (R plspm's ``C.alpha``);
* Dillon–Goldstein ρ from the block's first principal component (R plspm's ``DG.rho``);
* eigenvalues of the block's correlation matrix;
* ρc (composite reliability) and AVE from the PLS loadings;
* ρA (Dijkstra–Henseler) from the weights of the standardised items;
* HTMT from item correlations (Henseler, Ringle & Sarstedt 2015), without absolute values.

Mode B (formative) blocks get eigenvalues only: internal consistency does not apply to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Reliability:
    construct: str
    mode: str
    items: int
    alpha: float | None
    dg_rho: float | None
    rho_a: float | None
    rho_c: float | None
    ave: float | None
    eigenvalues: tuple[float, ...]
    block_communality: float
    mean_redundancy: float

    @property
    def eig_1st(self) -> float:
        return self.eigenvalues[0]

    @property
    def eig_2nd(self) -> float:
        return self.eigenvalues[1] if len(self.eigenvalues) > 1 else 0.0


def correlation_matrix(moments: np.ndarray) -> np.ndarray:
    scale = np.sqrt(np.diag(moments))
    return moments / np.outer(scale, scale)


def block_reliability(
    key: str,
    mode: str,
    correlations: np.ndarray,
    loadings: np.ndarray,
    std_weights: np.ndarray,
    r2: float,
) -> Reliability:
    """Figures for one block: its item correlations, PLS loadings and standardised weights."""
    p = len(loadings)
    eigenvalues = np.sort(np.linalg.eigvalsh(correlations))[::-1]
    communality = loadings**2
    common = {
        "construct": key,
        "mode": mode,
        "items": p,
        "eigenvalues": tuple(float(v) for v in eigenvalues),
        "block_communality": float(communality.mean()),
        "mean_redundancy": float((communality * r2).mean()),
    }
    if mode == "B":
        return Reliability(alpha=None, dg_rho=None, rho_a=None, rho_c=None, ave=None, **common)
    if p == 1:
        return Reliability(alpha=1.0, dg_rho=1.0, rho_a=1.0, rho_c=1.0, ave=1.0, **common)
    return Reliability(
        alpha=_alpha(correlations),
        dg_rho=_dg_rho(correlations, eigenvalues),
        rho_a=_rho_a(correlations, std_weights),
        rho_c=_rho_c(loadings),
        ave=float(communality.mean()),
        **common,
    )


def _alpha(correlations: np.ndarray) -> float:
    p = len(correlations)
    inter = correlations.sum() - np.trace(correlations)
    alpha = inter / correlations.sum() * p / (p - 1)
    return float(max(alpha, 0.0))


def _dg_rho(correlations: np.ndarray, eigenvalues: np.ndarray) -> float:
    values, vectors = np.linalg.eigh(correlations)
    first = vectors[:, np.argmax(values)] * np.sqrt(values.max())  # cor(item, 1st PC)
    numerator = first.sum() ** 2
    return float(numerator / (numerator + len(first) - (first**2).sum()))


def _rho_a(correlations: np.ndarray, weights: np.ndarray) -> float | None:
    w = weights / np.sqrt(weights @ correlations @ weights)
    off = correlations - np.diag(np.diag(correlations))
    outer = np.outer(w, w)
    denominator = w @ (outer - np.diag(np.diag(outer))) @ w
    if abs(denominator) < 1e-15:
        return None
    return float((w @ w) ** 2 * (w @ off @ w) / denominator)


def _rho_c(loadings: np.ndarray) -> float:
    numerator = loadings.sum() ** 2
    return float(numerator / (numerator + (1 - loadings**2).sum()))


def htmt(correlations: np.ndarray, blocks: Sequence[np.ndarray]) -> np.ndarray:
    """Heterotrait–monotrait ratios (L × L, NaN where a block has a single item)."""
    size = len(blocks)
    mono = np.full(size, np.nan)
    for j, block in enumerate(blocks):
        if len(block) > 1:
            sub = correlations[np.ix_(block, block)]
            mono[j] = (sub.sum() - np.trace(sub)) / (len(block) * (len(block) - 1))
    ratios = np.full((size, size), np.nan)
    for i in range(size):
        for j in range(size):
            if i != j and mono[i] > 0 and mono[j] > 0:
                hetero = correlations[np.ix_(blocks[i], blocks[j])].mean()
                ratios[i, j] = hetero / np.sqrt(mono[i] * mono[j])
    return ratios


def outer_vif(correlations: np.ndarray, blocks: Sequence[np.ndarray]) -> np.ndarray:
    """VIF of each item within its block (1 for single-item blocks, inf when collinear)."""
    vif = np.ones(len(correlations))
    for block in blocks:
        if len(block) < 2:
            continue
        sub = correlations[np.ix_(block, block)]
        if np.linalg.cond(sub) > 1e12:
            vif[block] = np.inf
        else:
            vif[block] = np.diag(np.linalg.inv(sub))
    return vif
