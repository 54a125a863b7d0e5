"""Files that cannot be checked give a clear Chinese reason, quickly and in bounded memory."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile

import pytest
from pypdf import PdfWriter

from manyi.practice_report import ReportReadError
from tests.practice_report.conftest import check
from tests.practice_report.corpus import NS, outline_report, package, to_docx

MB = 1024 * 1024


def _refused(data: bytes, filename: str = "报告.docx") -> str:
    with pytest.raises(ReportReadError) as caught:
        check(data, filename, "enterprise")
    assert isinstance(caught.value, ValueError)
    return str(caught.value)


def _blank_pdf(**encrypt) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if encrypt:
        writer.encrypt(**encrypt, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_empty_file():
    assert "文件为空" in _refused(b"")


def test_a_png_renamed_to_docx():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    assert "不是有效的Word 文档" in _refused(png)


def test_a_truncated_docx():
    data = to_docx(outline_report())
    assert "已损坏或不完整" in _refused(data[: len(data) // 2])


def test_an_encrypted_or_old_word_file():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    assert "文件已加密或为旧版 Word 格式" in _refused(ole2)


def test_a_zip_that_is_not_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "不是 Word 文档" in _refused(out.getvalue())


def test_a_macro_enabled_document_is_not_read_as_docx():
    data = to_docx(outline_report())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            target.writestr(info, blob)
    assert "不是 Word 文档" in _refused(out.getvalue())


def _bomb(size_mb: int) -> bytes:
    """A DOCX whose document.xml inflates to ``size_mb`` MB of spaces."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b" " * MB
            for _ in range(size_mb):
                member.write(chunk)
    return out.getvalue()


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Patch the declared uncompressed size of one member (local and central headers)."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        struct.pack_into("<I", patched, archive.getinfo(name).header_offset + 22, size)
    position = patched.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", patched, position + 28)[0]
        if patched[position + 46 : position + 46 + name_length] == name.encode():
            struct.pack_into("<I", patched, position + 24, size)
        position = patched.find(b"PK\x01\x02", position + 4)
    return bytes(patched)


@pytest.mark.parametrize(
    ("lying", "reason"),
    [(False, "解压后过大"), (True, "已损坏")],
    ids=["declared-size", "lying-header"],
)
def test_a_zip_bomb_is_refused_quickly_in_bounded_memory(lying, reason):
    data = _bomb(300 if not lying else 200)
    if lying:
        data = _lie_about_size(data, "word/document.xml", 4096)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = _refused(data)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert time.perf_counter() - started < 3
    assert peak < 40 * MB
    assert reason in message


def test_a_docx_with_broken_xml():
    broken = package({"word/document.xml": f"<w:document {NS}><w:body><w:p>"})
    assert "已损坏" in _refused(broken)


def test_a_truncated_pdf():
    data = _blank_pdf()
    assert "PDF 文件不完整" in _refused(data[: len(data) // 2], "报告.pdf")


def test_a_damaged_pdf():
    assert "PDF" in _refused(b"%PDF-1.7\n garbage garbage\n%%EOF\n", "报告.pdf")


def test_a_password_protected_pdf():
    message = _refused(_blank_pdf(user_password="secret"), "报告.pdf")
    assert "PDF 已加密" in message


def test_a_pdf_without_text_is_read_and_said_to_be_uncheckable():
    result = check(_blank_pdf(), "用户满意经营实践报告+某公司+企业类.pdf", "enterprise")
    (finding,) = result.findings
    assert finding.code == "text.none" and "扫描件" in finding.message
    # The form does not ask for a text PDF: the system's advice, a warning.
    assert finding.status == "warn" and finding.source == "advice" and finding.reason


def test_a_pdf_with_an_empty_page_tree_has_no_pages_and_is_unreadable():
    writer = PdfWriter()
    out = io.BytesIO()
    writer.write(out)
    assert "PDF 没有页面" in _refused(out.getvalue(), "报告.pdf")
