"""The character-counting rule (字数) for the 10,000-character limit.

The rule follows Word's Chinese 字数 statistic: every East Asian character counts 1 (Chinese
characters, kana, hangul, full-width letters and digits, CJK punctuation such as ，。、；：？！
and the quotation marks, dashes and ellipsis used in Chinese text), and every run of other
non-space characters counts 1 as a "word" (``ISO``, ``9001:2015``, ``12.5``, ``8%``).
Spaces, tabs and line breaks count 0. ``docs/practice-report.md`` gives examples.
"""

from __future__ import annotations

import re

# Ranges of characters counted one by one (Word counts them as 中文字符).
_ASIAN_RANGES = (
    (0x00B7, 0x00B7),  # ·
    (0x1100, 0x11FF),  # hangul jamo
    (0x2010, 0x2027),  # ‐ – — ‘ ’ “ ” • …
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x2103, 0x2103),  # ℃
    (0x2116, 0x2116),  # №
    (0x2160, 0x217F),  # Ⅰ Ⅱ …
    (0x2460, 0x24FF),  # ① ⑴ ⒈
    (0x25A0, 0x25FF),  # ■ □ ▲ ● ○
    (0x2600, 0x26FF),  # ★ ☆
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x2FF0, 0x2FFF),
    (0x3001, 0x303F),  # CJK symbols and punctuation 、。〈〉《》「」【】 (not the U+3000 space)
    (0x3040, 0x31FF),  # kana, bopomofo
    (0x3200, 0x4DBF),  # enclosed CJK, CJK compatibility, extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),  # hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFFEF),  # full-width forms ，（）１Ａ
    (0x20000, 0x3FFFF),  # extensions B…
)
_ASIAN_CLASS = "".join(
    f"\\U{lo:08x}" if lo == hi else f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _ASIAN_RANGES
)
_ASIAN = re.compile(f"[{_ASIAN_CLASS}]")
_WORD = re.compile(f"[^\\s{_ASIAN_CLASS}]+")
# Characters set in the East Asian font (w:eastAsia): ideographs, kana, CJK punctuation.
_EAST_ASIAN_FONT = re.compile(
    "[\u2e80-\u2fdf\u3001-\u303f\u3040-\u31ff\u3200-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\U00020000-\U0003ffff]"
)
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def count_chars(text: str) -> int:
    """字数 of ``text``: East Asian characters one by one, other words one each."""
    return len(_ASIAN.findall(text)) + len(_WORD.findall(text))


def has_east_asian(text: str) -> bool:
    """Whether ``text`` holds characters that Word sets in the East Asian font."""
    return _EAST_ASIAN_FONT.search(text) is not None


def is_east_asian_char(char: str) -> bool:
    return _EAST_ASIAN_FONT.match(char) is not None


def has_ideograph(text: str) -> bool:
    return _IDEOGRAPH.search(text) is not None
