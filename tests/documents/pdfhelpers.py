"""Reading generated PDFs back the way a reviewer's tools would: text, bookmarks, numbers."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from pdfminer.high_level import extract_text
from pypdf import PdfReader

STAMP = re.compile(r"—\s*(\d+)\s*—")


def reader(pdf: bytes | Path) -> PdfReader:
    return PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)


def page_texts(pdf: bytes | Path) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def all_text(pdf: bytes) -> str:
    """All text in drawing order (each table cell whole), whitespace removed."""
    return re.sub(r"\s+", "", "".join(page_texts(pdf)))


def pdfminer_text(pdf: bytes) -> str:
    """Text as pdfminer sees it (a second, independent extractor), whitespace removed."""
    return re.sub(r"\s+", "", extract_text(io.BytesIO(pdf)))


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 1-based
    children: tuple[Bookmark, ...] = ()


def bookmarks(pdf: bytes | Path) -> list[Bookmark]:
    document = reader(pdf)

    def walk(items) -> list[Bookmark]:  # type: ignore[no-untyped-def]
        result: list[Bookmark] = []
        for item in items:
            if isinstance(item, list):
                last = result.pop()
                result.append(Bookmark(last.title, last.page, tuple(walk(item))))
            else:
                result.append(Bookmark(item.title, document.get_destination_page_number(item) + 1))
        return result

    return walk(document.outline)


def contents_lines(text: str) -> dict[str, int]:
    """``封面和目录（附件1） ....... 1`` lines of a contents page → {title: page}."""
    entries = {}
    for line in text.splitlines():
        match = re.match(r"^(.+?)\s*\.{3,}\s*(\d+)$", line.strip())
        if match:
            entries[match.group(1).strip()] = int(match.group(2))
    return entries


def embedded_fonts(page) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    """Base font name → whether its program is embedded in the PDF."""
    result = {}
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor_owner = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descriptor_owner.get("/FontDescriptor")
        keys = set(descriptor.get_object().keys()) if descriptor is not None else set()
        result[str(font["/BaseFont"])] = bool(keys & {"/FontFile", "/FontFile2", "/FontFile3"})
    return result
