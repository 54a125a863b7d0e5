"""Effective formatting, resolved property by property as Word does, and auto-numbering."""

from __future__ import annotations

import pytest

from manyi.practice_report.docx_numbering import format_number
from manyi.practice_report.docx_package import DocxPackage
from manyi.practice_report.docx_reader import read_docx
from manyi.practice_report.docx_styles import DocxStyles, read_theme_fonts
from tests.practice_report.corpus import NS, package


def _styles(styles_xml: str, body: str, theme: str | None = None):
    parts = {
        "word/document.xml": f"<w:document {NS}><w:body>{body}</w:body></w:document>",
        "word/styles.xml": f"<w:styles {NS}>{styles_xml}</w:styles>",
    }
    if theme:
        parts["word/theme/theme1.xml"] = theme
    docx = DocxPackage.read(package(parts))
    paragraphs = list(docx.body().iter(f"{{{NS_W}}}p"))
    main = docx.main
    theme = read_theme_fonts(docx.related(main, "theme"), docx.related(main, "settings"))
    return DocxStyles(docx.related(main, "styles"), theme), paragraphs


NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CHAIN = (
    '<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="20"/></w:rPr></w:rPrDefault>'
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    '<w:pPr><w:jc w:val="both"/><w:ind w:firstLineChars="200"/></w:pPr>'
    '<w:rPr><w:sz w:val="28"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="Normal"/>'
    '<w:rPr><w:b/><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/><w:basedOn w:val="A"/>'
    '<w:pPr><w:spacing w:line="560" w:lineRule="exact"/></w:pPr>'
    '<w:rPr><w:rFonts w:eastAsia="宋体"/></w:rPr></w:style>'
    '<w:style w:type="character" w:styleId="S"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr>'
    "</w:style>"
)


def _para(style: str, rpr: str = "", ppr: str = "") -> str:
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>'
        f"<w:r><w:rPr>{rpr}</w:rPr><w:t>字</w:t></w:r></w:p>"
    )


def test_values_come_through_the_based_on_chain_property_by_property():
    styles, (p,) = _styles(CHAIN, _para("B"))
    para = styles.paragraph(p)
    run = styles.run(p.find(f"{{{NS_W}}}r"), para)
    assert para.alignment.value == "both" and para.alignment.origin == "样式「正文」"
    assert para.line_spacing.value == ("exact", 560) and para.line_spacing.origin == "样式「B」"
    assert para.first_line_indent(14).value == 2
    assert run.size.value == 14 and run.size.origin == "样式「正文」"
    assert run.east_asia_font.value == "宋体" and run.east_asia_font.origin == "样式「B」"
    assert run.bold.value is True and run.bold.origin == "样式「A」"


@pytest.mark.parametrize(
    ("rpr", "bold"),
    [
        ("", True),  # the paragraph style's bold
        ('<w:rStyle w:val="S"/>', False),  # bold style + bold character style: toggled off
        ('<w:rStyle w:val="S"/><w:b/>', True),  # direct formatting is absolute
        ('<w:b w:val="0"/>', False),
    ],
)
def test_bold_is_a_toggle_between_styles_and_absolute_when_direct(rpr, bold):
    styles, (p,) = _styles(CHAIN, _para("A", rpr))
    run = styles.run(p.find(f"{{{NS_W}}}r"), styles.paragraph(p))
    assert run.bold.value is bold


def test_the_east_asian_theme_font_is_the_themes_hans_font_when_ea_is_empty():
    theme = (
        '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:themeElements><a:fontScheme name="F"><a:majorFont><a:latin typeface="L"/>'
        '<a:ea typeface=""/><a:font script="Hans" typeface="黑体"/></a:majorFont>'
        '<a:minorFont><a:latin typeface="L"/><a:ea typeface=""/>'
        '<a:font script="Hans" typeface="等线"/></a:minorFont></a:fontScheme>'
        "</a:themeElements></a:theme>"
    )
    styles_xml = CHAIN.replace(
        '<w:rFonts w:eastAsia="黑体"/>', '<w:rFonts w:eastAsiaTheme="majorEastAsia"/>'
    )
    styles, (p,) = _styles(styles_xml, _para("A"), theme)
    run = styles.run(p.find(f"{{{NS_W}}}r"), styles.paragraph(p))
    assert run.east_asia_font.value == "黑体"
    assert run.east_asia_font.origin == "样式「A」（主题字体）"


def test_indent_in_characters_wins_and_hanging_is_negative():
    styles, (p, q) = _styles(
        CHAIN,
        _para("Normal", ppr='<w:ind w:firstLine="280"/>')
        + _para("Normal", ppr='<w:ind w:firstLineChars="0" w:hanging="560"/>'),
    )
    assert styles.paragraph(p).first_line_indent(14).value == 2  # Chars from Normal win
    assert styles.paragraph(q).first_line_indent(14).value == -2


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (3, "decimal", "3"),
        (3, "chineseCounting", "三"),
        (12, "chineseCounting", "十二"),
        (20, "chineseCountingThousand", "二十"),
        (2, "ideographTraditional", "乙"),
        (4, "decimalEnclosedCircle", "④"),
        (2, "decimalFullWidth", "２"),
        (4, "upperRoman", "IV"),
        (2, "lowerLetter", "b"),
        (11, "taiwaneseCountingThousand", "十一"),  # LibreOffice's "一, 二, 三, ..."
        (10, "ideographDigital", "一〇"),
        (10**15, "upperRoman", str(10**15)),  # out of range: the digits, at once
        (10**15, "lowerLetter", str(10**15)),
    ],
)
def test_number_formats(n, fmt, shown):
    assert format_number(n, fmt) == shown


def test_auto_numbers_restart_below_a_higher_level_and_honour_start_overrides():
    # Level 2 shows "%1.%2" with isLgl (legal numbering): its level-1 part as a digit.
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:isLgl/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1.%2"/><w:suff w:val="space"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="0"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
    )

    def numbered(num: int, ilvl: int, text: str) -> str:
        return (
            f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'
            f"</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
        )

    body = "".join(
        [
            numbered(1, 0, "甲"),
            numbered(1, 1, "a"),
            numbered(1, 1, "b"),
            numbered(1, 0, "乙"),
            numbered(1, 1, "c"),
            numbered(2, 0, "丙"),
        ]
    )
    parts = {
        "word/document.xml": f"<w:document {NS}><w:body>{body}</w:body></w:document>",
        "word/numbering.xml": f"<w:numbering {NS}>{numbering}</w:numbering>",
    }
    content = read_docx(package(parts))
    assert [p.text for p in content.paragraphs] == [
        "一、甲",
        "1.1 a",
        "1.2 b",
        "二、乙",
        "2.1 c",
        "五、丙",
    ]


def test_a_restart_continues_the_shared_counter_afterwards_as_word_does():
    # List 2 shares list 1's definition and starts at 8: 1–5, 8, then list 1 goes on at 9.
    numbering = (
        '<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="3"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="3"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="8"/></w:lvlOverride></w:num>'
    )
    body = "".join(
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
        f"<w:r><w:t>项</w:t></w:r></w:p>"
        for num in (1, 1, 1, 1, 1, 2, 1, 1)
    )
    parts = {
        "word/document.xml": f"<w:document {NS}><w:body>{body}</w:body></w:document>",
        "word/numbering.xml": f"<w:numbering {NS}>{numbering}</w:numbering>",
    }
    labels = [p.label.strip() for p in read_docx(package(parts)).paragraphs]
    assert labels == ["1.", "2.", "3.", "4.", "5.", "8.", "9.", "10."]
