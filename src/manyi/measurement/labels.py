"""Answer labels: the text an export writes for a rating (非常满意 …) and the number it means.

Online survey services export a rating either as its number or as its label ("按文本"). The
built-in label sets cover the usual 5- and 7-level satisfaction, agreement and likelihood
scales; a codebook's ``[labels]`` table adds others. Levels are listed lowest first and code
1, 2, …; a level may have several spellings (很满意 = 非常满意).

"不知道", "不适用", "拒答" and the services' markers for a skipped question are missing
answers, never a level.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from manyi.measurement.errors import CodebookError

Bounds = tuple[float, float]

MISSING_MARKERS = frozenset(
    s.casefold()
    for s in (
        "", "na", "n/a", "#n/a", "nan", "null", "none", "-", "--", "—", ".", "缺失", "无",
        "空", "(空)", "（空）", "跳过", "(跳过)", "（跳过）", "未作答", "未填写", "未回答",
        "不适用", "不知道", "不清楚", "拒答", "拒绝回答", "说不清", "无法回答", "无法评价",
        "不了解", "没用过", "未使用",
    )
)  # fmt: skip
# A leading option letter some exports keep ("A.非常满意", "B、满意").
_OPTION_LETTER = re.compile(r"^[A-Za-z][.．、:：)）]\s*")
# A score written with its unit or meaning: "8分", "10 分", "10（非常满意）", "0=非常不满意".
_SCORE_TEXT = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*(?:分|[（(].*[)）]|[=＝:：].*)?$")


@dataclass(frozen=True)
class LabelSet:
    """An answer scale: each label's code, and the scale's bounds."""

    name: str
    title: str
    codes: tuple[tuple[str, float], ...]  # (label, code), lowest code first
    bounds: Bounds

    @classmethod
    def ordered(cls, name: str, title: str, levels: Iterable[str], low: int = 1) -> LabelSet:
        """Levels lowest first, coded ``low``, ``low + 1`` …; "a|b" spells one level twice."""
        codes = tuple(
            (text, float(low + position))
            for position, level in enumerate(levels)
            for text in level.split("|")
        )
        return cls(name, title, codes, (float(low), codes[-1][1]))

    def mapping(self) -> dict[str, float]:
        """Folded label → code."""
        return {fold_label(text): code for text, code in self.codes}

    def describe(self) -> str:
        """「非常不满意=1 … 非常满意=5」: the ends of the scale, as a comment shows them."""
        low, high = self.bounds
        first = {code: text for text, code in reversed(self.codes)}
        return f"{first[low]}={low:g} … {first[high]}={high:g}"


def _set(name: str, title: str, *levels: str) -> LabelSet:
    return LabelSet.ordered(name, title, levels)


BUILT_IN: tuple[LabelSet, ...] = (
    _set("agreement3", "3 级赞成程度", "不赞成|不同意", "一般|中立", "赞成|同意"),
    _set(
        "satisfaction5", "5 级满意度",
        "非常不满意|很不满意|极不满意|十分不满意", "不满意|比较不满意|不太满意|较不满意",
        "一般|中立|基本满意", "满意|比较满意|较满意", "非常满意|很满意|十分满意|极其满意",
    ),
    _set(
        "agreement5", "5 级同意程度",
        "非常不同意|完全不同意|非常不赞成|很不同意", "不同意|比较不同意|不赞成|不太同意",
        "一般|中立|不确定|说不准", "同意|比较同意|赞成", "非常同意|完全同意|非常赞成|很同意",
    ),
    _set(
        "likelihood5", "5 级可能性",
        "非常不可能|完全不可能|很不可能|肯定不会", "不太可能|不可能|比较不可能|可能不会",
        "一般|不确定|说不准", "可能|比较可能|可能会", "非常可能|很可能|肯定会|一定会",
    ),
    _set(
        "satisfaction7", "7 级满意度",
        "非常不满意|很不满意|极不满意", "不满意", "比较不满意|不太满意|较不满意", "一般|中立",
        "比较满意|较满意", "满意", "非常满意|很满意|极其满意",
    ),
    _set(
        "agreement7", "7 级同意程度",
        "非常不同意|完全不同意", "不同意", "比较不同意|有点不同意", "一般|中立|不确定",
        "比较同意|有点同意", "同意", "非常同意|完全同意",
    ),
    _set(
        "likelihood7", "7 级可能性",
        "非常不可能|完全不可能", "不可能", "不太可能|比较不可能", "一般|不确定",
        "比较可能|有可能", "可能", "非常可能|极有可能",
    ),
)  # fmt: skip
BUILT_IN_BY_NAME = {s.name: s for s in BUILT_IN}
# Numeric scales an unknown column is taken as: the first (smallest) that holds every answer.
NUMERIC_SCALES: tuple[Bounds, ...] = ((1, 5), (1, 7), (1, 10), (0, 10), (0, 100))


def fold_label(text: str) -> str:
    """How labels compare: full/half width folded, spaces and an option letter dropped."""
    folded = unicodedata.normalize("NFKC", str(text)).strip()
    folded = _OPTION_LETTER.sub("", folded)
    return re.sub(r"\s+", "", folded).casefold()


def is_missing_marker(text: str) -> bool:
    return fold_label(text) in MISSING_MARKERS or text.strip().casefold() in MISSING_MARKERS


def score_from_text(text: str) -> float | None:
    """A number written as text, with or without 分 or its meaning: "8分" → 8."""
    match = _SCORE_TEXT.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        return None
    number = float(match.group(1))
    return number if math.isfinite(number) else None


def custom_label_set(name: str, table: Any, where: str) -> LabelSet:
    """A codebook ``[labels.<name>]`` table: ``"很好" = 5`` …; the codes' range is the scale."""
    if not isinstance(table, Mapping) or not table:
        raise CodebookError(f'{where}：[labels.{name}] 应写成 "标签" = 分值，如 "很好" = 5')
    codes = []
    for label, code in table.items():
        if isinstance(code, bool) or not isinstance(code, int | float) or not math.isfinite(code):
            raise CodebookError(f"{where}：[labels.{name}] 中「{label}」的分值应为数字")
        codes.append((str(label), float(code)))
    codes.sort(key=lambda pair: pair[1])
    low, high = codes[0][1], codes[-1][1]
    if low == high:
        raise CodebookError(f"{where}：[labels.{name}] 至少要有两个不同的分值")
    return LabelSet(name, name, tuple(codes), (low, high))


def fitting_sets(values: Iterable[str], sets: Iterable[LabelSet] = BUILT_IN) -> list[LabelSet]:
    """The label sets in which every answer is a label and different answers are levels apart."""
    distinct = {fold_label(v) for v in values} - MISSING_MARKERS
    if not distinct:
        return []
    found = []
    for label_set in sets:
        mapping = label_set.mapping()
        codes = [mapping.get(v) for v in distinct]
        if None in codes or len(set(codes)) != len(codes):
            continue
        found.append(label_set)
    return found


def numeric_scale(low: float, high: float) -> Bounds | None:
    """The smallest usual scale holding answers from ``low`` to ``high``."""
    return next((s for s in NUMERIC_SCALES if s[0] <= low and high <= s[1]), None)
