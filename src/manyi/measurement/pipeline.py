"""``analyse()``: file in, quality records and a fitted model out (what a background task runs).

The steps, in order: read the file; recognise its layout (问卷星, 腾讯问卷, 金数据 or plain
columns); take the codebook given, or propose one, and fill in what it leaves open from the
answers (label sets, scales), saying what was guessed; reverse the reverse-worded items; check
and clean (:func:`validate`); leave out items nobody answered differently; estimate; bootstrap.
Every column the estimate does not use is listed with the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from manyi.measurement.bootstrap import bootstrap
from manyi.measurement.codebook import Codebook, ItemSpec
from manyi.measurement.errors import CodebookError, MeasurementError
from manyi.measurement.estimate import PlsResult, estimate
from manyi.measurement.exports import Layout, recognise
from manyi.measurement.ipa import SegmentComparison, compare_segments
from manyi.measurement.labels import BUILT_IN_BY_NAME
from manyi.measurement.model import Bounds, Model, default_model
from manyi.measurement.quality import QualityReport, QualityRules, validate
from manyi.measurement.survey import Survey, TextCells, Unused, survey_from_table
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
    layout: Layout | None = None
    notes: list[str] = field(default_factory=list)  # what was guessed from the data
    unused: list[Unused] = field(default_factory=list)  # columns not in the estimate, and why

    def index_failures(self) -> list[str]:
        """Why an index is missing, one line per construct (empty when every index stands)."""
        if self.result is None:
            return [self.error or "无法估计"]
        return [
            f"{self.model.label(key)}：{value.note}"
            for key, value in self.result.index.items()
            if value.value is None
        ]


# ---------------------------------------------------------------------------------------------
# The codebook: given, or proposed from the file, completed from the answers


def codebook_for(
    table: Table, model: Model, scale: Bounds | None = None, layout: Layout | None = None
) -> tuple[Codebook, list[str]]:
    """Without a codebook: the file's recognised items (the model's bounds where it names
    them), and notes on what was guessed."""
    layout = layout or recognise(table, model)
    codebook = layout.codebook()
    decided: set[str] = set()  # items whose scale the model (or --scale) gives
    if model.items:
        codebook, decided = _with_model_items(codebook, table, model)
    elif not codebook.constructs():
        raise CodebookError(
            "无法从列名识别题项（如 imag1、品牌形象1，或问卷星、腾讯问卷、金数据导出的题目）："
            "请提供码本（可用 manyi survey codebook 生成后核对），或用带 items 的模型文件"
        )
    if scale is not None:
        codebook = _with_scale(codebook, scale)
        decided = set(codebook.keys)
    notes = [f"按{layout.describe()}读取"] if layout.service else []
    notes += _label_notes(codebook.items)
    guessed = Counter(
        item.bounds
        for item in codebook.items
        if item.labels is None and item.bounds is not None and item.key not in decided
    )
    notes += _scale_notes(guessed)
    if not model.items and any(c.construct and c.key != c.header for c in layout.items()):
        notes.append("题项归入哪个潜变量是按题目文字推断的；请用码本（manyi survey codebook）核对")
    return codebook, notes


def complete_codebook(
    codebook: Codebook, layout: Layout, scale: Bounds | None = None
) -> tuple[Codebook, list[str]]:
    """Fill what a given codebook leaves open: an item's label set when its answers are text
    labels, its scale when none is given (``scale``, else the answers' usual scale)."""
    items, labelled, guessed = [], [], Counter()
    for item in codebook.items:
        guess = layout.column(item.column)
        if item.labels is None and guess is not None and guess.labels is not None:
            item = replace(item, labels=guess.labels)
            labelled.append(item)
        if codebook.item_bounds(item) is None and item.labels is None:
            bounds = scale or (guess.bounds if guess is not None else None)
            if bounds is not None:
                item = replace(item, bounds=bounds)
                if scale is None:
                    guessed[bounds] += 1
        items.append(item)
    notes = _label_notes(labelled) + _scale_notes(guessed)
    return replace(codebook, items=tuple(items)), notes


def _label_notes(items: Iterable[ItemSpec]) -> list[str]:
    counts = Counter(item.labels for item in items if item.labels in BUILT_IN_BY_NAME)
    return [
        f"{count} 个题项的文字答案按「{BUILT_IN_BY_NAME[name].title}」标签读为数字"
        f"（{BUILT_IN_BY_NAME[name].describe()}）"
        for name, count in counts.items()
        if name is not None
    ]


def _scale_notes(guessed: Counter[Bounds | None]) -> list[str]:
    return [
        f"未给出量表范围：{count} 个题项按答案推断为 {b[0]:g}–{b[1]:g} 分；请在码本中写明量表上下限"
        for b, count in guessed.items()
        if b is not None
    ]


def _with_model_items(codebook: Codebook, table: Table, model: Model) -> tuple[Codebook, set[str]]:
    """Items the model names by a header the layout did not take for an item are added; the
    model's bounds replace the guessed ones for the items it names."""
    items = list(codebook.items)
    for construct in model.constructs:
        for name in construct.items:
            if Codebook(tuple(items)).find(name) is None and name in table.header:
                items.append(ItemSpec(name, construct.key))
    named = set(model.items)
    result, decided = [], set()
    for item in items:
        bounds = None
        for name in (item.key, item.column):
            if name in named and bounds is None and item.labels is None:
                bounds = model.item_bounds(name)  # labels carry their own scale
        if bounds is not None:
            item = replace(item, bounds=bounds)
            decided.add(item.key)
        result.append(item)
    roles = {r: c for r, c in codebook.roles.items() if c not in named}
    return replace(codebook, items=tuple(result), roles=roles), decided


def _with_scale(codebook: Codebook, scale: Bounds) -> Codebook:
    items = tuple(
        replace(item, bounds=scale) if item.labels is None else item for item in codebook.items
    )
    return replace(codebook, items=items, scale=scale)


def unused_columns(table: Table, codebook: Codebook, layout: Layout, model: Model) -> list[Unused]:
    """Every column of the file the estimate does not use, with the reason."""
    used = set(codebook.roles.values())
    estimated = set(model.items)
    unused = []
    for header in table.header:
        if header in used:
            continue
        item = codebook.find(header) if header in codebook.columns else None
        if item is not None:
            if item.key not in estimated:
                unused.append(Unused(header, "题项未归入模型的任何潜变量，只做数据校验"))
            continue
        guess = layout.column(header)
        if guess is None or guess.kind == "item":
            unused.append(Unused(header, "码本未列出该列"))
        elif guess.kind == "role":
            unused.append(Unused(header, f"{guess.why}；码本未把它用作被访者信息"))
        else:
            unused.append(Unused(header, guess.why))
    return unused


# ---------------------------------------------------------------------------------------------
# The whole analysis


def analyse(
    source: Source,
    filename: str | None = None,
    *,
    rules: QualityRules,
    codebook: Codebook | None = None,
    model: Model | None = None,
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

    ``rules`` carries the campaign's rules (:meth:`QualityRules.from_scheme`); ``scheme`` is
    the PLS inner weighting scheme. Unreadable files, codebooks and models still raise
    :class:`MeasurementError`.
    """
    step = progress or (lambda _stage, _share: None)
    step("读取数据", 0.0)
    table = read_table(source, filename)
    model = model or default_model()
    layout = recognise(table, model)
    if codebook is None:
        codebook, notes = codebook_for(table, model, scale, layout)
    else:
        codebook, notes = complete_codebook(codebook, layout, scale)
    codebook = codebook.with_reverse(model.reverse, "模型文件")
    bound = codebook.bind(model)
    unused = unused_columns(table, codebook, layout, bound)
    survey = survey_from_table(table, codebook, text_cells=text_cells, unused=unused)
    step("校验与清洗", 0.1)
    quality = validate(survey, rules)
    constant = [item for item in quality.constant_items if item in bound.items]
    if constant:
        bound = bound.without_items(constant)
        unused += [
            Unused(survey.header(item), "所有人答案相同（无差异），已从估计中去掉")
            for item in constant
        ]
    analysis = Analysis(survey, quality, bound, None, layout=layout, notes=notes, unused=unused)
    cleaned = quality.cleaned
    try:
        step("估计模型", 0.2)
        result = estimate(cleaned, bound, scheme=scheme, stop=stop, scaled=scaled)  # type: ignore[arg-type]
    except MeasurementError as exc:
        analysis.error = str(exc)
        return analysis
    result.quality = quality
    analysis.result = result
    if resamples:
        result.bootstrap = bootstrap(
            result,
            resamples,
            seed=seed,
            level=level,
            progress=lambda done, total: step("自助法", 0.25 + 0.6 * done / total),
        )
    if segments and codebook.segment_column is not None:
        step("分组比较", 0.85)
        analysis.segments = compare_segments(
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
    return analysis
