"""Importance–performance matrix (重要性–表现矩阵) and comparison between segments.

Importance of a driver = its total effect on the satisfaction construct; performance = its
0–100 index. The drivers are the constructs with a directed path to satisfaction. The matrix
is cut at the drivers' mean importance and mean performance:

=========  ==============  ================  ================================
quadrant   importance      performance       meaning
=========  ==============  ================  ================================
优势区      ≥ mean          ≥ mean            strengths: keep them
修补区      ≥ mean          < mean            weaknesses that matter: fix first
机会区      < mean          < mean            lower priority: improve when resources allow
维持区      < mean          ≥ mean            doing well where it matters less: maintain
=========  ==============  ================  ================================
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from manyi.measurement.errors import MeasurementError
from manyi.measurement.estimate import PlsResult, estimate
from manyi.measurement.model import Model

QUADRANTS = {
    (True, True): "优势区",
    (True, False): "修补区",
    (False, False): "机会区",
    (False, True): "维持区",
}
QUADRANT_ADVICE = {
    "优势区": "重要且表现好：保持优势",
    "修补区": "重要但表现差：优先改进",
    "机会区": "不太重要且表现差：资源允许时改进",
    "维持区": "不太重要但表现好：维持现状",
}


@dataclass(frozen=True)
class IpaPoint:
    construct: str
    label: str
    importance: float
    performance: float | None
    quadrant: str | None


@dataclass(frozen=True)
class IpaResult:
    target: str
    points: list[IpaPoint]
    importance_cut: float
    performance_cut: float | None


def importance_performance(result: PlsResult, target: str | None = None) -> IpaResult:
    """Each driver of ``target`` (default: the satisfaction construct) placed in a quadrant."""
    target_key = result.model.construct(target).key if target else result.target
    j = result.position(target_key)
    drivers = [i for i, key in enumerate(result.constructs) if i != j and _reaches(result, i, j)]
    if not drivers:
        raise MeasurementError(
            f"没有潜变量通过路径影响「{result.model.label(target_key)}」，无法做重要性–表现分析"
        )
    importance = {i: float(result.total[i, j]) for i in drivers}
    performance = {i: result.index[result.constructs[i]].value for i in drivers}
    importance_cut = float(np.mean(list(importance.values())))
    known = [v for v in performance.values() if v is not None]
    performance_cut = float(np.mean(known)) if known else None
    points = []
    for i in drivers:
        key, value = result.constructs[i], performance[i]
        quadrant = None
        if value is not None and performance_cut is not None:
            quadrant = QUADRANTS[(importance[i] >= importance_cut, value >= performance_cut)]
        points.append(IpaPoint(key, result.model.label(key), importance[i], value, quadrant))
    return IpaResult(target_key, points, importance_cut, performance_cut)


def _reaches(result: PlsResult, source: int, target: int) -> bool:
    key_s, key_t = result.constructs[source], result.constructs[target]
    return any(e.source == key_s and e.target == key_t for e in result.effects)


@dataclass
class SegmentComparison:
    column: str
    segments: list[str]
    sizes: dict[str, int]
    results: dict[str, PlsResult]
    skipped: dict[str, str] = field(default_factory=dict)  # segment → why
    overall: PlsResult | None = None

    def index_table(self) -> list[dict[str, Any]]:
        """One row per construct: its index overall and in each estimated segment."""
        reference = self.overall or next(iter(self.results.values()), None)
        if reference is None:
            return []
        rows = []
        for key in reference.constructs:
            row: dict[str, Any] = {"construct": key, "label": reference.model.label(key)}
            if self.overall is not None:
                row["全部"] = self.overall.index[key].value
            for segment, result in self.results.items():
                row[segment] = result.index[key].value
            rows.append(row)
        return rows


def compare_segments(
    data: Any,
    model: Model,
    segments: Sequence[str | None],
    *,
    column: str = "分组",
    min_size: int = 30,
    overall: PlsResult | None = None,
    **options: Any,
) -> SegmentComparison:
    """Estimate ``model`` separately in each segment (respondents labelled by ``segments``).

    ``data`` is a :class:`~manyi.measurement.survey.Survey` or anything :func:`estimate`
    accepts; segments smaller than ``min_size`` are skipped and say so.
    """
    labels = ["（未填）" if s in (None, "") else str(s) for s in segments]
    matrix = _matrix(data, model)
    if len(labels) != len(matrix):
        raise MeasurementError(f"分组标签有 {len(labels)} 个，但数据有 {len(matrix)} 行")
    order = list(dict.fromkeys(labels))
    sizes = {s: labels.count(s) for s in order}
    results: dict[str, PlsResult] = {}
    skipped: dict[str, str] = {}
    for segment in order:
        if sizes[segment] < min_size:
            skipped[segment] = f"样本 {sizes[segment]} 个，少于 {min_size} 个，不单独估计"
            continue
        rows = np.array([label == segment for label in labels])
        try:
            results[segment] = estimate(matrix[rows], model, columns=list(model.items), **options)
        except MeasurementError as exc:
            skipped[segment] = str(exc)
    return SegmentComparison(column, order, sizes, results, skipped, overall)


def _matrix(data: Any, model: Model) -> np.ndarray:
    from manyi.measurement.estimate import item_matrix

    return item_matrix(data, model.items)
