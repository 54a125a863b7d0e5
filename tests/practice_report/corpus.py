"""A corpus of practice reports built in code: DOCX packages written from raw XML parts.

``Report`` lays out a report of a category from the scheme's outline (title, every heading
with its number, body text under each section); ``to_docx`` writes it formatted through
styles (the default) or formatted directly on every paragraph and run. Tests change one thing
(a style, a paragraph's properties, a heading's number, the footer …) to make one defect.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from xml.sax.saxutils import escape

from manyi.practice_report.counting import count_chars
from manyi.rules import load_scheme

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'mc:Ignorable="wps"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

SONG = "宋体"
FONTS = f'<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{SONG}"/>'
BODY_PPR = (
    '<w:spacing w:line="360" w:lineRule="auto"/>'
    '<w:ind w:firstLineChars="200" w:firstLine="560"/><w:jc w:val="both"/>'
)
BODY_RPR = FONTS + '<w:sz w:val="28"/><w:szCs w:val="28"/>'
TITLE_PPR = (
    '<w:spacing w:line="240" w:lineRule="auto"/>'
    '<w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>'
)
TITLE_RPR = FONTS + '<w:b/><w:sz w:val="36"/><w:szCs w:val="36"/>'
BOLD = "<w:b/>"

SENTENCES = (
    "公司坚持以用户为中心的经营理念，把用户满意作为衡量各项工作的标准。",
    "通过走访调研、在线问卷和座谈会等方式收集用户意见，形成改进清单并逐项落实。",
    "建立覆盖售前、售中、售后的服务流程，明确关键控制点和服务时限要求。",
    "持续开展员工培训和技能比武，提升一线人员解决问题的能力和服务意识。",
    "定期分析投诉数据和满意度测评结果，推动产品和服务的持续改进与创新。",
)


def filler(chars: int, seed: int = 0) -> str:
    """Chinese body text of exactly ``chars`` characters (each counts 1)."""
    text = ""
    i = seed
    while len(text) < chars:
        text += SENTENCES[i % len(SENTENCES)]
        i += 1
    text = text[:chars]
    return text[:-1] + "。" if chars > 1 else text


@dataclass
class Item:
    """One paragraph of a test report."""

    kind: str  # title, heading, body
    text: str
    level: int = 0
    ppr: str = ""  # extra direct paragraph properties (raw XML), written last so they win
    rpr: str = ""  # extra direct run properties for every run
    style: str | None = None  # paragraph style id, instead of the kind's own
    runs: list[tuple[str, str]] | None = None  # explicit runs: (text, raw rPr XML)
    raw: str | None = None  # a whole block element instead (table, content control …)


@dataclass
class Report:
    items: list[Item]
    category: str = "enterprise"
    footer: str | None = None  # raw XML inside <w:ftr>; None: a centred PAGE field
    header: str | None = None
    styles: dict[str, str] = field(default_factory=dict)  # style id → replacement XML
    extra_styles: str = ""
    numbering: str | None = None
    theme_hans: str = "宋体"
    doc_defaults_rpr: str = BODY_RPR
    settings: str = ""  # extra settings XML, e.g. <w:evenAndOddHeaders/>
    # The last section's header/footer references (raw XML); None: the default footer (and
    # header) written above.
    section_refs: str | None = None
    # Parts beyond the usual ones: name → (content type, XML), related from the document by
    # ``relationships`` (id, type, target) when wanted.
    extra_parts: dict[str, tuple[str, str]] = field(default_factory=dict)
    relationships: list[tuple[str, str, str]] = field(default_factory=list)

    def body(self, n: int = 0) -> Item:
        """The n-th body paragraph."""
        return [item for item in self.items if item.kind == "body"][n]

    def index_of(self, text: str) -> int:
        """1-based paragraph number of the first item whose text starts with ``text``."""
        for index, item in enumerate(self.items, start=1):
            if item.text.startswith(text):
                return index
        raise KeyError(text)

    def replace_item(self, prefix: str, **changes) -> Report:
        """The report with the first paragraph starting with ``prefix`` changed."""
        index = self.index_of(prefix) - 1
        items = list(self.items)
        items[index] = replace(items[index], **changes)
        return replace(self, items=items)

    def edit(self, change: Callable[[list[Item]], list[Item]]) -> Report:
        return replace(self, items=change(list(self.items)))


def outline_report(
    category: str = "enterprise",
    *,
    body_chars: int = 120,
    part_chars: dict[str, int] | None = None,
) -> Report:
    """A clean report: title, every outline heading, body text under each leaf section.

    ``part_chars`` sets the body characters of a level-1 part in total (by its title),
    spread over the part's leaf sections.
    """
    outline = load_scheme(2025).outline(category)
    headings = outline.headings
    items = [Item("title", outline.title)]
    leaves = [
        i
        for i, h in enumerate(headings)
        if i + 1 == len(headings) or headings[i + 1].level <= h.level
    ]
    budgets = _leaf_chars(headings, leaves, body_chars, part_chars or {})
    seed = 0
    for index, heading in enumerate(headings):
        items.append(Item("heading", heading.text, level=heading.level))
        for chars in budgets.get(index, []):
            items.append(Item("body", filler(chars, seed)))
            seed += 1
    return Report(items, category)


def _leaf_chars(headings, leaves, body_chars, part_chars) -> dict[int, list[int]]:
    parts: dict[int, str] = {}
    current = ""
    for index, heading in enumerate(headings):
        if heading.level == 1:
            current = heading.title
        parts[index] = current
    result: dict[int, list[int]] = {}
    for part, total in part_chars.items():
        in_part = [i for i in leaves if parts[i] == part]
        share, rest = divmod(total, len(in_part))
        for n, index in enumerate(in_part):
            chars = share + (1 if n < rest else 0)
            result[index] = [300] * (chars // 300) + ([chars % 300] if chars % 300 else [])
    for index in leaves:
        result.setdefault(index, [body_chars])
    return result


# ---------------------------------------------------------------------------------------------
# Writing the package


def _style(
    style_id: str,
    name: str,
    *,
    kind: str = "paragraph",
    based_on: str | None = None,
    ppr: str = "",
    rpr: str = "",
    default: bool = False,
) -> str:
    attrs = f'w:type="{kind}" w:styleId="{style_id}"' + (' w:default="1"' if default else "")
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    ppr_xml = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    rpr_xml = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:style {attrs}><w:name w:val="{name}"/>{based}{ppr_xml}{rpr_xml}</w:style>'


def styled(style_id: str, **kwargs) -> str:
    names = {"Normal": "Normal", "Title": "Title", "Footer": "footer", "Strong": "Strong"}
    name = names.get(style_id, style_id.replace("Heading", "heading "))
    return _style(style_id, name, **kwargs)


def default_styles(report: Report, direct: bool) -> str:
    """Styles of a well-made report (or, for direct formatting, styles that set nothing)."""
    styles = {
        "Normal": styled("Normal", default=True)
        if direct
        else styled("Normal", default=True, ppr=BODY_PPR, rpr=BODY_RPR),
        "Title": styled("Title", based_on="Normal")
        if direct
        else styled("Title", based_on="Normal", ppr=TITLE_PPR, rpr=TITLE_RPR),
        "Footer": styled(
            "Footer",
            based_on="Normal",
            ppr='<w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>',
        ),
        "DefaultParagraphFont": _style(
            "DefaultParagraphFont", "Default Paragraph Font", kind="character", default=True
        ),
        "Strong": styled("Strong", kind="character", rpr=BOLD),
    }
    for level in range(1, 5):
        rpr = BOLD if level == 1 and not direct else ""
        ppr = f'<w:keepNext/><w:outlineLvl w:val="{level - 1}"/>'
        styles[f"Heading{level}"] = styled(f"Heading{level}", based_on="Normal", ppr=ppr, rpr=rpr)
    styles.update(report.styles)
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr>{report.doc_defaults_rpr}</w:rPr></w:rPrDefault>"
        "<w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>"
    )
    return f"<w:styles {NS}>{defaults}{''.join(styles.values())}{report.extra_styles}</w:styles>"


def run_xml(text: str, rpr: str = "") -> str:
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def paragraph_xml(item: Item, direct: bool) -> str:
    if item.raw is not None:
        return item.raw
    style = item.style or {"title": "Title", "heading": f"Heading{item.level}"}.get(item.kind)
    ppr, rpr = "", item.rpr
    if direct:
        ppr = TITLE_PPR if item.kind == "title" else BODY_PPR
        base = TITLE_RPR if item.kind == "title" else BODY_RPR
        base += BOLD if item.kind == "heading" and item.level == 1 else ""
        rpr = base + item.rpr
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = f"<w:pPr>{style_xml}{ppr}{item.ppr}</w:pPr>"
    runs = item.runs if item.runs is not None else [(item.text, rpr)]
    return f"<w:p>{props}{''.join(run_xml(text, r) for text, r in runs)}</w:p>"


PAGE_FIELD_SIMPLE = (
    '<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
    '<w:fldSimple w:instr=" PAGE \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>'
)


def page_field_complex(ppr: str = '<w:pStyle w:val="Footer"/>', before: str = "") -> str:
    return (
        f"<w:p><w:pPr>{ppr}</w:pPr>{before}"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def page_field_in_content_control() -> str:
    return f"<w:sdt><w:sdtPr/><w:sdtContent>{PAGE_FIELD_SIMPLE}</w:sdtContent></w:sdt>"


def theme_xml(hans: str) -> str:
    fonts = (
        '<a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/>'
        f'<a:font script="Hans" typeface="{hans}"/><a:font script="Jpan" typeface="MS Mincho"/>'
    )
    return (
        '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="T">'
        '<a:themeElements><a:fontScheme name="F">'
        f"<a:majorFont>{fonts}</a:majorFont><a:minorFont>{fonts}</a:minorFont>"
        "</a:fontScheme></a:themeElements></a:theme>"
    )


def to_docx(report: Report, *, direct: bool = False) -> bytes:
    """The report as a DOCX package."""
    body = "".join(paragraph_xml(item, direct) for item in report.items)
    footer = (
        report.footer
        if report.footer is not None
        else (page_field_complex() if direct else page_field_in_content_control())
    )
    refs = '<w:footerReference w:type="default" r:id="rIdFooter"/>'
    if report.header is not None:
        refs = '<w:headerReference w:type="default" r:id="rIdHeader"/>' + refs
    if report.section_refs is not None:
        refs = report.section_refs
    sect = (
        f'<w:sectPr>{refs}<w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" '
        'w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>'
    )
    parts = {
        "word/document.xml": f"<w:document {NS}><w:body>{body}{sect}</w:body></w:document>",
        "word/styles.xml": default_styles(report, direct),
        "word/settings.xml": f"<w:settings {NS}>{report.settings}<w:themeFontLang "
        'w:val="en-US" w:eastAsia="zh-CN"/></w:settings>',
        "word/theme/theme1.xml": theme_xml(report.theme_hans),
        "word/footer1.xml": f"<w:ftr {NS}>{footer}</w:ftr>",
    }
    if report.header is not None:
        parts["word/header1.xml"] = f"<w:hdr {NS}>{report.header}</w:hdr>"
    if report.numbering is not None:
        parts["word/numbering.xml"] = f"<w:numbering {NS}>{report.numbering}</w:numbering>"
    types = {name: content_type for name, (content_type, _) in report.extra_parts.items()}
    parts.update({name: xml for name, (_, xml) in report.extra_parts.items()})
    return package(parts, types=types, relationships=report.relationships)


_TYPES = {
    "word/document.xml": f"{CT}.document.main+xml",
    "word/styles.xml": f"{CT}.styles+xml",
    "word/settings.xml": f"{CT}.settings+xml",
    "word/numbering.xml": f"{CT}.numbering+xml",
    "word/footer1.xml": f"{CT}.footer+xml",
    "word/header1.xml": f"{CT}.header+xml",
    "word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
}
_RELS = {
    "word/styles.xml": ("rIdStyles", "styles"),
    "word/settings.xml": ("rIdSettings", "settings"),
    "word/numbering.xml": ("rIdNumbering", "numbering"),
    "word/footer1.xml": ("rIdFooter", "footer"),
    "word/header1.xml": ("rIdHeader", "header"),
    "word/theme/theme1.xml": ("rIdTheme", "theme"),
}


def package(
    parts: dict[str, str],
    *,
    types: dict[str, str] | None = None,
    relationships: Sequence[tuple[str, str, str]] = (),
) -> bytes:
    """Zip XML parts into a DOCX with content types and relationships.

    ``types`` gives the content type of parts beyond the usual ones; ``relationships`` adds
    (id, type, target) relationships of the document (type: "footer" or a full URI).
    """
    known = {**_TYPES, **(types or {})}
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{known[name]}"/>'
        for name in parts
        if name in known
    )
    content_types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        f"{overrides}</Types>"
    )
    rels = "".join(
        f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{name.removeprefix("word/")}"/>'
        for name, (rid, kind) in _RELS.items()
        if name in parts
    )
    rels += "".join(
        f'<Relationship Id="{rid}" Type="{kind if ":" in kind else f"{REL}/{kind}"}" '
        f'Target="{target}"/>'
        for rid, kind, target in relationships
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/_rels/document.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rels}</Relationships>",
        )
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return out.getvalue()


def drop_section(items: list[Item], prefix: str) -> list[Item]:
    """The items without the section whose heading starts with ``prefix`` (and its content)."""
    kept, skipping, level = [], False, 0
    for item in items:
        if item.kind == "heading" and item.text.startswith(prefix):
            skipping, level = True, item.level
            continue
        if skipping and item.kind == "heading" and item.level <= level:
            skipping = False
        if not skipping:
            kept.append(item)
    return kept


def body_chars(report: Report) -> int:
    return sum(count_chars(item.text) for item in report.items)


def headings_of(report: Report) -> Sequence[Item]:
    return [item for item in report.items if item.kind == "heading"]


# ---------------------------------------------------------------------------------------------
# Word's automatic numbering


def _level_xml(ilvl: int, fmt: str, text: str, indent: bool = True) -> str:
    ind = '<w:pPr><w:ind w:firstLineChars="200" w:firstLine="560"/></w:pPr>' if indent else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>{ind}</w:lvl>'
    )


def numbering_xml(level2_format: str = "chineseCounting") -> str:
    """One list: 一、 / （一） / 1. / （1） on levels 0–3, linked to Heading 1–4."""
    levels = (
        _level_xml(0, "chineseCounting", "%1、")
        + _level_xml(1, level2_format, "（%2）")
        + _level_xml(2, "decimal", "%3.")
        + _level_xml(3, "decimal", "（%4）")
    )
    return (
        f'<w:abstractNum w:abstractNumId="7">{levels}</w:abstractNum>'
        '<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>'
    )


def auto_numbered(report: Report, level2_format: str = "chineseCounting") -> Report:
    """The same report with heading numbers from Word's numbering, not typed in the text."""
    return numbered_headings(report, numbering_xml(level2_format), 3)


def numbered_headings(report: Report, numbering: str, num_id: int) -> Report:
    """Heading styles numbered by ``numbering`` (list ``num_id``); typed numbers removed."""
    styles = dict(report.styles)
    for level in range(1, 5):
        ppr = (
            f'<w:keepNext/><w:numPr><w:ilvl w:val="{level - 1}"/><w:numId w:val="{num_id}"/>'
            f'</w:numPr><w:outlineLvl w:val="{level - 1}"/>'
        )
        styles[f"Heading{level}"] = styled(
            f"Heading{level}", based_on="Normal", ppr=ppr, rpr=BOLD if level == 1 else ""
        )
    outline = load_scheme(2025).outline(report.category)
    numbers = {h.text: h for h in outline.headings}
    items = [
        replace(item, text=item.text.removeprefix(numbers[item.text].number))
        if item.kind == "heading" and item.text in numbers
        else item
        for item in report.items
    ]
    return replace(report, items=items, styles=styles, numbering=numbering)
