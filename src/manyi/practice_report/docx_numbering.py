"""Word's automatic numbering: the "一、" a heading shows although its text does not hold it.

A paragraph is numbered by ``w:numPr`` (its own or its style's): ``numId`` picks a ``w:num``,
which points at a ``w:abstractNum``; ``ilvl`` picks a level with a start value, a format
(``decimal``, ``chineseCounting`` …) and a text such as ``"%1、"`` or ``"（%2）"``. Counters
run in document order per abstract definition (see :class:`Numbering`); using a level resets
the deeper ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from manyi.practice_report.docx_styles import (
    Props,
    on_off,
    paragraph_props,
    to_int,
    w,
    wval,
)
from manyi.rules.model import chinese_numeral

_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
_CHINESE_FORMATS = frozenset(
    {
        "chineseCounting",
        "chineseCountingThousand",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",  # LibreOffice writes its "一, 二, 三, ..." as this
        "japaneseCounting",
    }
)
_DIGIT_BY_DIGIT = frozenset({"ideographDigital", "taiwaneseDigital"})  # 10 → 一〇
_IDEOGRAPH_DIGITS = "〇一二三四五六七八九"


def format_number(n: int, fmt: str) -> str:
    """One counter value in one of Word's number formats (``w:numFmt``)."""
    if fmt in ("none", "bullet"):
        return ""
    if n <= 0:
        return str(n)
    if fmt in _CHINESE_FORMATS and n < 100:
        return chinese_numeral(n)
    if fmt in _DIGIT_BY_DIGIT:
        return "".join(_IDEOGRAPH_DIGITS[int(d)] for d in str(n))
    if fmt == "chineseLegalSimplified" and n <= 10:
        return "拾" if n == 10 else _LEGAL[n]
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12]
    if fmt.startswith("decimalFullWidth"):
        return str(n).translate(_FULLWIDTH)
    if fmt.startswith("decimalEnclosedCircle") and n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter") and n <= 26 * 30:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and n < 4000:
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


@dataclass(frozen=True)
class Level:
    ilvl: int
    start: int
    fmt: str
    text: str
    restart: int | None  # w:lvlRestart: restart after a level above this value is used
    legal: bool  # w:isLgl: show all counters as decimal
    suffix: str  # after the number: tab, space or nothing
    ppr: Props
    style: str | None  # w:pStyle: the paragraph style this level is linked to


def _level(element: Any) -> Level:
    def val(tag: str) -> str | None:
        return wval(element.find(w(tag)))

    restart = val("lvlRestart")
    legal = element.find(w("isLgl"))
    suffix = {"space": " ", "nothing": ""}.get(val("suff") or "tab", "\t")
    return Level(
        ilvl=_ilvl(element.get(w("ilvl"))),
        start=to_int(val("start"), 1),
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") or "",
        restart=to_int(restart, 0) if restart is not None else None,
        legal=legal is not None and on_off(legal),
        suffix=suffix,
        ppr=paragraph_props(element.find(w("pPr"))),
        style=val("pStyle"),
    )


def _ilvl(value: str | None) -> int:
    """A level index 0–8 (Word has nine levels); anything else reads as 0."""
    level = to_int(value, 0)
    return level if 0 <= level <= 8 else 0


_Override = tuple[int | None, Level | None]  # (startOverride, a whole level redefined)
_Definition = tuple[str, dict[int, Level], dict[int, _Override]]


