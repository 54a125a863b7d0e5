"""``analyse()``: file in, quality records and a fitted model out (what a background task runs)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from manyi.measurement.bootstrap import bootstrap
from manyi.measurement.codebook import Codebook, ItemSpec, suggest_codebook
from manyi.measurement.errors import CodebookError, MeasurementError
from manyi.measurement.estimate import PlsResult, estimate
from manyi.measurement.ipa import SegmentComparison, compare_segments
from manyi.measurement.model import Bounds, Model, default_model
from manyi.measurement.quality import QualityReport, QualityRules, validate
from manyi.measurement.survey import Survey, TextCells, survey_from_table
from manyi.measurement.tables import Source, Table, read_table

Progress = Callable[[str, float], None]


@dataclass
class Analysis:
    survey: Survey
    quality: QualityReport
    model: Model
    result: PlsResult | None
    segments: SegmentComparison | None = None
    error: str | None = None  # why there is no result


def codebook_for(table: Table, model: Model, scale: Bounds | None = None) -> Codebook:
    """Without a codebook: the model's own items (with its bounds), else names suggested."""
    roles = dict(suggest_codebook(table.header, model).roles)
    if model.items:
        items = tuple(
            ItemSpec(item, c.key, model.item_bounds(item) or scale)
            for c in model.constructs
            for item in c.items
        )
        for role, column in list(roles.items()):
            if column in model.items:
                del roles[role]
        return Codebook(items, roles, scale)
    suggested = suggest_codebook(table.header, model, scale)
    if not suggested.items:
        raise CodebookError(
            "无法从列名识别题项（如 imag1、品牌形象1）：请提供码本，或用带 items 的模型文件"
        )
    return suggested


# Rating scales in common use, smallest first: an unknown scale is taken as the first that
# contains every answer (the index needs the scale's bounds, not the observed ones).
STANDARD_SCALES: tuple[Bounds, ...] = ((1, 5), (1, 7), (1, 10), (0, 10), (0, 100))


def infer_scale(table: Table, codebook: Codebook) -> Bounds | None:
    columns = [table.column_index(item.column) for item in codebook.items]
    values = [
        float(row[i])
        for row in table.rows
        for i in columns
        if isinstance(row[i], int | float) and not isinstance(row[i], bool)
    ]
    if not values:
        return None
    low, high = min(values), max(values)
    return next((s for s in STANDARD_SCALES if s[0] <= low and high <= s[1]), None)


def analyse(
    source: Source,
    filename: str | None = None,
    *,
    codebook: Codebook | None = None,
    model: Model | None = None,
    rules: QualityRules | None = None,
    scheme: str = "centroid",
    stop: str = "plspm",
    scaled: bool = False,
    resamples: int = 0,
    seed: int | None = None,
    level: float = 0.95,
    scale: Bounds | None = None,
    segments: bool = True,
    text_cells: TextCells = "missing",
    progress: Progress | None = None,
) -> Analysis:
    """Read, validate, clean and estimate; a data problem ends in ``error``, not an exception.

    Unreadable files, codebooks and models still raise :class:`MeasurementError`.
    """
    step = progress or (lambda _stage, _share: None)
    step("读取数据", 0.0)
    table = read_table(source, filename)
    model = model or default_model()
    codebook = codebook or codebook_for(table, model, scale)
    bound = codebook.bind(model)
    inferred = None
    if scale is None and bound.scale is None and codebook.scale is None:
        inferred = scale = infer_scale(table, codebook)
    if scale is not None and bound.scale is None:
        bound = replace(bound, scale=scale)
    survey = survey_from_table(table, codebook, text_cells=text_cells)
    step("校验与清洗", 0.1)
    quality = validate(survey, rules)
    if inferred is not None:
        quality.problems.append(
            (
                "warn",
                f"码本未给出量表范围，按数据推断为 {inferred[0]:g}–{inferred[1]:g} 分；"
                "请上传码本写明量表上下限",
            )
        )
    cleaned = quality.cleaned
    try:
        step("估计模型", 0.2)
        result = estimate(cleaned, bound, scheme=scheme, stop=stop, scaled=scaled)  # type: ignore[arg-type]
    except MeasurementError as exc:
        return Analysis(survey, quality, bound, None, error=str(exc))
    result.quality = quality
    if resamples:
        result.bootstrap = bootstrap(
            result,
            resamples,
            seed=seed,
            level=level,
            progress=lambda done, total: step("自助法", 0.25 + 0.7 * done / total),
        )
    comparison = None
    if segments and codebook.segment_column is not None:
        comparison = compare_segments(
            cleaned,
            bound,
            cleaned.segments,
            column=codebook.segment_column,
            overall=result,
            scheme=scheme,
            stop=stop,
            scaled=scaled,
        )
    step("完成", 1.0)
    return Analysis(survey, quality, bound, result, comparison)
