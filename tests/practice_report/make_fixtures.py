"""Write the committed corpus files in ``tests/practice_report/fixtures/``.

    .venv/bin/python -m tests.practice_report.make_fixtures [NAME ...]

Tests assert the exact findings on these files, so they are made once and committed, not
re-rendered on every machine: another LibreOffice, WeasyPrint or font version lays pages out
differently (line pitch, where pages break), and the outcome of a test must not depend on it.
Run this only to add or change a fixture, then review and commit the files and the
``fixtures/README.md`` it writes (which records the producers' versions).

Producers: LibreOffice (headless) for DOCX written from OpenDocument and HTML, and for PDFs of
DOCX; WeasyPrint as a second PDF producer.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from manyi.practice_report import build_template
from manyi.rules import load_scheme
from tests.practice_report.corpus import Report, drop_section, outline_report, to_docx
from tests.practice_report.lo_corpus import (
    soffice_convert,
    soffice_version,
    to_fodt,
    to_word_html,
)
from tests.practice_report.pdf_corpus import html_to_pdf, to_html, to_pdf
from tests.practice_report.word_corpus import (
    dashed_page_number,
    page_of_pages,
    with_cover_section,
    with_footers,
)

FIXTURES = Path(__file__).parent / "fixtures"
SCHEME = load_scheme(2025)
CLEAN = outline_report()
LONG = outline_report(body_chars=300)  # eleven pages or more

# The page number forms footers show, one per page (WeasyPrint's ``@page :nth()``).
PAGE_NUMBER_FORMS = (
    "counter(page, upper-roman)",
    "counter(page, lower-roman)",
    "counter(page)",
    '"- " counter(page) " -"',
    '"— " counter(page) " —"',
    '"第 " counter(page) " 页"',
    '"第 " counter(page) " 页 共 " counter(pages) " 页"',
    '"第 " counter(page) " 页（共 " counter(pages) " 页）"',
    '"第 " counter(page) " 页，共 " counter(pages) " 页"',
    'counter(page) " / " counter(pages)',
    '"Page " counter(page) " of " counter(pages)',
)
SONG = "'Noto Serif CJK SC'"


def _nth(page: int, margin: str, content: str) -> str:
    return f"@page :nth({page}) {{ @{margin} {{ content: {content}; font: 10.5pt {SONG}; }} }}"


# ---------------------------------------------------------------------------------------------
# WeasyPrint


def weasyprint_page_number_forms() -> bytes:
    css = "".join(
        _nth(page, "bottom-center", form) for page, form in enumerate(PAGE_NUMBER_FORMS, 1)
    )
    return to_pdf(LONG, css)


# Body paragraphs (by their order among the body paragraphs) given one defect each in the
# format-defects PDF, each with text of its own so a test can find it.
DEFECTS = {
    "sans": (0, "本段用无衬线的黑体类字体排版。"),
    "small": (1, "本段的字号是小四号，比正文小。"),
    "unindented": (2, "本段没有首行缩进。"),
    "single": (3, "本段用单倍行距排版。"),
    "centred": (5, "本段文字居中排列。"),
}
DEFECT_CSS = {
    "sans": "font-family: 'Noto Sans CJK SC';",
    "small": "font-size: 12pt; line-height: 26pt;",
    "unindented": "text-indent: 0;",
    "single": "line-height: 1.25;",
    "centred": "text-align: center; text-indent: 0;",
}
DROPPED = "3.目标计划"


def format_defects_report() -> Report:
    """CLEAN with the defect paragraphs' own texts and one section dropped."""
    bodies = [k for k, item in enumerate(CLEAN.items) if item.kind == "body"]
    items = list(CLEAN.items)
    for name, (n, lead) in DEFECTS.items():
        k = bodies[n]
        text = lead if name == "centred" else lead + items[k].text
        items[k] = replace(items[k], text=text)
    return replace(CLEAN, items=drop_section(items, DROPPED))


# After the first body paragraph: body text framed in a one-cell table, in a sans face, and a
# table of data in 五号 (held to no body format).
FRAMED = "这段正文放在单格表格中作边框，用的是等宽无衬线字体，仍应按正文的字体和字号检查。" * 2
TABLES = (
    '<table style="width:100%; border-collapse: collapse"><tr><td style="border: 1px solid black;'
    " font: 14pt/30pt 'Noto Sans Mono CJK SC'; padding: 4pt\">"
    f"{FRAMED}</td></tr></table>"
    '<table style="width:100%; border-collapse: collapse; font-size: 10.5pt">'
    '<tr><td style="border: 1px solid black">指标</td>'
    '<td style="border: 1px solid black">2024年，按季度测量的用户满意度指数及其说明</td></tr>'
    '<tr><td style="border: 1px solid black">满意度</td>'
    '<td style="border: 1px solid black">86.5</td></tr></table>'
)


