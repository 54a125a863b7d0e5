"""The 0–100 satisfaction index of each construct (ACSI convention, Fornell et al. 1996).

For construct j with items i, raw-metric outer weights wᵢ (the weights that make the composite
from the items as answered: for standardised estimation wᵢ = w*ᵢ / sᵢ), bounds [minᵢ, maxᵢ]
and item means x̄ᵢ:

    vᵢ = wᵢ · (maxᵢ − minᵢ)            weight of item i on its own 0–100 metric
    ŵᵢ = vᵢ / Σ v                      normalised to sum 1 within the block
    index = Σ ŵᵢ · (x̄ᵢ − minᵢ) / (maxᵢ − minᵢ) · 100

With one scale for all items this is the textbook (Σ ŵᵢ x̄ᵢ − min) / (max − min) · 100.

A figure is given only when it means something: a non-positive weight makes the index a
weighted contrast rather than an average (usually an item worded the other way round and not
reversed), so such a block has no index, and neither has one outside 0–100; the note says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class IndexValue:
    construct: str
    value: float | None
    weights: dict[str, float]  # normalised weights ŵᵢ on the 0–100 metric
    negative_items: tuple[str, ...]  # items with a non-positive weight (a finding)
    note: str | None = None


def index_stack(
    raw_weights: np.ndarray,
    means: np.ndarray,
    blocks: Sequence[np.ndarray],
    bounds: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Indices (B × L) and normalised weights (B × p) for a stack of samples.

    ``raw_weights`` and ``means`` are B × p; ``bounds`` is p × 2 (NaN where unknown).
    """
    width = bounds[:, 1] - bounds[:, 0]
    scaled_weights = raw_weights * width
    performance = (means - bounds[:, 0]) / width * 100.0
    indices = np.full((raw_weights.shape[0], len(blocks)), np.nan)
    normalised = np.full_like(raw_weights, np.nan)
    for j, block in enumerate(blocks):
        total = scaled_weights[:, block].sum(axis=1)
        usable = total > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            share = scaled_weights[:, block] / total[:, None]
        share[~usable] = np.nan
        normalised[:, block] = share
        indices[:, j] = (share * performance[:, block]).sum(axis=1)
    return indices, normalised


def describe_indices(
    keys: Sequence[str],
    items: Sequence[str],
    blocks: Sequence[np.ndarray],
    indices: np.ndarray,
    normalised: np.ndarray,
    raw_weights: np.ndarray,
    bounds: np.ndarray,
    headers: Mapping[str, str] | None = None,
) -> dict[str, IndexValue]:
    """One sample's indices as :class:`IndexValue` records; ``value`` is None with the reason
    in ``note`` whenever the figure would not mean what an index means."""
    result: dict[str, IndexValue] = {}
    for j, key in enumerate(keys):
        block = blocks[j]
        names = [items[i] for i in block]
        negative = tuple(items[i] for i in block if not raw_weights[i] > 0)
        value: float | None = float(indices[j]) if np.isfinite(indices[j]) else None
        note = None
        if np.isnan(bounds[block]).any():
            value, note = None, "题项缺少量表上下限，无法计算指数（请在码本中写 scale 或 labels）"
        elif negative:
            shown = "、".join(
                f"「{_shown(items[i], headers)}」（{raw_weights[i]:.3g}）"
                for i in block
                if not raw_weights[i] > 0
            )
            value = None
            note = (
                f"题项可能需要反向计分：{shown}的外部权重不为正，指数不成立。请核对这些题是否为"
                "反向表述，在码本中写 reverse = true（或在模型的潜变量中写 reverse = [...]）"
            )
        elif value is None:
            note = "权重之和不为正，无法计算指数"
        elif not 0 <= value <= 100:
            note = f"指数 {value:.2f} 超出 0–100，不成立：请核对量表上下限和反向计分的题项"
            value = None
        weights = {
            name: float(normalised[i]) if np.isfinite(normalised[i]) else float("nan")
            for name, i in zip(names, block, strict=True)
        }
        result[key] = IndexValue(key, value, weights, negative, note)
    return result


def _shown(item: str, headers: Mapping[str, str] | None) -> str:
    header = (headers or {}).get(item, item)
    return item if header == item else f"{item}：{header}"
