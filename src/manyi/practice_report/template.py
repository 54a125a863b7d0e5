"""Report templates (附件1-4): one DOCX per category, formatted through styles as required.

Every format rule lives in a style, so what the writer types inherits it: 正文 (Normal) is
四号宋体, 1.5 lines, first line indented 2 characters, justified; 标题 (Title) is 小二号宋体,
bold, centred, single spacing; 标题 1–4 (Heading 1–4) carry the outline levels, level 1 bold.
The footer holds a centred PAGE field. Sizes and fonts come from the scheme.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from manyi.rules.model import OutlineHeading, ReportFormat, Scheme, TextStyle

# Word stores 宋体 under either name. "SimSun" is used because LibreOffice on Linux, lacking
# SimSun, substitutes a Song-style face (Noto Serif CJK) for it, and a sans face for "宋体".
SONG_FONT = "SimSun"
LATIN_FONT = "Times New Roman"
FOOTER_SIZE_PT = 10.5  # 五号
PLACEHOLDER = "（请在此撰写本节内容。）"
JC = {"justify": "both", "center": "center", "left": "left"}


def build_template(category: str, *, scheme: Scheme) -> bytes:
    """The DOCX template of one of the scheme's categories."""
    outline = scheme.outline(scheme.category(category).key)
    fmt = scheme.report_format
    document = Document()
    _page_setup(document)
    _styles(document, fmt)
    _east_asian_language(document)
    document.add_paragraph(outline.title, style="Title")
    headings = outline.headings
    for index, heading in enumerate(headings):
        document.add_paragraph(heading.text, style=f"Heading {heading.level}")
        guidance = heading.guidance or (PLACEHOLDER if _is_leaf(headings, index) else "")
        if guidance:
            document.add_paragraph(guidance, style="Normal")
    _page_number_footer(document)
    props = document.core_properties
    props.title = outline.template_name
    props.author = props.last_modified_by = ""
    props.comments = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def template_filename(category: str, *, scheme: Scheme) -> str:
    return f"{scheme.outline(scheme.category(category).key).template_name}.docx"


def _is_leaf(headings: tuple[OutlineHeading, ...], index: int) -> bool:
    following = headings[index + 1] if index + 1 < len(headings) else None
    return following is None or following.level <= headings[index].level


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25.4)
    section.left_margin = section.right_margin = Mm(31.8)
    section.header_distance, section.footer_distance = Mm(15), Mm(17.5)


# ---------------------------------------------------------------------------------------------
# Styles


def _el(tag: str, **attrs: str) -> Any:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _fonts() -> Any:
    return _el("w:rFonts", ascii=LATIN_FONT, hAnsi=LATIN_FONT, eastAsia=SONG_FONT, cs=LATIN_FONT)


def _rpr(size_pt: float, bold: bool) -> Any:
    rpr = OxmlElement("w:rPr")
    rpr.append(_fonts())
    for tag in ("w:b", "w:bCs"):
        rpr.append(_el(tag) if bold else _el(tag, val="0"))
    half_points = str(round(size_pt * 2))
    rpr.append(_el("w:sz", val=half_points))
    rpr.append(_el("w:szCs", val=half_points))
    return rpr


def _ppr(
    alignment: str,
    line_spacing: float,
    indent_chars: float,
    size_pt: float,
    *,
    outline_level: int | None = None,
    after: int = 0,
) -> Any:
    ppr = OxmlElement("w:pPr")
    if outline_level is not None:
        ppr.append(_el("w:keepNext"))
        ppr.append(_el("w:keepLines"))
    ppr.append(
        _el(
            "w:spacing",
            before="0",
            after=str(after),
            line=str(round(line_spacing * 240)),
            lineRule="auto",
        )
    )
    # Chars for Word; the twips fallback (2 × 14 pt = 560) for readers that ignore Chars.
    ppr.append(
        _el(
            "w:ind",
            firstLineChars=str(round(indent_chars * 100)),
            firstLine=str(round(indent_chars * size_pt * 20)),
        )
    )
    ppr.append(_el("w:jc", val=JC[alignment]))
    if outline_level is not None:
        ppr.append(_el("w:outlineLvl", val=str(outline_level)))
    return ppr


def _restyle(style: Any, ppr: Any, rpr: Any, based_on: str | None = "Normal") -> None:
    element = style.element
    for tag in ("w:pPr", "w:rPr", "w:basedOn", "w:link"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    if based_on is not None:
        name = element.find(qn("w:name"))
        name.addnext(_el("w:basedOn", val=based_on))
    element.append(ppr)
    element.append(rpr)


def _styles(document: Any, fmt: ReportFormat) -> None:
    _doc_defaults(document, fmt.body)
    styles = document.styles
    body, title = fmt.body, fmt.title
    _restyle(
        styles["Normal"],
        _ppr(body.alignment, body.line_spacing, body.first_line_indent_chars, body.size_pt),
        _rpr(body.size_pt, body.bold),
        based_on=None,
    )
    _restyle(
        styles["Title"],
        _ppr(title.alignment, title.line_spacing, 0, title.size_pt, after=240),
        _rpr(title.size_pt, title.bold),
    )
    for style in fmt.headings:
        _restyle(
            styles[f"Heading {style.level}"],
            _ppr(
                body.alignment,
                body.line_spacing,
                body.first_line_indent_chars,
                body.size_pt,
                outline_level=style.level - 1,
            ),
            _rpr(body.size_pt, style.bold),
        )
    _restyle(styles["Footer"], _ppr("center", 1.0, 0, FOOTER_SIZE_PT), _rpr(FOOTER_SIZE_PT, False))


def _doc_defaults(document: Any, body: TextStyle) -> None:
    root = document.styles.element
    defaults = root.find(qn("w:docDefaults"))
    if defaults is not None:
        root.remove(defaults)
    defaults = OxmlElement("w:docDefaults")
    rpr_default, ppr_default = OxmlElement("w:rPrDefault"), OxmlElement("w:pPrDefault")
    rpr = _rpr(body.size_pt, False)
    rpr.append(_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    rpr_default.append(rpr)
    ppr = OxmlElement("w:pPr")
    ppr.append(_el("w:spacing", after="0", line="240", lineRule="auto"))
    ppr_default.append(ppr)
    defaults.append(rpr_default)
    defaults.append(ppr_default)
    root.insert(0, defaults)


def _east_asian_language(document: Any) -> None:
    """Theme fonts and proofing follow Simplified Chinese (Word's 中文(中国))."""
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = _el("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


# ---------------------------------------------------------------------------------------------
# Footer


def _page_number_footer(document: Any) -> None:
    footer = document.sections[0].footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.paragraph_format.alignment = None  # from the Footer style: centred
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        run = paragraph.add_run()
        if kind is not None:
            run._r.append(_el("w:fldChar", fldCharType=kind))
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    paragraph.add_run()._r.append(_el("w:fldChar", fldCharType="end"))