def weasyprint_format_defects() -> bytes:
    report = format_defects_report()
    css = "p.title { text-align: left; font-size: 16pt; font-weight: normal; }"
    css += "p.h1 { font-weight: normal; }"
    for name, (_, lead) in DEFECTS.items():
        css += f"#p{report.index_of(lead)} {{ {DEFECT_CSS[name]} }}"
    html = to_html(report, css, page="")
    first_body = html.index(f'<p id="p{report.index_of(DEFECTS["sans"][1]) + 1}"')
    return html_to_pdf(html[:first_body] + TABLES + html[first_body:])


def weasyprint_page_number_defects() -> bytes:
    css = (
        "@page :first { @bottom-center { content: none; } }"
        + _nth(3, "bottom-right", "counter(page)")
        + "@page :nth(3) { @bottom-center { content: none; } }"
        + _nth(4, "top-center", "counter(page)")
        + "@page :nth(4) { @bottom-center { content: none; } }"
    )
    return to_pdf(CLEAN, css)


# ---------------------------------------------------------------------------------------------
# LibreOffice


def lo_template(category: str) -> Callable[[], bytes]:
    def make() -> bytes:
        return soffice_convert(f"{category}.docx", build_template(category, scheme=SCHEME), "pdf")

    return make


def word_features_docx() -> bytes:
    """A cover section numbered I, then "第 N 页 共 M 页" on odd and "- N -" on even pages."""
    report = with_footers(
        with_cover_section(LONG), default=page_of_pages(), even=dashed_page_number()
    )
    refs = report.section_refs or ""
    return to_docx(replace(report, section_refs=refs + '<w:pgNumType w:start="1"/>'))


def lo_word_features() -> bytes:
    """The Word-features report in "SimSun", which LibreOffice sets in a Song-style face."""
    data = _renamed_font(word_features_docx(), "宋体", "SimSun")
    return soffice_convert("features.docx", data, "pdf")


def lo_song_substituted() -> bytes:
    """The same report in "宋体", which LibreOffice on Linux without 宋体 sets in a sans face:
    what a writer gets exporting a correct Word file on such a machine."""
    return soffice_convert("features.docx", word_features_docx(), "pdf")


def _renamed_font(data: bytes, old: str, new: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename.endswith(".xml"):
                blob = blob.replace(f'"{old}"'.encode(), f'"{new}"'.encode())
            target.writestr(info, blob)
    return out.getvalue()


def lo_from_odt(target: str) -> Callable[[], bytes]:
    def make() -> bytes:
        return soffice_convert("report.fodt", to_fodt(CLEAN).encode(), target)

    return make


def lo_from_html() -> bytes:
    return soffice_convert("report.html", to_word_html(CLEAN).encode(), "docx:MS Word 2007 XML")


# name → (how it is made, the producer)
MAKERS: dict[str, tuple[Callable[[], bytes], str]] = {
    "weasyprint-page-number-forms.pdf": (weasyprint_page_number_forms, "WeasyPrint"),
    "weasyprint-format-defects.pdf": (weasyprint_format_defects, "WeasyPrint"),
    "weasyprint-page-number-defects.pdf": (weasyprint_page_number_defects, "WeasyPrint"),
    "libreoffice-template-enterprise.pdf": (lo_template("enterprise"), "LibreOffice"),
    "libreoffice-template-team.pdf": (lo_template("team"), "LibreOffice"),
    "libreoffice-word-features.pdf": (lo_word_features, "LibreOffice"),
    "libreoffice-song-substituted.pdf": (lo_song_substituted, "LibreOffice"),
    "libreoffice-from-odt.docx": (lo_from_odt("docx:MS Word 2007 XML"), "LibreOffice"),
    "libreoffice-from-odt.pdf": (lo_from_odt("pdf"), "LibreOffice"),
    "libreoffice-from-html.docx": (lo_from_html, "LibreOffice"),
}


def _readme() -> str:
    import weasyprint

    producers = {
        "LibreOffice": soffice_version(),
        "WeasyPrint": f"WeasyPrint {weasyprint.__version__}",
    }
    lines = [
        "# 实践报告检查的语料文件（由 make_fixtures.py 生成，提交入库）",
        "",
        "测试断言这些文件的确切检查结果，所以文件只生成一次并提交，不在每台机器上重新生成。",
        "重新生成：`.venv/bin/python -m tests.practice_report.make_fixtures [文件名 ...]`。",
        "",
        "| 文件 | 生成工具 |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {producers[producer]} |" for name, (_, producer) in MAKERS.items()]
    return "\n".join(lines) + "\n"


def main(names: list[str]) -> int:
    FIXTURES.mkdir(exist_ok=True)
    unknown = [name for name in names if name not in MAKERS]
    if unknown:
        print(f"未知的语料文件：{'、'.join(unknown)}", file=sys.stderr)
        return 2
    for name in names or list(MAKERS):
        make, _ = MAKERS[name]
        data = make()
        (FIXTURES / name).write_bytes(data)
        print(f"{name}：{len(data) // 1024} KB")
    (FIXTURES / "README.md").write_text(_readme(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
