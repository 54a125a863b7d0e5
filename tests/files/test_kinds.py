"""A file's kind is read from its content: the magic bytes, the OOXML main part, the OLE2
directory — never from the extension."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from manyi.documents import samples
from manyi.files import FileRejected, inspect_file


def ole2_file(*stream_names: str) -> bytes:
    """A minimal compound file (the container of old .doc/.xls/.ppt and of encrypted OOXML)
    whose directory lists ``stream_names``; only the directory is real."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))
    directory = b""
    for index, name in enumerate(("Root Entry", *stream_names)):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le")
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 0x40, len(encoded) + 2, 5 if index == 0 else 2, 1)
        struct.pack_into("<III", entry, 0x44, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        directory += entry
    directory = directory.ljust(512, b"\0")
    return bytes(header) + fat + directory


@pytest.mark.parametrize(
    ("make", "filename", "kind"),
    [
        (lambda: samples.sample_pdf(1), "a.pdf", "pdf"),
        (lambda: samples.sample_docx(), "a.docx", "docx"),
        (lambda: samples.sample_pptx(2), "a.pptx", "pptx"),
        (lambda: samples.sample_xlsx(3), "a.xlsx", "xlsx"),
        (lambda: samples.sample_jpg(), "a.jpg", "jpeg"),
        (lambda: samples.sample_png(), "a.png", "png"),
        (lambda: samples.sample_csv(), "a.csv", "text"),
        (lambda: samples.mp4_skeleton(10), "a.mp4", "mp4"),
        (lambda: ole2_file("WordDocument"), "a.doc", "ole2"),
    ],
)
def test_kind_comes_from_the_content(make, filename, kind):
    assert inspect_file(make(), filename).kind == kind


def test_ooxml_packages_are_told_apart_by_their_main_part():
    assert inspect_file(samples.sample_docx(), "x.docx").kind == "docx"
    assert inspect_file(samples.sample_pptx(1), "x.pptx").kind == "pptx"
    info = inspect_file(samples.sample_xlsx(5, "被访者名单"), "x.xlsx")
    assert (info.kind, info.sheets) == ("xlsx", ("被访者名单",))


def test_a_plain_zip_is_not_an_office_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert inspect_file(buffer.getvalue(), "材料.zip").kind == "zip"


def test_old_office_files_are_named_by_their_directory():
    assert inspect_file(ole2_file("WordDocument"), "a.doc").subtype == "doc"
    assert inspect_file(ole2_file("Workbook"), "a.xls").subtype == "xls"
    assert inspect_file(ole2_file("PowerPoint Document"), "a.ppt").subtype == "ppt"


def test_an_encrypted_office_file_is_refused():
    encrypted = ole2_file("EncryptionInfo", "EncryptedPackage")
    with pytest.raises(FileRejected) as refused:
        inspect_file(encrypted, "问卷.docx")
    assert refused.value.code == "encrypted"
    assert "密码" in refused.value.reason


def test_csv_from_chinese_survey_tools_in_utf8_or_gb18030():
    assert inspect_file(samples.sample_csv(encoding="utf-8-sig"), "a.csv").encoding == "utf-8"
    assert inspect_file(samples.sample_csv(encoding="gb18030"), "a.csv").encoding == "gb18030"


def test_size_and_sha256_are_recorded():
    import hashlib

    data = samples.sample_png()
    info = inspect_file(data, "a.png")
    assert info.size == len(data)
    assert info.sha256 == hashlib.sha256(data).hexdigest()
    assert (info.width, info.height) == (1754, 1240)


def test_content_may_come_as_bytes_a_path_or_a_stream(tmp_path):
    data = samples.sample_pdf(3)
    path = tmp_path / "报告.pdf"
    path.write_bytes(data)

    class Unseekable(io.RawIOBase):
        def __init__(self, payload: bytes):
            self._inner = io.BytesIO(payload)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, buffer) -> int:  # type: ignore[override]
            chunk = self._inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    for source in (data, path, str(path), io.BytesIO(data), Unseekable(data)):
        assert inspect_file(source, "报告.pdf").pages == 3


def test_a_zip_bomb_is_refused_before_it_is_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(40):
                member.write(b"\0" * (1024 * 1024))
    with pytest.raises(FileRejected) as refused:
        inspect_file(buffer.getvalue(), "方案.docx")
    assert refused.value.code == "too_complex"
    assert "压缩炸弹" in refused.value.reason


def test_a_phone_photo_in_heic_named_jpg_is_refused():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(FileRejected) as refused:
        inspect_file(heic, "营业执照.jpg")
    assert refused.value.reason.startswith(
        "文件内容是 HEIC/AVIF 图片（手机照片格式），但扩展名是 .jpg"
    )
