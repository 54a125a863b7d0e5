"""PDF reports made with WeasyPrint from the same corpus, styled by CSS (the second PDF
producer of the committed corpus, see make_fixtures.py).

The clean CSS matches the required format with the free Song-style face Noto Serif CJK SC
(Debian fonts-noto-cjk): 18 pt bold centred title; 14 pt body, first line indented 2 em,
justified, lines 30 pt apart (what 1.5 lines of Noto Serif CJK come to in a word processor);
the page number centred at the bottom. A test adds CSS to make one defect.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from xml.sax.saxutils import escape

from tests.practice_report.corpus import Report

SONG = "'Noto Serif CJK SC'"
PAGE = "@page {{ size: A4; margin: 2.54cm 3.18cm; {} }}"
PAGE_NUMBER_CENTRED = f"@bottom-center {{ content: counter(page); font: 10.5pt {SONG}; }}"
BASE_CSS = f"""
body {{ font-family: 'Times New Roman', {SONG}; font-size: 14pt; line-height: 30pt; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
p.title {{ font-size: 18pt; font-weight: bold; text-align: center; text-indent: 0;
          line-height: 1.4; }}
p.h1 {{ font-weight: bold; }}
"""


def song_font_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(
        ["fc-list", ":family=Noto Serif CJK SC"], capture_output=True, text=True, check=False
    )
    return bool(listed.stdout.strip())


def to_html(report: Report, css: str = "", page: str = PAGE_NUMBER_CENTRED) -> str:
    paragraphs = []
    for number, item in enumerate(report.items, start=1):
        kind = f"h{item.level}" if item.kind == "heading" else item.kind
        paragraphs.append(f'<p id="p{number}" class="{kind}">{escape(item.text)}</p>')
    style = PAGE.format(page) + BASE_CSS + css
    return (
        f'<html lang="zh-CN"><head><meta charset="utf-8"><style>{style}</style></head>'
        f"<body>{''.join(paragraphs)}</body></html>"
    )


def to_pdf(report: Report, css: str = "", page: str = PAGE_NUMBER_CENTRED) -> bytes:
    return html_to_pdf(to_html(report, css, page))


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint.HTML(string=html).write_pdf()
