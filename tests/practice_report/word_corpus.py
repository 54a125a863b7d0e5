"""Reports with the features Word and WPS write, built on :mod:`tests.practice_report.corpus`.

Each function returns a :class:`Report` (or changes one) the way a writer's tools make it:
first-page, odd and even footers; ``fldSimple`` and complex PAGE / NUMPAGES fields in a
"第 X 页 共 Y 页" footer; a cover section with Roman page numbers and a restart; lists that share
one abstract definition and restart with ``lvlOverride/startOverride``; headings numbered by a
multilevel list in another scheme ("第一章", "1.1"); text boxes; tables; and footer references
that lead to parts that are missing or are not footers.
"""

from __future__ import annotations

from dataclasses import replace

from tests.practice_report.corpus import (
    CT,
    NS,
    Item,
    Report,
    page_field_complex,
    run_xml,
    styled,
)

FOOTER_CT = f"{CT}.footer+xml"
CENTRED_FOOTER_PPR = '<w:pStyle w:val="Footer"/><w:jc w:val="center"/>'


# ---------------------------------------------------------------------------------------------
# Fields and footers


def field(instruction: str, shown: str = "1") -> str:
    """A complex field as Word writes it: begin, instruction, separate, result, end."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def simple_field(instruction: str, shown: str = "1") -> str:
    return f'<w:fldSimple w:instr=" {instruction} "><w:r><w:t>{shown}</w:t></w:r></w:fldSimple>'


def page_of_pages(ppr: str = CENTRED_FOOTER_PPR, *, simple: bool = False) -> str:
    """ "第 1 页 共 8 页": PAGE and NUMPAGES fields between typed words, as WPS inserts it."""
    make = simple_field if simple else field
    return (
        f"<w:p><w:pPr>{ppr}</w:pPr>"
        + run_xml("第 ")
        + make("PAGE")
        + run_xml(" 页 共 ")
        + make("NUMPAGES", "8")
        + run_xml(" 页")
        + "</w:p>"
    )


def dashed_page_number(ppr: str = CENTRED_FOOTER_PPR) -> str:
    """ "- 1 -": a PAGE field between typed dashes."""
    return f"<w:p><w:pPr>{ppr}</w:pPr>{run_xml('- ')}{field('PAGE')}{run_xml(' -')}</w:p>"


def footer_part(xml: str) -> tuple[str, str]:
    return FOOTER_CT, f"<w:ftr {NS}>{xml}</w:ftr>"


def with_footers(
    report: Report, *, default: str, even: str | None = None, first: str | None = None
) -> Report:
    """Footers for odd (default), even and first pages, as Word's "奇偶页不同" and "首页不同"."""
    refs = '<w:footerReference w:type="default" r:id="rIdFooter"/>'
    parts = dict(report.extra_parts)
    rels = list(report.relationships)
    settings = report.settings
    if even is not None:
        refs += '<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
        parts["word/footer2.xml"] = footer_part(even)
        rels.append(("rIdFooterEven", "footer", "footer2.xml"))
        settings += "<w:evenAndOddHeaders/>"
    if first is not None:
        refs += '<w:footerReference w:type="first" r:id="rIdFooterFirst"/><w:titlePg/>'
        parts["word/footer3.xml"] = footer_part(first)
        rels.append(("rIdFooterFirst", "footer", "footer3.xml"))
    return replace(
        report,
        footer=default,
        section_refs=refs,
        extra_parts=parts,
        relationships=rels,
        settings=settings,
    )


def with_even_footer_reference(
    report: Report, target: str, kind: str = "footer", *, parts: dict | None = None
) -> Report:
    """Odd and even pages differ, and the even-page footer reference leads to ``target``
    through a relationship of type ``kind`` — a part that may be missing or not a footer."""
    refs = (
        '<w:footerReference w:type="default" r:id="rIdFooter"/>'
        '<w:footerReference w:type="even" r:id="rIdOdd"/>'
    )
    return replace(
        report,
        section_refs=refs,
        settings=report.settings + "<w:evenAndOddHeaders/>",
        extra_parts={**report.extra_parts, **(parts or {})},
        relationships=[*report.relationships, ("rIdOdd", kind, target)],
    )


