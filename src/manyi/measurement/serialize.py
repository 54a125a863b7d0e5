"""``to_json()``: results as plain JSON-ready dicts (NaN and infinities become null)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from manyi.measurement.bootstrap import BootstrapResult, Interval
from manyi.measurement.errors import MeasurementError
from manyi.measurement.estimate import PlsResult
from manyi.measurement.ipa import IpaResult, importance_performance
from manyi.measurement.quality import STATUS_LABELS, QualityReport
from manyi.measurement.respondents import Finding


def to_json(result: PlsResult) -> dict[str, Any]:
    """Everything of a fit (and its bootstrap and quality report, when attached)."""
    keys, items = result.constructs, result.items
    endogenous = [k for k in keys if result.model.predecessors(k)]
    data: dict[str, Any] = {
        "model": model_json(result),
        "settings": {
            "scheme": result.scheme,
            "stop": result.stop.name,
            "tolerance": result.stop.tol,
            "max_iter": result.stop.max_iter,
            "scaled": result.scaled,
            "n": result.n,
            "iterations": result.iterations,
            "converged": result.converged,
        },
        "target": result.target,
        "satisfaction_index": result.satisfaction_index(),
        "index": {k: v.value for k, v in result.index.items()},
        "index_detail": {
            k: {
                "value": v.value,
                "weights": v.weights,
                "negative_items": list(v.negative_items),
                "note": v.note,
            }
            for k, v in result.index.items()
        },
        "paths": [
            {
                "from": p.source,
                "to": p.target,
                "estimate": p.estimate,
                "se": p.se,
                "t": p.t,
                "p": p.p,
            }
            for p in result.paths
        ],
        "r2": {k: result.r2_of(k) for k in endogenous},
        "r2_adj": {k: float(result.r2_adj[result.position(k)]) for k in endogenous},
        "weights": dict(zip(items, result.weights.tolist(), strict=True)),
        "loadings": dict(zip(items, result.loadings.tolist(), strict=True)),
        "communalities": dict(zip(items, result.communalities.tolist(), strict=True)),
        "redundancies": dict(zip(items, result.redundancies.tolist(), strict=True)),
        "cross_loadings": {
            item: dict(zip(keys, result.cross_loadings[i].tolist(), strict=True))
            for i, item in enumerate(items)
        },
        "effects": [
            {
                "from": e.source,
                "to": e.target,
                "direct": e.direct,
                "indirect": e.indirect,
                "total": e.total,
            }
            for e in result.effects
        ],
        "reliability": {
            k: {
                "mode": r.mode,
                "items": r.items,
                "alpha": r.alpha,
                "dg_rho": r.dg_rho,
                "rho_a": r.rho_a,
                "rho_c": r.rho_c,
                "ave": r.ave,
                "eig_1st": r.eig_1st,
                "eig_2nd": r.eig_2nd,
                "block_communality": r.block_communality,
                "mean_redundancy": r.mean_redundancy,
            }
            for k, r in result.reliability.items()
        },
        "fornell_larcker": result.fornell_larcker(),
        "htmt": _matrix(result.htmt, keys),
        "latent_correlations": _matrix(result.latent_correlations, keys),
        "vif": {
            "inner": [{"from": p.source, "to": p.target, "vif": p.vif} for p in result.paths],
            "items": dict(zip(items, result.item_vif.tolist(), strict=True)),
        },
        "gof": result.gof,
        "item_means": dict(zip(items, result.item_means.tolist(), strict=True)),
        "ipa": _ipa(result),
        "warnings": list(result.warnings),
        "quality": quality_json(result.quality) if result.quality is not None else None,
    }
    if result.bootstrap is not None:
        data["bootstrap"] = bootstrap_json(result.bootstrap)
    return clean(data)


def _ipa(result: PlsResult) -> dict[str, Any] | None:
    try:
        return ipa_json(importance_performance(result))
    except MeasurementError:
        return None  # the satisfaction construct has no drivers


def model_json(result: PlsResult) -> dict[str, Any]:
    model = result.model
    return {
        "name": model.name,
        "constructs": [
            {"key": c.key, "label": c.label, "mode": c.mode, "items": list(c.items)}
            for c in model.constructs
        ],
        "paths": [{"from": a, "to": b} for a, b in model.paths],
    }


def ipa_json(ipa: IpaResult) -> dict[str, Any]:
    return {
        "target": ipa.target,
        "importance_cut": ipa.importance_cut,
        "performance_cut": ipa.performance_cut,
        "points": [
            {
                "construct": p.construct,
                "label": p.label,
                "importance": p.importance,
                "performance": p.performance,
                "quadrant": p.quadrant,
            }
            for p in ipa.points
        ],
    }


def bootstrap_json(boot: BootstrapResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "resamples": boot.resamples,
        "seed": boot.seed,
        "level": boot.level,
        "succeeded": boot.succeeded,
        "failed": boot.failed,
        "failures": boot.failures,
        "seconds": boot.seconds,
        "notes": boot.notes,
    }
    for group, rows in boot.intervals.items():
        data[group] = [_interval(group, row) for row in rows]
    return data


def _interval(group: str, row: Interval) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if group in ("paths", "total_effects"):
        source, target = row.label.split("->")
        entry.update({"from": source, "to": target})
    else:
        entry["name"] = row.label
    entry.update(
        {
            "estimate": row.estimate,
            "mean": row.mean,
            "se": row.se,
            "t": row.t,
            "ci_low": row.ci_low,
            "ci_high": row.ci_high,
            "bca_low": row.bca_low,
            "bca_high": row.bca_high,
        }
    )
    return entry


def quality_json(report: QualityReport) -> dict[str, Any]:
    return clean(
        {
            "file": report.filename,
            "status": report.status,
            "status_label": STATUS_LABELS[report.status],
            "n_raw": report.n_raw,
            "n_clean": report.n_clean,
            "counts": report.counts(),
            "problems": [
                {"code": p.code, "severity": p.severity, "message": p.message}
                for p in report.problems
            ],
            "findings": [f.to_dict() for f in report.findings()],
            "constant_items": list(report.constant_items),
            "rules": [vars(r) for r in report.rules],
            "flags": [vars(f) for f in report.flags],
            "steps": [vars(s) for s in report.steps],
            "imputed": len(report.imputations),
            "review": [vars(e) for e in report.review],
        }
    )


def findings_json(findings: list[Finding]) -> list[dict[str, Any]]:
    """Respondent-list findings with the rows they concern, and their provenance."""
    return [
        {
            "code": f.code,
            "status": f.status,
            "message": f.message,
            "details": list(f.details),
            "source": f.source,
            "quote": f.quote,
            "reason": f.reason,
        }
        for f in findings
    ]


def _matrix(values: np.ndarray, keys: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    return {
        a: {b: float(values[i, j]) for j, b in enumerate(keys) if i != j}
        for i, a in enumerate(keys)
    }


def clean(value: Any) -> Any:
    """Recursively turn numpy scalars into Python ones and non-finite floats into None."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
