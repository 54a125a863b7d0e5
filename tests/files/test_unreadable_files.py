"""A file that cannot be used as uploaded is refused with one Chinese sentence saying why and
what to do: empty, truncated, corrupted, password-protected, or named as another kind."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from manyi.documents import samples
from manyi.files import ENCRYPTED_PDF, FileRejected, inspect_file


def refusal(data: bytes, filename: str) -> FileRejected:
    with pytest.raises(FileRejected) as refused:
        inspect_file(data, filename)
    assert isinstance(refused.value, ValueError)
    assert refused.value.reason == str(refused.value)
    return refused.value


def test_an_empty_file():
    refused = refusal(b"", "实践报告.pdf")
    assert refused.code == "empty"
    assert refused.reason == "文件是空的（0 字节），请检查后重新上传"


def test_a_truncated_pdf():
    pdf = samples.sample_pdf(4)
    refused = refusal(pdf[: len(pdf) // 2], "实践报告.pdf")
    assert refused.code == "truncated"
    assert "PDF 文件不完整" in refused.reason
    assert "重新导出" in refused.reason


def test_a_corrupted_pdf():
    damaged = b"%PDF-1.7\n" + b"\x00garbage" * 500 + b"\n%%EOF\n"
    refused = refusal(damaged, "实践报告.pdf")
    assert refused.code == "corrupted"
    assert "已损坏" in refused.reason


def test_a_password_protected_pdf():
    refused = refusal(samples.sample_encrypted_pdf("secret"), "实践报告.pdf")
    assert refused.code == "encrypted"
    assert refused.reason == ENCRYPTED_PDF == "PDF 已加密（设置了密码），请导出未加密的 PDF"


def test_a_pdf_with_only_an_owner_password_opens_and_is_accepted():
    # Scanners often restrict editing: the file opens without a password, so it is usable.
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.sample_pdf(2))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    info = inspect_file(buffer.getvalue(), "营业执照.pdf")
    assert (info.pages, info.pdf_restricted) == (2, True)


def test_a_png_renamed_pdf():
    refused = refusal(samples.sample_png(), "营业执照.pdf")
    assert refused.code == "mislabelled"
    assert refused.reason.startswith("文件内容是 PNG 图片，但扩展名是 .pdf")


def test_a_docx_renamed_pptx():
    refused = refusal(samples.sample_docx(), "汇报.pptx")
    assert refused.code == "mislabelled"
    assert refused.reason.startswith("文件内容是 Word 文档（DOCX），但扩展名是 .pptx")


def test_a_truncated_jpeg_scan():
    scan = samples.sample_jpg()
    refused = refusal(scan[: len(scan) * 2 // 3], "营业执照.jpg")
    assert refused.code == "truncated"
    assert "图片文件已损坏或不完整" in refused.reason


def test_a_truncated_png_scan():
    scan = samples.sample_png()
    refused = refusal(scan[: len(scan) // 2], "荣誉证书.png")
    assert "图片文件已损坏或不完整" in refused.reason


def test_a_truncated_pptx():
    deck = samples.sample_pptx(3)
    refused = refusal(deck[: len(deck) - 200], "汇报.pptx")
    assert refused.code == "corrupted"
    assert "已损坏或不完整" in refused.reason


def test_content_nobody_can_read():
    refused = refusal(bytes(range(256)) * 40, "测量报告.pdf")
    assert refused.code == "corrupted"
    assert "不是有效的 .pdf 文件" in refused.reason