def with_cover_section(report: Report) -> Report:
    """The title on a cover section of its own, numbered I, II … with a blank first-page
    footer; the report proper restarts at page 1 (``w:pgNumType w:start``)."""
    cover_footer = page_field_complex(CENTRED_FOOTER_PPR)
    section = (
        "<w:sectPr>"
        '<w:footerReference w:type="default" r:id="rIdFooterCover"/>'
        '<w:footerReference w:type="first" r:id="rIdFooterBlank"/>'
        '<w:pgNumType w:fmt="upperRoman" w:start="1"/><w:titlePg/></w:sectPr>'
    )
    title = report.items[0]
    cover = replace(
        title,
        raw=(f'<w:p><w:pPr><w:pStyle w:val="Title"/>{section}</w:pPr>{run_xml(title.text)}</w:p>'),
    )
    parts = dict(report.extra_parts)
    parts["word/footer4.xml"] = footer_part(cover_footer)
    parts["word/footer5.xml"] = footer_part("<w:p/>")
    rels = [
        *report.relationships,
        ("rIdFooterCover", "footer", "footer4.xml"),
        ("rIdFooterBlank", "footer", "footer5.xml"),
    ]
    refs = '<w:footerReference w:type="default" r:id="rIdFooter"/><w:pgNumType w:start="1"/>'
    return replace(
        report,
        items=[cover, *report.items[1:]],
        extra_parts=parts,
        relationships=rels,
        section_refs=refs,
        footer=page_of_pages(),
    )


# ---------------------------------------------------------------------------------------------
# Lists


def _level(
    ilvl: int, fmt: str, text: str, *, start: int = 1, style: str = "", legal: bool = False
) -> str:
    linked = f'<w:pStyle w:val="{style}"/>' if style else ""
    legal_numbers = "<w:isLgl/>" if legal else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'{linked}{legal_numbers}<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:firstLineChars="200" w:firstLine="560"/></w:pPr></w:lvl>'
    )


def shared_list_numbering() -> str:
    """Two lists on one abstract definition; list 21 restarts it at 1 (startOverride)."""
    return (
        '<w:abstractNum w:abstractNumId="11">' + _level(0, "decimal", "%1.") + "</w:abstractNum>"
        '<w:num w:numId="20"><w:abstractNumId w:val="11"/></w:num>'
        '<w:num w:numId="21"><w:abstractNumId w:val="11"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )


def list_item(text: str, num_id: int, ilvl: int = 0) -> Item:
    ppr = f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    return Item("body", text, ppr=ppr, style="ListParagraph")


LIST_STYLE = styled(
    "ListParagraph",
    based_on="Normal",
    ppr='<w:ind w:firstLineChars="200" w:firstLine="560"/>',
)


def chapter_numbering() -> str:
    """A multilevel list in the thesis scheme: 第一章 / 1.1 / 1.1.1 / 1.1.1.1 on Heading 1–4
    (lower levels show every number in decimal: ``w:isLgl``, Word's "正规形式编号")."""
    levels = (
        _level(0, "chineseCounting", "第%1章", style="Heading1")
        + _level(1, "decimal", "%1.%2", style="Heading2", legal=True)
        + _level(2, "decimal", "%1.%2.%3", style="Heading3", legal=True)
        + _level(3, "decimal", "%1.%2.%3.%4", style="Heading4", legal=True)
    )
    return (
        f'<w:abstractNum w:abstractNumId="5">{levels}</w:abstractNum>'
        '<w:num w:numId="8"><w:abstractNumId w:val="5"/></w:num>'
    )


# ---------------------------------------------------------------------------------------------
# Text boxes and tables


def text_box(text: str, rpr: str = "") -> str:
    """A paragraph anchoring a DrawingML text box (with its VML fallback copy)."""
    inner = f"<w:p>{run_xml(text, rpr)}</w:p>"
    return (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        '<wp:positionH relativeFrom="column"><wp:align>left</wp:align></wp:positionH>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        'wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>'
        f"{inner}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{inner}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )


def table(rows: list[list[str]], rpr: str = "") -> str:
    """A table of cells, one paragraph each, in the given run properties."""
    cells = "".join(
        "<w:tr>"
        + "".join(
            f'<w:tc><w:p><w:pPr><w:jc w:val="left"/></w:pPr>{run_xml(text, rpr)}</w:p></w:tc>'
            for text in row
        )
        + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl><w:tblPr/>{cells}</w:tbl>"
