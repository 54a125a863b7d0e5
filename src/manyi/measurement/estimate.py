"""``estimate()``: one PLS path model fit with every figure a measurement report needs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

from manyi.measurement import pls
from manyi.measurement.errors import ConvergenceError, DataError, ModelError
from manyi.measurement.index import IndexValue, describe_indices, index_stack
from manyi.measurement.model import Model
from manyi.measurement.reliability import (
    Reliability,
    block_reliability,
    correlation_matrix,
    htmt,
    outer_vif,
)

if TYPE_CHECKING:
    from manyi.measurement.bootstrap import BootstrapResult
    from manyi.measurement.quality import QualityReport

MIN_RESPONDENTS = 10


@dataclass(frozen=True)
class PathEstimate:
    source: str
    target: str
    estimate: float
    se: float
    t: float
    p: float
    vif: float


@dataclass(frozen=True)
class Effect:
    source: str
    target: str
    direct: float
    indirect: float
    total: float


@dataclass
class PlsResult:
    """A fitted model. Arrays are indexed by ``items`` (p) and ``constructs`` (L)."""

    model: Model
    scheme: str
    stop: pls.StopRule
    scaled: bool
    n: int
    items: tuple[str, ...]
    constructs: tuple[str, ...]
    iterations: int
    converged: bool
    weights: np.ndarray  # p, on the analysed metric (standardised or centred raw items)
    weight_matrix: np.ndarray  # p × L
    loadings: np.ndarray  # p
    cross_loadings: np.ndarray  # p × L
    communalities: np.ndarray  # p
    redundancies: np.ndarray  # p
    path_matrix: np.ndarray  # L × L, [i, j] = i → j
    paths: list[PathEstimate]
    r2: np.ndarray  # L (0 for exogenous)
    r2_adj: np.ndarray  # L
    direct: np.ndarray
    indirect: np.ndarray
    total: np.ndarray
    effects: list[Effect]
    latent_correlations: np.ndarray  # L × L
    reliability: dict[str, Reliability]
    htmt: np.ndarray  # L × L
    item_vif: np.ndarray  # p
    gof: float
    scores: np.ndarray  # n × L
    item_means: np.ndarray  # p, raw
    item_sd: np.ndarray  # p, raw (divisor n − 1)
    bounds: np.ndarray  # p × 2 (NaN when unknown)
    index: dict[str, IndexValue]
    target: str
    data: np.ndarray = field(repr=False)  # n × p raw item values, for the bootstrap
    headers: dict[str, str] = field(default_factory=dict)  # item → column header, when known
    warnings: list[str] = field(default_factory=list)
    bootstrap: BootstrapResult | None = None
    quality: QualityReport | None = None

    # -- convenient views -------------------------------------------------------------------

    def structure(self) -> pls.Structure:
        return structure_of(self.model, self.items)

    def position(self, key: str) -> int:
        return self.constructs.index(self.model.construct(key).key)

    def path(self, source: str, target: str) -> float:
        return float(self.path_matrix[self.position(source), self.position(target)])

    def weight_of(self, item: str) -> float:
        return float(self.weights[self.items.index(item)])

    def loading_of(self, item: str) -> float:
        return float(self.loadings[self.items.index(item)])

    def r2_of(self, key: str) -> float:
        return float(self.r2[self.position(key)])

    def satisfaction_index(self) -> float | None:
        """The headline figure: the target construct's 0–100 index."""
        return self.index[self.target].value

    def fornell_larcker(self) -> dict[str, dict[str, Any]]:
        """√AVE against the largest correlation with another construct, per construct."""
        table: dict[str, dict[str, Any]] = {}
        for j, key in enumerate(self.constructs):
            ave = self.reliability[key].ave
            others = np.delete(np.abs(self.latent_correlations[j]), j)
            largest = float(others.max()) if others.size else 0.0
            root = float(np.sqrt(ave)) if ave is not None else None
            table[key] = {
                "sqrt_ave": root,
                "max_correlation": largest,
                "ok": None if root is None else root > largest,
            }
        return table


