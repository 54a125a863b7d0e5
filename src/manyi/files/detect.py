"""Tell a file's kind from its first bytes (magic numbers), never from its name."""

from __future__ import annotations

import struct
from typing import BinaryIO

from manyi.files.model import Kind

SNIFF_BYTES = 8192

_KIND_LABELS: dict[str, str] = {
    "pdf": "PDF 文件",
    "docx": "Word 文档（DOCX）",
    "pptx": "PowerPoint 演示文稿（PPTX）",
    "xlsx": "Excel 表格（XLSX）",
    "mp4": "MP4 视频",
    "jpeg": "JPG 图片",
    "png": "PNG 图片",
    "text": "文本（CSV/TXT）文件",
    "ole2": "旧版 Office 文件",
    "sav": "SPSS 数据文件（SAV）",
    "zip": "ZIP 压缩包",
    "image": "图片",
    "heic": "HEIC/AVIF 图片（手机照片格式）",
    "unknown": "无法识别格式的文件",
}
_SUBTYPE_LABELS: dict[tuple[str, str], str] = {
    ("ole2", "doc"): "旧版 Word 文档（DOC）",
    ("ole2", "xls"): "旧版 Excel 表格（XLS）",
    ("ole2", "ppt"): "旧版 PowerPoint 演示文稿（PPT）",
    ("ole2", "encrypted"): "加密的 Office 文件",
    ("mp4", "qt"): "QuickTime 视频（MOV）",
    ("zip", "odf"): "OpenDocument 文档（ODT/ODS/ODP）",
    ("image", "gif"): "GIF 图片",
    ("image", "bmp"): "BMP 图片",
    ("image", "tiff"): "TIFF 图片",
    ("image", "webp"): "WebP 图片",
}

# Extensions a kind may carry. An extension listed here under another kind is a mislabel.
KIND_EXTENSIONS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "docx": frozenset({"docx", "docm", "dotx"}),
    "pptx": frozenset({"pptx", "pptm", "ppsx", "potx"}),
    "xlsx": frozenset({"xlsx", "xlsm", "xltx"}),
    "mp4": frozenset({"mp4", "m4v", "mov"}),
    "jpeg": frozenset({"jpg", "jpeg", "jpe", "jfif"}),
    "png": frozenset({"png"}),
    "text": frozenset({"csv", "txt"}),
    "ole2": frozenset({"doc", "xls", "ppt"}),
    "sav": frozenset({"sav"}),
    "zip": frozenset({"zip", "odt", "ods", "odp"}),
    "image": frozenset({"gif", "bmp", "tif", "tiff", "webp"}),
    "heic": frozenset({"heic", "heif", "avif"}),
}
_OLE_SUBTYPE_EXTENSIONS = {"doc": "doc", "xls": "xls", "ppt": "ppt"}
KNOWN_EXTENSIONS = frozenset().union(*KIND_EXTENSIONS.values())

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}


def kind_label(kind: str, subtype: str | None = None) -> str:
    """A kind in words: ``("png", None)`` → ``PNG 图片``."""
    return _SUBTYPE_LABELS.get((kind, subtype or ""), _KIND_LABELS.get(kind, kind))


def extensions_for(kind: str, subtype: str | None = None) -> frozenset[str]:
    """The extensions a file of this kind may be named with."""
    if kind == "ole2" and subtype == "encrypted":  # Office wraps an encrypted OOXML in OLE2
        return KIND_EXTENSIONS["ole2"] | {"docx", "xlsx", "pptx"}
    if kind == "ole2" and subtype in _OLE_SUBTYPE_EXTENSIONS:
        return frozenset({_OLE_SUBTYPE_EXTENSIONS[subtype]})
    return KIND_EXTENSIONS.get(kind, frozenset())


