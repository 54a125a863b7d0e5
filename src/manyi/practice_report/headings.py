"""Recognising section numbers ("一、" / "（一）" / "1." / "（1）") at the start of a paragraph.

The number formats come from the scheme (``report_format.headings``). A number written a
little differently ("1、" for "1.", half-width brackets) is still recognised, and flagged as
``numbering.format``; numbers of another scheme ("第一章", "1.1", "1.3.1") are recognised as
such (``foreign``); "1.5亿元" at the start of a sentence is not a number. Whether a numbered
paragraph is a heading or a list item is decided in ``structure``.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from manyi.rules.model import HeadingStyle

# A heading is short; a longer numbered paragraph is an enumerated body paragraph.
MAX_TITLE_CHARS = 40
_SENTENCE_END = tuple("。；;，,！!？?")
_CN_NUMERALS = "一二三四五六七八九十"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"  # Word's ideographTraditional numbering: a wrong format
_BUDGET = re.compile(r"[（(]\s*\d+\s*字\s*[）)]")
# Numbers of other schemes: chapters and sections, and dotted decimals (1.1, 1.3.1).
_CHAPTER = re.compile(
    r"\s*第\s*(?P<num>[一二三四五六七八九十百零〇]+|[0-9]{1,3})\s*(?P<unit>章|部分|节)\s*"
)
_DOTTED = re.compile(r"\s*(?P<num>[0-9]{1,2}(?:[.．][0-9]{1,2}){1,3})(?![0-9０-９%.．])[.．]?\s*")
_LOOSE_CHARS = {
    "、": "[、.．,，]",
    ".": "[、.．,，]",
    "．": "[、.．,，]",
    "（": "[（(]",
    "(": "[（(]",
    "）": "[）)]",
    ")": "[）)]",
}


@dataclass(frozen=True)
class Heading:
    level: int  # the level its number belongs to (1 = "一、")
    n: int | None  # the counter value written, None when there is no number
    number: str  # the number as written, "" when none
    title: str  # the text after the number, without the "（1000字）" budget
    exact: bool  # the number is written exactly in the scheme's format
    foreign: bool = False  # numbered in another scheme: "第一章", "1.1"

    @property
    def numbered(self) -> bool:
        return bool(self.number)

    @property
    def text(self) -> str:
        return f"{self.number}{self.title}"


@dataclass(frozen=True)
class _Pattern:
    style: HeadingStyle
    exact: re.Pattern[str]
    loose: re.Pattern[str]
    chinese: bool


def chinese_value(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23; 甲 → 1 (the tiangan series)."""
    if text and all(c in _TIANGAN for c in text) and len(text) == 1:
        return _TIANGAN.index(text) + 1
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if not text or any(c not in digits and c != "十" for c in text):
        return None
    if "十" not in text:
        return digits[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def _compile(style: HeadingStyle) -> _Pattern:
    exact, loose = "", ""
    chinese = False
    for literal, name, _, _ in string.Formatter().parse(style.pattern):
        exact += re.escape(literal)
        loose += "".join(_LOOSE_CHARS.get(c, re.escape(c)) + r"\s*" for c in literal)
        if name == "cn":
            chinese = True
            exact += f"(?P<num>[{_CN_NUMERALS}]+)"
            loose += f"(?P<num>[{_CN_NUMERALS}]+|[{_TIANGAN}])" + r"\s*"
        elif name == "n":
            exact += r"(?P<num>[0-9]+)"
            loose += r"(?P<num>[0-9０-９]+)\s*"
    # A number followed by a digit or a decimal point is a quantity ("1.5亿"), not a heading.
    tail = r"(?![0-9０-９.．%])"
    return _Pattern(
        style, re.compile(r"\s*" + exact + tail), re.compile(r"\s*" + loose + tail), chinese
    )


class HeadingRecognizer:
    """Finds the heading number and title at the start of a paragraph."""

    def __init__(self, styles: Sequence[HeadingStyle], outline_titles: Sequence[str] = ()):
        self._patterns = [_compile(style) for style in styles]
        self._titles = [t for t in (normalize_title(t) for t in outline_titles) if t]

    def recognize(self, text: str) -> Heading | None:
        """The number and short title at the start of ``text``; None for body text."""
        for exact in (True, False):
            for pattern in self._patterns:
                regex = pattern.exact if exact else pattern.loose
                match = regex.match(text)
                if match is None:
                    continue
                heading = self._heading(pattern, match, text, exact)
                if heading is not None:
                    return heading
        return self._foreign(text)

    def _foreign(self, text: str) -> Heading | None:
        chapter = _CHAPTER.match(text)
        if chapter is not None:
            raw = chapter.group("num")
            n = int(raw) if raw.isdigit() else chinese_value(raw)
            level = 2 if chapter.group("unit") == "节" else 1
            return self._foreign_heading(text, chapter, level, n)
        dotted = _DOTTED.match(text)
        if dotted is not None:
            parts = re.split(r"[.．]", dotted.group("num"))
            return self._foreign_heading(text, dotted, len(parts), int(parts[-1]))
        return None

    def _foreign_heading(
        self, text: str, match: re.Match[str], level: int, n: int | None
    ) -> Heading | None:
        title = self._short_title(text[match.end() :].strip())
        if title is None:
            return None
        return Heading(level, n, text[: match.end()].strip(), title, False, foreign=True)

    def _heading(
        self, pattern: _Pattern, match: re.Match[str], text: str, exact: bool
    ) -> Heading | None:
        raw = match.group("num")
        n = chinese_value(raw) if pattern.chinese else int(unicodedata.normalize("NFKC", raw))
        if n is None:
            return None
        title = text[match.end() :].strip()
        title = self._short_title(title)
        if title is None:
            return None
        number = text[: match.end()].strip()
        return Heading(pattern.style.level, n, number, title, exact)

    def _short_title(self, title: str) -> str | None:
        """The heading's title, or None when the paragraph is body text."""
        stripped = _BUDGET.sub("", title).strip()
        if stripped and len(stripped) <= MAX_TITLE_CHARS and not stripped.endswith(_SENTENCE_END):
            return stripped
        # A run-in heading: "（1）开展调研分析。介绍企业……" starts with a template title.
        key = normalize_title(title[: MAX_TITLE_CHARS + 5])
        for wanted in self._titles:
            if key.startswith(wanted) and len(wanted) >= 2:
                return _run_in_title(title, wanted)
        return None

    def unnumbered(self, text: str, level: int) -> Heading | None:
        """A paragraph Word marks as a heading (outline level) but that has no number."""
        title = _BUDGET.sub("", text).strip()
        if not title or len(title) > MAX_TITLE_CHARS or title.endswith(_SENTENCE_END):
            return None
        return Heading(level, None, "", title, False)


def _run_in_title(title: str, wanted: str) -> str:
    taken = ""
    for char in title:
        taken += char
        if normalize_title(taken) == wanted:
            return taken.strip()
    return title[: len(wanted)]


def normalize_title(text: str) -> str:
    """Compare titles as a reader would: width folded, budget, punctuation and spaces dropped."""
    text = _BUDGET.sub("", unicodedata.normalize("NFKC", text))
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN").lower()


def similarity(a: str, b: str) -> float:
    """0–1 likeness of two normalised titles; a title inside a slightly longer one is close."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 2 and short in long_ and len(short) / len(long_) >= 0.6:
        ratio = max(ratio, 0.85)
    return ratio
