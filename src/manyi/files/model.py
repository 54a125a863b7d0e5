"""What the file inspector reports: file facts, findings, and the refusal of unreadable files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "pdf",
    "docx",
    "pptx",
    "xlsx",
    "mp4",
    "jpeg",
    "png",
    "text",
    "ole2",
    "sav",
    "zip",
    "image",
    "heic",
    "unknown",
]


class FileRejected(ValueError):
    """A file that cannot be used as uploaded; ``reason`` is one Chinese sentence for the user.

    ``code`` names the cause for programs: ``empty``, ``truncated``, ``corrupted``,
    ``encrypted``, ``mislabelled``, ``too_complex`` (zip bomb, oversized image).
    """

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class FileInfo:
    """One uploaded file as read from its content (the extension is only compared, not trusted)."""

    filename: str
    extension: str  # lower case, without the dot; "" when the name has none
    kind: Kind
    size: int
    sha256: str
    subtype: str | None = None  # doc/xls/ppt for ole2, the ftyp brand for mp4, gif/bmp for image
    pages: int | None = None  # PDF
    slides: int | None = None  # PPTX, hidden slides included
    hidden_slides: int | None = None
    duration_seconds: float | None = None  # MP4, from moov/mvhd
    width: int | None = None  # images
    height: int | None = None
    encoding: str | None = None  # text/CSV
    sheets: tuple[str, ...] = ()  # XLSX
    pdf_restricted: bool = False  # owner-password PDF: opens without a password, edits restricted
    mislabelled: str | None = None  # set only when inspected with allow_mislabelled=True
    notes: tuple[str, ...] = field(default=())

    @property
    def page_count(self) -> int | None:
        """Pages as a reader counts them: PDF pages or PPTX slides."""
        return self.pages if self.pages is not None else self.slides

    @property
    def label(self) -> str:
        from manyi.files.detect import kind_label

        return kind_label(self.kind, self.subtype)