def sniff(head: bytes) -> Kind:
    """The kind from the first bytes alone; zips and OLE2 files are refined by the caller."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole2"
    if head[4:8] == b"ftyp":
        return "heic" if head[8:12] in _HEIF_BRANDS else "mp4"
    if head.startswith((b"$FL2", b"$FL3")):
        return "sav"
    if image_subtype(head):
        return "image"
    if looks_like_text(head):
        return "text"
    return "unknown"


def image_subtype(head: bytes) -> str | None:
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"BM") and len(head) > 14:
        return "bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    return None


def mp4_brand(head: bytes) -> str:
    return head[8:12].decode("latin-1").strip()


def text_encoding(sample: bytes, *, complete: bool) -> str | None:
    """The encoding a text sample decodes with: UTF-8 (with or without BOM), UTF-16, GB18030.

    ``complete`` says whether the sample is the whole file; otherwise a multi-byte character
    cut at the end of the sample is tolerated.
    """
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in sample:
        return None
    cuts = (0,) if complete else range(4)
    for encoding in ("utf-8-sig", "gb18030"):
        for cut in cuts:
            try:
                sample[: len(sample) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
            return "utf-8" if encoding == "utf-8-sig" else encoding
    return None


def looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    encoding = text_encoding(head, complete=len(head) < SNIFF_BYTES)
    if encoding is None:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 12))
    return encoding == "utf-16" or controls <= len(head) // 100


# --- OLE2 (old Office, or an encrypted OOXML file wrapped in OLE2) ---------------------------

_OLE_FREE = 0xFFFFFFFA  # special sector ids start here (end of chain, free, FAT, DIFAT)
_OLE_MAX_SECTORS = 4096


def ole2_subtype(stream: BinaryIO, size: int) -> str | None:
    """``doc`` / ``xls`` / ``ppt`` / ``encrypted`` from the OLE2 directory's stream names."""
    try:
        names = _ole_stream_names(stream, size)
    except (struct.error, ValueError, OSError):
        return None
    if {"EncryptionInfo", "EncryptedPackage"} <= names:
        return "encrypted"
    if "WordDocument" in names:
        return "doc"
    if names & {"Workbook", "Book"}:
        return "xls"
    if "PowerPoint Document" in names:
        return "ppt"
    return None


def _ole_stream_names(stream: BinaryIO, size: int) -> set[str]:
    stream.seek(0)
    header = stream.read(512)
    sector_size = 1 << struct.unpack_from("<H", header, 0x1E)[0]
    if sector_size not in (512, 4096):
        raise ValueError("bad sector size")
    fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < _OLE_FREE]
    fat_sectors += _ole_difat(stream, header, sector_size)

    def read_sector(number: int) -> bytes:
        offset = (number + 1) * sector_size
        if offset + sector_size > size + sector_size:
            raise ValueError("sector out of range")
        stream.seek(offset)
        return stream.read(sector_size)

    per_fat = sector_size // 4

    def next_sector(number: int) -> int:
        index, slot = divmod(number, per_fat)
        if index >= len(fat_sectors):
            raise ValueError("FAT index out of range")
        return struct.unpack_from("<I", read_sector(fat_sectors[index]), slot * 4)[0]

    names: set[str] = set()
    sector = struct.unpack_from("<I", header, 0x30)[0]
    for _ in range(_OLE_MAX_SECTORS):
        if sector >= _OLE_FREE:
            break
        data = read_sector(sector)
        for offset in range(0, len(data) - 127, 128):
            length = struct.unpack_from("<H", data, offset + 0x40)[0]
            if 2 <= length <= 64:
                names.add(data[offset : offset + length - 2].decode("utf-16-le", "replace"))
        sector = next_sector(sector)
    return names


def _ole_difat(stream: BinaryIO, header: bytes, sector_size: int) -> list[int]:
    sectors: list[int] = []
    difat, count = struct.unpack_from("<II", header, 0x44)
    for _ in range(min(count, _OLE_MAX_SECTORS)):
        if difat >= _OLE_FREE:
            break
        stream.seek((difat + 1) * sector_size)
        entries = struct.unpack(f"<{sector_size // 4}I", stream.read(sector_size))
        sectors += [s for s in entries[:-1] if s < _OLE_FREE]
        difat = entries[-1]
    return sectors
