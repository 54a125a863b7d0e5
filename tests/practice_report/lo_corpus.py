"""Reports as a writer hands them to LibreOffice: an HTML page and an OpenDocument text.

LibreOffice turns them into DOCX and PDF (``make_fixtures``), the way users who write in
LibreOffice, or paste from a web editor, make their files:

- :func:`to_word_html`: the report as an HTML page styled the way a web editor writes it
  (宋体 / SimSun, 14 pt, 1.5 lines, text-indent 2em), without a page footer;
- :func:`to_fodt`: the report as a flat OpenDocument text, formatted through styles, the
  headings numbered by the outline numbering (一、 / （一） / 1. / （1）) and a footer
  "第 N 页 共 M 页" centred.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from tests.practice_report.corpus import Report

_TYPED_NUMBER = re.compile(
    r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.|（\d+）)"
)
ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
)
# Outline numbering: (format, prefix, suffix) per level, as LibreOffice's dialog sets it.
OUTLINE_LEVELS = (
    ("一, 二, 三, ...", "", "、"),
    ("一, 二, 三, ...", "（", "）"),
    ("1", "", "."),
    ("1", "（", "）"),
)


# ---------------------------------------------------------------------------------------------
# HTML


def to_word_html(report: Report) -> str:
    """The report as an HTML page from a web editor: styled paragraphs, no page footer."""
    css = (
        "p { font-family: SimSun, 宋体; font-size: 14pt; line-height: 150%; "
        "text-indent: 2em; text-align: justify; margin: 0; }"
        "p.title { font-size: 18pt; font-weight: bold; text-align: center; "
        "text-indent: 0; line-height: 100%; }"
        "p.h1 { font-weight: bold; }"
    )
    paragraphs = []
    for item in report.items:
        kind = f"h{item.level}" if item.kind == "heading" else item.kind
        paragraphs.append(f'<p class="{kind}">{escape(item.text)}</p>')
    return (
        f'<html lang="zh-CN"><head><meta charset="utf-8"><style>{css}</style></head>'
        f"<body>{''.join(paragraphs)}</body></html>"
    )


# ---------------------------------------------------------------------------------------------
# OpenDocument


def _song(size: float, bold: bool = False) -> str:
    weight = ' fo:font-weight="bold" style:font-weight-asian="bold"' if bold else ""
    return (
        '<style:text-properties style:font-name="SimSun" style:font-name-asian="SimSun" '
        f'fo:font-size="{size:g}pt" style:font-size-asian="{size:g}pt"{weight}/>'
    )


def _outline_style() -> str:
    levels = "".join(
        f'<text:outline-level-style text:level="{level}" style:num-format="{fmt}" '
        f'style:num-prefix="{prefix}" style:num-suffix="{suffix}">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
        '<style:list-level-label-alignment text:label-followed-by="nothing" '
        'fo:text-indent="0cm" fo:margin-left="0cm"/></style:list-level-properties>'
        "</text:outline-level-style>"
        for level, (fmt, prefix, suffix) in enumerate(OUTLINE_LEVELS, start=1)
    )
    return f'<text:outline-style style:name="Outline">{levels}</text:outline-style>'


def _styles() -> str:
    headings = "".join(
        f'<style:style style:name="Heading_20_{n}" style:display-name="Heading {n}" '
        'style:family="paragraph" style:parent-style-name="Standard" '
        f'style:default-outline-level="{n}">{_song(14, n == 1)}</style:style>'
        for n in range(1, 5)
    )
    return (
        f'<style:default-style style:family="paragraph">{_song(14)}</style:default-style>'
        '<style:style style:name="Standard" style:family="paragraph">'
        '<style:paragraph-properties fo:line-height="150%" fo:text-indent="0.988cm" '
        f'fo:text-align="justify"/>{_song(14)}</style:style>'
        '<style:style style:name="Title" style:family="paragraph" '
        'style:parent-style-name="Standard"><style:paragraph-properties fo:line-height="100%" '
        f'fo:text-indent="0cm" fo:text-align="center"/>{_song(18, True)}</style:style>'
        f"{headings}"
        '<style:style style:name="Footer" style:family="paragraph" '
        'style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center" '
        f'fo:text-indent="0cm" fo:line-height="100%"/>{_song(10.5)}</style:style>'
        f"{_outline_style()}"
    )


def _odf_body(report: Report) -> str:
    body = []
    for item in report.items:
        text = escape(item.text)
        if item.kind == "title":
            body.append(f'<text:p text:style-name="Title">{text}</text:p>')
        elif item.kind == "heading":
            title = escape(_TYPED_NUMBER.sub("", item.text))  # the outline numbers it
            body.append(
                f'<text:h text:style-name="Heading_20_{item.level}" '
                f'text:outline-level="{item.level}">{title}</text:h>'
            )
        else:
            body.append(f'<text:p text:style-name="Standard">{text}</text:p>')
    return "".join(body)


def to_fodt(report: Report) -> str:
    """The report as a flat OpenDocument text (.fodt) with a "第 N 页 共 M 页" footer."""
    footer = (
        '<text:p text:style-name="Footer">第 <text:page-number text:select-page="current">1'
        "</text:page-number> 页 共 <text:page-count>1</text:page-count> 页</text:p>"
    )
    layout = (
        '<style:page-layout style:name="pm1"><style:page-layout-properties '
        'fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2.54cm" '
        'fo:margin-bottom="1.5cm" fo:margin-left="3.18cm" fo:margin-right="3.18cm"/>'
        '<style:footer-style><style:header-footer-properties fo:min-height="1cm"/>'
        "</style:footer-style></style:page-layout>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document {ODF_NS} office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text">'
        '<office:font-face-decls><style:font-face style:name="SimSun" '
        'svg:font-family="SimSun"/></office:font-face-decls>'
        f"<office:styles>{_styles()}</office:styles>"
        f"<office:automatic-styles>{layout}</office:automatic-styles>"
        '<office:master-styles><style:master-page style:name="Standard" '
        f'style:page-layout-name="pm1"><style:footer>{footer}</style:footer>'
        "</style:master-page></office:master-styles>"
        f"<office:body><office:text>{_odf_body(report)}</office:text></office:body>"
        "</office:document>"
    )


# ---------------------------------------------------------------------------------------------
# LibreOffice


def soffice_version() -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        return ""
    done = subprocess.run([soffice, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def soffice_convert(name: str, data: bytes, target: str) -> bytes:
    """Convert one file with LibreOffice headless, in a private profile.

    ``target`` is a LibreOffice filter spec, e.g. ``pdf`` or ``docx:MS Word 2007 XML``.
    """
    soffice = shutil.which("soffice")
    if soffice is None:
        raise RuntimeError("soffice（LibreOffice）未安装")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / name
        source.write_bytes(data)
        profile = (Path(folder) / "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(Path(folder) / "out"),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        extension = target.split(":", 1)[0]
        return (Path(folder) / "out" / f"{source.stem}.{extension}").read_bytes()