class Numbering:
    """Numbering definitions of one document, with the counters of one pass through it.

    Counters run per abstract definition, as Word counts: lists (``w:num``) that share an
    abstract definition continue one another, and a list with ``w:startOverride`` on a level
    restarts the shared counter there the first time that list uses the level. So a list
    numbered 1–4 and a second list restarted at 1 that is followed by more items of the first
    show 1–4, 1, 2 … — not 1–4, 1, 5.
    """

    def __init__(self, root: Any, style_num_id: Callable[[str], str | None] | None = None):
        self._abstract: dict[str, dict[int, Level]] = {}
        self._links: dict[str, str] = {}  # abstractNum → numbering style (w:numStyleLink)
        self._nums: dict[str, tuple[str, dict[int, _Override]]] = {}
        self._counters: dict[str, dict[int, int]] = {}  # abstractNum → level → value
        self._entered: set[tuple[str, int]] = set()  # (numId, level) used so far
        self._style_num_id = style_num_id  # numbering style id → its numId
        if root is not None:
            self._read(root)

    def _read(self, root: Any) -> None:
        for abstract in root.iter(w("abstractNum")):
            key = abstract.get(w("abstractNumId")) or ""
            levels: dict[int, Level] = {}
            for lvl in abstract.iter(w("lvl")):
                level = _level(lvl)
                levels.setdefault(level.ilvl, level)
            self._abstract.setdefault(key, levels)
            link = abstract.find(w("numStyleLink"))
            if link is not None and wval(link):
                self._links[key] = wval(link)  # type: ignore[assignment]
        for num in root.iter(w("num")):
            abstract_id = wval(num.find(w("abstractNumId"))) or ""
            overrides: dict[int, _Override] = {}
            for override in num.iter(w("lvlOverride")):
                start = override.find(w("startOverride"))
                lvl = override.find(w("lvl"))
                overrides[_ilvl(override.get(w("ilvl")))] = (
                    to_int(wval(start), 1) if start is not None else None,
                    _level(lvl) if lvl is not None else None,
                )
            self._nums.setdefault(num.get(w("numId")) or "", (abstract_id, overrides))

    def _definition(self, num_id: str, depth: int = 0) -> _Definition | None:
        if num_id not in self._nums or depth > 3:
            return None
        abstract_id, overrides = self._nums[num_id]
        link = self._links.get(abstract_id)
        if link and self._style_num_id is not None:
            linked = self._style_num_id(link)
            if linked and linked != num_id:
                found = self._definition(linked, depth + 1)
                if found is not None:
                    return found[0], found[1], overrides or found[2]
        return abstract_id, self._abstract.get(abstract_id, {}), overrides

    def level(self, num_id: str | None, ilvl: int | None, style_id: str | None) -> Level | None:
        if not num_id or num_id == "0":
            return None
        definition = self._definition(num_id)
        if definition is None:
            return None
        _, levels, overrides = definition
        if ilvl is None or not 0 <= ilvl <= 8:
            linked = [lv.ilvl for lv in levels.values() if style_id and lv.style == style_id]
            ilvl = linked[0] if linked else 0
        override = overrides.get(ilvl, (None, None))[1]
        return override or levels.get(ilvl)

    def paragraph_props(self, num_id: str, ilvl: int | None, style_id: str | None) -> Props:
        """The level's paragraph properties (its indentation) for the style resolver."""
        level = self.level(num_id, ilvl, style_id)
        return dict(level.ppr) if level else {}

    def next_label(self, num_id: str | None, ilvl: int | None, style_id: str | None) -> str:
        """The number the next paragraph of this list shows, e.g. "二、" or "（3）"."""
        level = self.level(num_id, ilvl, style_id)
        if level is None or (level.fmt == "none" and "%" not in level.text):
            return ""
        definition = self._definition(num_id)  # type: ignore[arg-type]
        assert definition is not None
        abstract_id, levels, overrides = definition
        counters = self._counters.setdefault(abstract_id, {})
        self._advance(num_id, counters, level, levels, overrides)  # type: ignore[arg-type]
        if level.fmt == "bullet":
            return level.text + level.suffix
        label = level.text
        for k in range(9, 0, -1):
            token = f"%{k}"
            if token in label:
                shown = levels.get(k - 1) or level
                value = counters.get(k - 1, self._start(shown, overrides))
                fmt = "decimal" if level.legal and k - 1 != level.ilvl else shown.fmt
                label = label.replace(token, format_number(value, fmt))
        return label + level.suffix

    @staticmethod
    def _start(level: Level, overrides: dict[int, _Override]) -> int:
        start = overrides.get(level.ilvl, (None, None))[0]
        return level.start if start is None else start

    def _advance(
        self,
        num_id: str,
        counters: dict[int, int],
        level: Level,
        levels: dict[int, Level],
        overrides: dict[int, _Override],
    ) -> None:
        first_use = (num_id, level.ilvl) not in self._entered
        self._entered.add((num_id, level.ilvl))
        restart = overrides.get(level.ilvl, (None, None))[0]
        if first_use and restart is not None:
            counters[level.ilvl] = restart
        elif level.ilvl in counters:
            counters[level.ilvl] += 1
        else:
            counters[level.ilvl] = self._start(level, overrides)
        for deeper in range(level.ilvl + 1, 9):
            restart_after = levels[deeper].restart if deeper in levels else None
            if restart_after == 0:
                continue
            if restart_after is None or level.ilvl <= restart_after - 1:
                counters.pop(deeper, None)
