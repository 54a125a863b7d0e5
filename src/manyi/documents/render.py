"""HTML → PDF with WeasyPrint: templates, escaping, and the Chinese font.

Templates are plain :class:`string.Template` files in ``templates/`` (no template engine is a
dependency). Every value put into a template is HTML built here with :func:`esc`; templates
only place those fragments. Fonts come from fontconfig: Noto Serif CJK SC (Song style) for
text, Noto Sans CJK SC (Hei style) for headings, DejaVu Sans for ☑/☐. WeasyPrint embeds
subsets of them, so the text of every generated PDF can be extracted and searched.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from datetime import date
from functools import cache
from importlib import resources
from string import Template
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint import Document

TICKED = "☑"
UNTICKED = "☐"


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


@cache
def _template(name: str) -> Template:
    text = (
        resources.files("manyi.documents").joinpath("templates").joinpath(name).read_text("utf-8")
    )
    return Template(text)


def stylesheet() -> str:
    return _template("base.css").template


def fill(name: str, **fragments: str) -> str:
    """A template with its ``${…}`` placeholders replaced by ready-made HTML fragments."""
    return _template(name).substitute(css=stylesheet(), **fragments)


def layout_html(document: str) -> Document:
    """Lay the pages out without writing the PDF: cheap, enough to count pages."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return HTML(string=document, base_url=".").render()


def html_to_pdf(document: str) -> bytes:
    return write_pdf([layout_html(document)])


def write_pdf(documents: Sequence[Document]) -> bytes:
    """One PDF of several laid-out documents. Writing (font subsetting of the large CJK
    fonts) is the costly step in time and memory, so callers write once for many documents."""
    pages = [page for document in documents for page in document.pages]
    pdf = documents[0].copy(pages).write_pdf()
    assert pdf is not None
    return pdf


def layout(name: str, *, title: str, **fragments: str) -> Document:
    return layout_html(fill(name, title=esc(title), **fragments))


def render(name: str, *, title: str, **fragments: str) -> bytes:
    return write_pdf([layout(name, title=title, **fragments)])


def chinese_date(value: date | None) -> str:
    """``date(2025, 3, 1)`` → ``2025年3月1日``; None → blanks to write the date by hand."""
    if value is None:
        return "　　　　年　　月　　日"
    return f"{value.year}年{value.month}月{value.day}日"


def tick(chosen: bool, label: str) -> str:
    mark = TICKED if chosen else UNTICKED
    state = "on" if chosen else "off"
    return f'<span class="choice {state}"><span class="box">{mark}</span>{esc(label)}</span>'
