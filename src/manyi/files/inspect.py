"""``inspect_file``: what an uploaded file really is, read from its content."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath
from typing import IO, Any, BinaryIO

from PIL import Image, ImageFile
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from manyi.files import mp4, ooxml
from manyi.files.detect import (
    KNOWN_EXTENSIONS,
    SNIFF_BYTES,
    extensions_for,
    image_subtype,
    kind_label,
    mp4_brand,
    ole2_subtype,
    sniff,
    text_encoding,
)
from manyi.files.model import FileInfo, FileRejected

Source = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]

_CHUNK = 1024 * 1024
_SPOOL_BYTES = 16 * 1024 * 1024
_PDF_TAIL_BYTES = 2048  # %%EOF must be this close to the end (Acrobat looks at the last 1024)
_TEXT_SAMPLE_BYTES = 64 * 1024

ENCRYPTED_PDF = "PDF 已加密（设置了密码），请导出未加密的 PDF"


def inspect_file(data: Source, filename: str, *, allow_mislabelled: bool = False) -> FileInfo:
    """Detect a file's kind from its bytes and read what matters for the checks.

    ``data`` is the content as bytes, a path, or a binary stream (read from its start; a
    non-seekable stream is spooled to a temporary file). Raises :class:`FileRejected` with a
    one-sentence Chinese reason for empty, truncated, corrupted, password-protected and
    mislabelled files. With ``allow_mislabelled`` a mislabelled file is described instead and
    ``FileInfo.mislabelled`` holds the reason (the material check then refuses it).
    """
    extension = PurePath(filename).suffix.lower().lstrip(".")
    with _open(data) as (stream, size):
        if size == 0:
            raise FileRejected("empty", "文件是空的（0 字节），请检查后重新上传")
        stream.seek(0)
        head = stream.read(SNIFF_BYTES)
        kind = sniff(head)
        zip_kind = _classify_zip(stream) if kind == "zip" else None
        if zip_kind is not None:
            kind = zip_kind.kind
        subtype = _subtype(kind, head, stream, size, zip_kind)
        mislabelled = mislabel_reason(kind, subtype, extension)
        if mislabelled and not allow_mislabelled:
            raise FileRejected("mislabelled", mislabelled)
        details = _details(kind, subtype, stream, size, head, zip_kind, extension)
        digest = _sha256(stream)
    return FileInfo(
        filename=filename,
        extension=extension,
        kind=kind,  # type: ignore[arg-type]
        size=size,
        sha256=digest,
        subtype=subtype,
        mislabelled=mislabelled,
        **details,
    )


def mislabel_reason(kind: str, subtype: str | None, extension: str) -> str | None:
    """The sentence for a file whose known extension names another kind, else None."""
    if kind == "unknown" or extension not in KNOWN_EXTENSIONS:
        return None
    if extension in extensions_for(kind, subtype):
        return None
    label = kind_label(kind, subtype)
    return f"文件内容是 {label}，但扩展名是 .{extension}，请上传原始格式的文件或先正确转换格式"


@contextmanager
def _open(data: Source) -> Iterator[tuple[BinaryIO, int]]:
    if isinstance(data, bytes | bytearray | memoryview):
        buffer = io.BytesIO(bytes(data))
        yield buffer, len(buffer.getbuffer())
        return
    if isinstance(data, str | os.PathLike):
        with open(data, "rb") as handle:
            yield handle, os.fstat(handle.fileno()).st_size
        return
    stream: Any = data
    if _seekable(stream):
        stream.seek(0, os.SEEK_END)
        size = stream.tell()
        stream.seek(0)
        try:
            yield stream, size
        finally:
            stream.seek(0)
        return
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
        while chunk := stream.read(_CHUNK):
            spool.write(chunk)
        size = spool.tell()
        yield spool, size  # type: ignore[misc]


def _seekable(stream: Any) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _classify_zip(stream: BinaryIO) -> ooxml.ZipKind:
    with ooxml.open_zip(stream) as archive:
        return ooxml.classify(archive)


def _subtype(
    kind: str, head: bytes, stream: BinaryIO, size: int, zip_kind: ooxml.ZipKind | None
) -> str | None:
    if kind == "ole2":
        return ole2_subtype(stream, size)
    if kind == "mp4":
        return mp4_brand(head)
    if kind == "image":
        return image_subtype(head)
    if zip_kind is not None:
        return zip_kind.subtype
    return None


def _details(
    kind: str,
    subtype: str | None,
    stream: BinaryIO,
    size: int,
    head: bytes,
    zip_kind: ooxml.ZipKind | None,
    extension: str,
) -> dict[str, Any]:
    if kind == "pdf":
        return _inspect_pdf(stream, size)
    if kind in ("docx", "pptx", "xlsx") and zip_kind is not None:
        return _inspect_ooxml(stream, zip_kind)
    if kind == "mp4":
        duration = mp4.read_duration(stream, size)
        return {"duration_seconds": duration.seconds}
    if kind in ("jpeg", "png", "image"):
        return _inspect_image(stream, kind)
    if kind == "text":
        stream.seek(0)
        sample = stream.read(_TEXT_SAMPLE_BYTES)
        return {"encoding": text_encoding(sample, complete=size <= _TEXT_SAMPLE_BYTES)}
    if kind == "ole2" and subtype == "encrypted":
        raise FileRejected("encrypted", "文件设置了打开密码（已加密），请取消密码后重新保存再上传")
    if kind == "unknown":
        what = f"有效的 .{extension} 文件" if extension else "可识别的文件格式"
        raise FileRejected(
            "corrupted", f"无法识别文件内容，不是{what}，请检查文件是否损坏后重新导出上传"
        )
    return {}


# --- PDF ---------------------------------------------------------------------------------


def _inspect_pdf(stream: BinaryIO, size: int) -> dict[str, Any]:
    stream.seek(max(0, size - _PDF_TAIL_BYTES))
    if b"%%EOF" not in stream.read():
        raise FileRejected(
            "truncated", "PDF 文件不完整（结尾缺失），可能上传中断或导出失败，请重新导出后上传"
        )
    stream.seek(0)
    with _quiet_pypdf():
        try:
            reader = PdfReader(stream, strict=False)
            restricted = _unlock(reader)
            pages = len(reader.pages)
            for page in reader.pages:
                contents = page.get("/Contents")
                if contents is not None:
                    contents.get_object()
        except FileRejected:
            raise
        except (FileNotDecryptedError, DependencyError) as exc:
            raise FileRejected("encrypted", ENCRYPTED_PDF) from exc
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            raise FileRejected("corrupted", "PDF 文件已损坏，无法读取，请重新导出后上传") from exc
    if pages == 0:
        raise FileRejected("corrupted", "PDF 文件没有任何页面，请重新导出后上传")
    return {"pages": pages, "pdf_restricted": restricted}


def _unlock(reader: PdfReader) -> bool:
    """Open an owner-password PDF (no password needed to read); refuse a user password."""
    if not reader.is_encrypted:
        return False
    if not reader.decrypt(""):
        raise FileRejected("encrypted", ENCRYPTED_PDF)
    return True


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs repairs of slightly broken files; the user sees our verdict instead."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


# --- OOXML -------------------------------------------------------------------------------


def _inspect_ooxml(stream: BinaryIO, zip_kind: ooxml.ZipKind) -> dict[str, Any]:
    archive = ooxml.open_zip(stream)
    part = zip_kind.main_part or ""
    with archive:
        if zip_kind.kind == "pptx":
            slides, hidden = ooxml.count_slides(archive, part)
            return {"slides": slides, "hidden_slides": hidden}
        if zip_kind.kind == "xlsx":
            return {"sheets": ooxml.sheet_names(archive, part)}
        ooxml.check_main_part(archive, part)
    return {}


# --- images ------------------------------------------------------------------------------


def _inspect_image(stream: BinaryIO, kind: str) -> dict[str, Any]:
    broken = "图片文件已损坏或不完整，请重新扫描或导出后上传"
    try:
        stream.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                width, height = image.size
                image.verify()
            if kind == "jpeg":
                _decode_small(stream, width, height)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileRejected(
            "too_complex", "图片像素过多（超过约 8900 万像素），请降低扫描分辨率后上传"
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise FileRejected("truncated" if "truncat" in str(exc) else "corrupted", broken) from exc
    return {"width": width, "height": height}


_TRUNCATION_LOCK = threading.Lock()


def _decode_small(stream: BinaryIO, width: int, height: int) -> None:
    """Decode a JPEG at 1/8 scale: verify() reads only the headers, a cut-off file shows
    only when the data runs out. WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES on
    import (it pads broken images silently), so it is switched off while we decode."""
    stream.seek(0)
    with _TRUNCATION_LOCK, Image.open(stream) as image:
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved
