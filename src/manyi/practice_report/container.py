"""Open an uploaded file safely: recognise its kind, refuse what cannot be read, bound memory.

A DOCX is a zip: before anything parses it, the declared sizes are checked and every XML part
is decompressed in chunks with a cap, so a zip bomb is refused after reading at most the cap.
Pictures and other binary parts are never decompressed.
"""

from __future__ import annotations

import io
import zipfile
from typing import Literal

from manyi.practice_report.errors import ReportReadError

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 5000
MAX_XML_PART_BYTES = 32 * 1024 * 1024
MAX_XML_TOTAL_BYTES = 64 * 1024 * 1024
_CHUNK = 1 << 16

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"

Kind = Literal["docx", "pdf"]


def sniff(data: bytes, filename: str = "") -> Kind:
    """The file's kind from its content (not its name), or ReportReadError with the reason."""
    if not data:
        raise ReportReadError("文件为空（0 字节），请重新上传。")
    if len(data) > MAX_FILE_BYTES:
        raise ReportReadError(
            f"文件过大（{len(data) / 1024 / 1024:.1f} MB），超过检查上限 "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB。"
        )
    if data.startswith(OLE2_MAGIC):
        raise ReportReadError(
            "文件已加密或为旧版 Word 格式（.doc）：请去掉文档密码，或用 Word 另存为 .docx，"
            "或导出为 PDF 后再上传。"
        )
    if data.startswith(ZIP_MAGIC):
        return "docx"
    if PDF_MAGIC in data[:1024]:
        return "pdf"
    name = filename.lower()
    what = "PDF" if name.endswith(".pdf") else "Word 文档（.docx）"
    raise ReportReadError(f"文件内容不是有效的{what}，无法读取（可能是改了扩展名的其他文件）。")


def docx_xml_parts(data: bytes) -> dict[str, bytes | None]:
    """The DOCX's parts by name: XML parts decompressed (checked for size), others None."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReportReadError("Word 文档已损坏或不完整（可能上传中断），无法读取。") from exc
    with archive:
        infos = archive.infolist()
        _check_declared_sizes(infos)
        parts: dict[str, bytes | None] = {}
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            if _is_xml(info.filename):
                blob = _read_capped(archive, info, MAX_XML_PART_BYTES)
                total += len(blob)
                if total > MAX_XML_TOTAL_BYTES:
                    raise ReportReadError(_too_big_message())
                parts[info.filename] = blob
            else:
                parts[info.filename] = None
    return parts


def _is_xml(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".xml", ".rels")) or lower == "[content_types].xml"


def _check_declared_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise ReportReadError(f"Word 文档内部文件过多（{len(infos)} 个），无法检查。")
    if any(info.flag_bits & 0x1 for info in infos):
        raise ReportReadError("文件已加密，无法读取：请去掉密码后再上传。")
    xml = [info for info in infos if _is_xml(info.filename)]
    if any(info.file_size > MAX_XML_PART_BYTES for info in xml):
        raise ReportReadError(_too_big_message())
    if sum(info.file_size for info in xml) > MAX_XML_TOTAL_BYTES:
        raise ReportReadError(_too_big_message())


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Decompress one member in chunks; stop as soon as it exceeds its declared size or cap."""
    limit = min(cap, info.file_size)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ReportReadError(_too_big_message())
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ReportReadError("Word 文档已损坏或不完整（可能上传中断），无法读取。") from exc
    except RuntimeError as exc:  # encrypted member
        raise ReportReadError("文件已加密，无法读取：请去掉密码后再上传。") from exc
    return b"".join(chunks)


def _too_big_message() -> str:
    return (
        "Word 文档解压后过大（超过 "
        f"{MAX_XML_TOTAL_BYTES // 1024 // 1024} MB 文字内容），疑似损坏或恶意文件，已拒绝读取。"
    )


def check_pdf_complete(data: bytes) -> None:
    """Refuse a PDF cut short (no %%EOF at the end), the usual sign of an interrupted upload."""
    tail = data[-4096:].rstrip(b"\x00\r\n\t \x0c")
    if b"%%EOF" not in tail[-1024:]:
        raise ReportReadError("PDF 文件不完整（缺少文件结尾，可能上传中断），请重新导出后上传。")
