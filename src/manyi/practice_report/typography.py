"""Chinese type sizes (字号) and font faces: names as Word stores them and as PDFs embed them."""

from __future__ import annotations

import ast
import re
from typing import Literal

# 字号 → points (see shared reference: chinese-typesetting.md).
SIZE_NAMES: dict[float, str] = {
    42: "初号",
    36: "小初",
    26: "一号",
    24: "小一",
    22: "二号",
    18: "小二",
    16: "三号",
    15: "小三",
    14: "四号",
    12: "小四",
    10.5: "五号",
    9: "小五",
    7.5: "六号",
    6.5: "小六",
    5.5: "七号",
    5: "八号",
}

# Word writes 宋体 under its Chinese or its English name; both are the same face.
SONG_NAMES = frozenset({"宋体", "simsun"})

FaceKind = Literal["song", "other", "unknown"]

# Checked in order: 仿宋 (FangSong) contains "song" but is not a Song face.
_OTHER_MARKERS = (
    "fangsong",
    "仿宋",
    "kai",
    "楷",
    "hei",
    "黑",
    "sans",
    "gothic",
    "yahei",
    "雅黑",
    "dengxian",
    "等线",
    "youyuan",
    "幼圆",
    "lisu",
    "隶",
    "weibei",
    "魏碑",
    "caiyun",
    "彩云",
    "hupo",
    "琥珀",
    "xingkai",
    "行楷",
    "arial",
    "helvetica",
)
_SONG_MARKERS = (
    "simsun",
    "song",
    "宋",
    "ming",
    "明",
    "serifcjk",
    "hanserif",
)
_BOLD_MARKERS = ("bold", "heavy", "black", "semibold", "demibold", "粗")
_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")


def size_label(points: float | None) -> str:
    """14 → "四号（14 磅）", 13 → "13 磅", None → "未设置"."""
    if points is None:
        return "未设置"
    value = f"{points:g} 磅"
    name = SIZE_NAMES.get(round(points * 2) / 2)
    return f"{name}（{value}）" if name else value


def is_song_name(name: str | None) -> bool:
    """DOCX check: the East Asian font is exactly 宋体 / SimSun."""
    return name is not None and name.strip().lower() in SONG_NAMES


def decode_font_name(raw: str) -> str:
    """A PDF font name as a person would read it: subset prefix dropped, GBK mojibake decoded.

    Chinese Word and WPS may store 宋体 as GBK bytes; pdfminer then shows them as Latin-1
    mojibake ("ËÎÌå") or as the repr of the bytes ("b'\\xcb\\xce\\xcc\\xe5'").
    """
    name = raw
    if name[:2] in ("b'", 'b"'):
        try:
            data = ast.literal_eval(name)
        except (ValueError, SyntaxError):
            data = None
        if isinstance(data, bytes):
            name = _decode_bytes(data)
    elif any(0x80 <= ord(c) <= 0xFF for c in name) and all(ord(c) <= 0xFF for c in name):
        name = _decode_bytes(name.encode("latin-1"))
    return _SUBSET_PREFIX.sub("", name)


def _decode_bytes(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def classify_face(name: str) -> FaceKind:
    """PDF check: is an embedded face a Song (宋/明) style face, clearly another, or unknown?

    LibreOffice and other Linux tools substitute free Song-style faces for 宋体 (Noto Serif
    CJK, Source Han Serif, AR PL UMing), so those count as Song.
    """
    key = re.sub(r"[\s_\-,]+", "", decode_font_name(name)).lower()
    if any(marker in key for marker in _OTHER_MARKERS):
        return "other"
    if any(marker in key for marker in _SONG_MARKERS):
        return "song"
    return "unknown"


def is_bold_face(name: str) -> bool:
    """Bold from the font name ("SimSun,Bold", "NotoSerifCJKsc-Bold", "方正粗宋")."""
    key = decode_font_name(name).lower()
    return any(marker in key for marker in _BOLD_MARKERS)