def structure_of(model: Model, items: Sequence[str]) -> pls.Structure:
    keys = model.keys
    position = {item: i for i, item in enumerate(items)}
    blocks = tuple(np.array([position[i] for i in c.items], dtype=int) for c in model.constructs)
    adjacency = np.zeros((len(keys), len(keys)))
    for source, target in model.paths:
        adjacency[keys.index(source), keys.index(target)] = 1.0
    modes = tuple(c.mode for c in model.constructs)
    return pls.Structure(blocks=blocks, modes=modes, adjacency=adjacency)


def item_matrix(
    data: Any, items: Sequence[str], columns: Sequence[str] | None = None
) -> np.ndarray:
    """The n × p float matrix of ``items`` from a Survey, a mapping or an array with columns."""
    if hasattr(data, "matrix") and callable(data.matrix):
        return np.asarray(data.matrix(items), dtype=float)
    if isinstance(data, Mapping):
        missing = [i for i in items if i not in data]
        if missing:
            raise DataError("数据中没有这些题项列：" + "、".join(missing))
        return np.column_stack([np.asarray(data[i], dtype=float) for i in items])
    array = np.asarray(data, dtype=float)
    if columns is None:
        if array.ndim != 2 or array.shape[1] != len(items):
            raise DataError("数据是矩阵时须给出列名 columns，或列数与模型题项数相同（按模型顺序）")
        return array
    columns = list(columns)
    missing = [i for i in items if i not in columns]
    if missing:
        raise DataError("数据中没有这些题项列：" + "、".join(missing))
    return array[:, [columns.index(i) for i in items]]


def estimate(
    data: Any,
    model: Model,
    *,
    scheme: pls.Scheme = "centroid",
    stop: str | pls.StopRule = "plspm",
    scaled: bool = False,
    columns: Sequence[str] | None = None,
    allow_nonconvergence: bool = False,
) -> PlsResult:
    """Estimate ``model`` on ``data`` by PLS path modelling.

    ``scaled=False`` (default) works on centred raw items, as R plspm's ``scaled=FALSE``: with
    one answer scale for every item this keeps the weights in the item metric for the index.
    """
    model.check()
    rule = stop if isinstance(stop, pls.StopRule) else pls.StopRule.named(stop)
    if scheme not in ("centroid", "factorial", "path"):
        raise ModelError(f"未知的内部权重方案 {scheme!r}（可选：centroid、factorial、path）")
    items = model.items
    raw = item_matrix(data, items, columns)
    headers = {i: h for i, h in dict(getattr(data, "headers", None) or {}).items() if i in items}
    _check_data(raw, items)
    structure = structure_of(model, items)
    moments, x = _moments(raw, scaled)
    warnings = _check_blocks(moments, model, structure)
    fit = pls.fit_weights(moments[None], structure, scheme, rule)
    warnings += _fit_warnings(fit, rule, allow_nonconvergence)
    weights = pls.fix_signs(moments[None], fit.weights, structure)
    return _assemble(
        model=model,
        scheme=scheme,
        rule=rule,
        scaled=scaled,
        raw=raw,
        x=x,
        moments=moments,
        structure=structure,
        weights=weights[0],
        fit=fit,
        warnings=warnings,
        headers=headers,
    )


def _check_data(raw: np.ndarray, items: Sequence[str]) -> None:
    n = raw.shape[0]
    if n < MIN_RESPONDENTS:
        raise DataError(f"有效样本只有 {n} 个，至少需要 {MIN_RESPONDENTS} 个才能估计模型")
    missing = np.argwhere(~np.isfinite(raw))
    if missing.size:
        row, col = missing[0]
        raise DataError(
            f"数据中有 {len(missing)} 个缺失或非数值（如第 {row + 1} 个样本的「{items[col]}」）："
            "请先用 validate() 清洗、插补后再估计"
        )
    spread = raw.max(axis=0) - raw.min(axis=0)
    constant = [items[i] for i in np.flatnonzero(spread == 0)]
    if constant:
        raise DataError(
            "这些题项所有人的回答都相同（方差为零），无法估计：" + "、".join(constant) + "。"
            "请从模型中删去这些题项"
        )


