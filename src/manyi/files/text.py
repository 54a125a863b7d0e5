"""The text of an uploaded PDF, for rules that compare a form value with a document."""

from __future__ import annotations

import logging
from os import PathLike
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.errors import PyPdfError

# A completion certificate or licence names what it certifies on its first pages.
DEFAULT_MAX_PAGES = 10


def pdf_text(source: str | PathLike[str] | BinaryIO, *, max_pages: int = DEFAULT_MAX_PAGES) -> str:
    """The text layer of the first ``max_pages`` pages; "" for a scan or an unreadable file."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        reader = PdfReader(source, strict=False)
        return "\n".join(page.extract_text() or "" for page in reader.pages[:max_pages])
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        return ""
    finally:
        logger.setLevel(level)