def _moments(raw: np.ndarray, scaled: bool) -> tuple[np.ndarray, np.ndarray]:
    """Moment matrix (divisor n) of the analysed items, and the analysed data matrix."""
    x = raw - raw.mean(axis=0)
    if scaled:
        x = x / np.sqrt((x**2).mean(axis=0))
    return x.T @ x / len(x), x


def _check_blocks(moments: np.ndarray, model: Model, structure: pls.Structure) -> list[str]:
    """Collinear items: an error in a Mode B block (it is inverted), a warning otherwise."""
    correlations = correlation_matrix(moments)
    warnings: list[str] = []
    for construct, block in zip(model.constructs, structure.blocks, strict=True):
        if len(block) < 2:
            continue
        sub = correlations[np.ix_(block, block)]
        if np.linalg.eigvalsh(sub).min() > 1e-10:
            continue
        message = (
            f"潜变量「{construct.label}」的题项线性相关（数据奇异），例如有两题答案完全相同或成比例"
        )
        if construct.mode == "B":
            raise DataError(message + "：形成型（Mode B）潜变量无法估计，请删去重复的题项")
        warnings.append(message + "：请考虑删去重复的题项")
    return warnings


def _fit_warnings(fit: pls.Fit, rule: pls.StopRule, allow: bool) -> list[str]:
    status = int(fit.status[0])
    if status == pls.SINGULAR:
        raise DataError(
            "迭代中出现奇异矩阵或零方差的潜变量：请检查是否有题项完全共线或某潜变量题项太少"
        )
    if status == pls.NOT_CONVERGED:
        message = (
            f"PLS 迭代 {rule.max_iter} 次仍未收敛（规则 {rule.name}）：可改用 path 方案，或检查"
            "载荷为负、与本潜变量无关的题项"
        )
        if not allow:
            raise ConvergenceError(message)
        return [message]
    return []


def _assemble(
    *,
    model: Model,
    scheme: str,
    rule: pls.StopRule,
    scaled: bool,
    raw: np.ndarray,
    x: np.ndarray,
    moments: np.ndarray,
    structure: pls.Structure,
    weights: np.ndarray,
    fit: pls.Fit,
    warnings: list[str],
    headers: dict[str, str],
) -> PlsResult:
    n, items, keys = len(raw), model.items, model.keys
    stack_s, stack_w = moments[None], weights[None]
    cross = pls.cross_loadings(stack_s, stack_w)[0]
    owner = structure.block_of()
    loadings = cross[np.arange(len(items)), owner]
    latent = pls.composite_correlations(stack_s, stack_w)[0]
    path_matrix, r2, singular = pls.path_coefficients(latent[None], structure)
    if singular[0]:
        raise DataError("潜变量之间完全共线（数据奇异），无法估计路径系数：请检查模型或题项")
    path_matrix, r2 = path_matrix[0], r2[0]
    total = pls.total_effects(path_matrix[None])[0]
    communalities = loadings**2
    redundancies = communalities * r2[owner]
    correlations = correlation_matrix(moments)
    std_weights = weights * np.sqrt(np.diag(moments))[:, None]
    reliability = {
        key: block_reliability(
            key,
            structure.modes[j],
            correlations[np.ix_(block, block)],
            loadings[block],
            std_weights[block, j],
            float(r2[j]),
        )
        for j, (key, block) in enumerate(zip(keys, structure.blocks, strict=True))
    }
    flat = weights.sum(axis=1)
    means, sd = raw.mean(axis=0), raw.std(axis=0, ddof=1)
    bounds = _bounds(model, items)
    # the index needs weights of the items as answered: undo the standardisation
    raw_weights = flat / raw.std(axis=0) if scaled else flat
    indices, normalised = index_stack(raw_weights[None], means[None], structure.blocks, bounds)
    index = describe_indices(
        keys, items, structure.blocks, indices[0], normalised[0], raw_weights, bounds, headers
    )
    warnings = warnings + _index_warnings(model, index)
    return PlsResult(
        model=model,
        scheme=scheme,
        stop=rule,
        scaled=scaled,
        n=n,
        items=items,
        constructs=keys,
        iterations=int(fit.iterations[0]),
        converged=bool(fit.status[0] == pls.OK),
        weights=flat,
        weight_matrix=weights,
        loadings=loadings,
        cross_loadings=cross,
        communalities=communalities,
        redundancies=redundancies,
        path_matrix=path_matrix,
        paths=_path_table(model, structure, latent, path_matrix, r2, n),
        r2=r2,
        r2_adj=_adjusted_r2(structure, r2, n),
        direct=path_matrix,
        indirect=total - path_matrix,
        total=total,
        effects=_effects(keys, path_matrix, total),
        latent_correlations=latent,
        reliability=reliability,
        htmt=htmt(correlations, structure.blocks),
        item_vif=outer_vif(correlations, structure.blocks),
        gof=_gof(structure, communalities, r2),
        scores=x @ weights,
        item_means=means,
        item_sd=sd,
        bounds=bounds,
        index=index,
        target=model.target_key(),
        data=raw,
        warnings=warnings,
        headers=headers,
    )


def _bounds(model: Model, items: Sequence[str]) -> np.ndarray:
    bounds = np.full((len(items), 2), np.nan)
    for i, item in enumerate(items):
        pair = model.item_bounds(item)
        if pair is not None:
            bounds[i] = pair
    return bounds


def _index_warnings(model: Model, index: Mapping[str, IndexValue]) -> list[str]:
    return [f"{model.label(key)}：{value.note}" for key, value in index.items() if value.note]


def _path_table(
    model: Model,
    structure: pls.Structure,
    latent: np.ndarray,
    path_matrix: np.ndarray,
    r2: np.ndarray,
    n: int,
) -> list[PathEstimate]:
    """OLS standard errors, t and p values of the paths, and the predictors' VIF."""
    keys = model.keys
    table: list[PathEstimate] = []
    for j in range(structure.n_constructs):
        predecessors = structure.predecessors(j)
        if not predecessors.size:
            continue
        inverse = np.linalg.inv(latent[np.ix_(predecessors, predecessors)])
        dof = n - len(predecessors) - 1
        se = np.sqrt(np.clip((1 - r2[j]) / dof * np.diag(inverse), 0, None)) if dof > 0 else None
        for k, i in enumerate(predecessors):
            value = float(path_matrix[i, j])
            error = float(se[k]) if se is not None else float("nan")
            t = value / error if error > 0 else float("nan")
            p = float(2 * stats.t.sf(abs(t), dof)) if dof > 0 and np.isfinite(t) else float("nan")
            vif = float(inverse[k, k])
            table.append(PathEstimate(keys[i], keys[j], value, error, t, p, vif))
    order = {key: k for k, key in enumerate(keys)}
    return sorted(table, key=lambda e: (order[e.source], order[e.target]))


def _adjusted_r2(structure: pls.Structure, r2: np.ndarray, n: int) -> np.ndarray:
    adjusted = np.zeros_like(r2)
    for j in range(structure.n_constructs):
        q = len(structure.predecessors(j))
        if q and n - q - 1 > 0:
            adjusted[j] = 1 - (1 - r2[j]) * (n - 1) / (n - q - 1)
    return adjusted


def _effects(keys: Sequence[str], direct: np.ndarray, total: np.ndarray) -> list[Effect]:
    """Every pair joined by at least one directed path, in model order."""
    reach = _reachability(direct != 0)
    return [
        Effect(
            keys[i],
            keys[j],
            float(direct[i, j]),
            float(total[i, j] - direct[i, j]),
            float(total[i, j]),
        )
        for i in range(len(keys))
        for j in range(len(keys))
        if i != j and reach[i, j]
    ]


def _reachability(links: np.ndarray) -> np.ndarray:
    reach = links.copy()
    for _ in range(len(links)):
        reach = reach | ((reach.astype(int) @ links.astype(int)) > 0)
    return reach


def _gof(structure: pls.Structure, communalities: np.ndarray, r2: np.ndarray) -> float:
    """√(mean communality over blocks of 2+ items, weighted by size × mean R² of endogenous)."""
    multi = [b for b in structure.blocks if len(b) > 1]
    if not multi:
        return float("nan")
    mean_communality = np.concatenate([communalities[b] for b in multi]).mean()
    endogenous = [j for j in range(structure.n_constructs) if structure.predecessors(j).size]
    return float(np.sqrt(mean_communality * r2[endogenous].mean()))
