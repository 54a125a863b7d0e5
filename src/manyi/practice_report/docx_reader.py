"""Read a DOCX into paragraphs as Word shows them: visible text, numbers, resolved formats.

The body is walked over the XML (not python-docx's ``paragraphs``), so text in content
controls (``w:sdt``), tracked insertions, tables and text boxes is seen; a text box's fallback
copy (``mc:Fallback``) and deleted text are skipped, so nothing is counted twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from manyi.practice_report.docx_numbering import Numbering
from manyi.practice_report.docx_package import DocxPackage, PartProblem
from manyi.practice_report.docx_styles import (
    DocxStyles,
    ParagraphFormat,
    RunFormat,
    local,
    merge,
    read_theme_fonts,
    w,
    wval,
)

MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

Context = Literal["body", "table", "box", "textbox", "toc"]

# Subtrees never shown (or shown twice): a text box's fallback copy, deleted or moved-away
# text, section properties, the properties of the paragraph mark.
_SKIP = frozenset(
    {
        f"{{{MC_NS}}}Fallback",
        w("del"),
        w("moveFrom"),
        w("sectPr"),
        w("pPr"),
        w("rPr"),
        w("tblPr"),
        w("trPr"),
        w("tcPr"),
    }
)
_PAGE_FIELD = re.compile(r"(?<![A-Z])PAGE(?![A-Z])")
_FOOTER_KINDS = {"default": "", "even": "偶数页", "first": "首页"}


@dataclass(frozen=True)
class Run:
    text: str
    fmt: RunFormat


@dataclass
class DocxParagraph:
    index: int  # 1-based among non-empty paragraphs
    text: str  # what Word shows, the automatic number first
    label: str  # the automatic number ("一、\t"), "" if none
    context: Context
    page: int | None
    fmt: ParagraphFormat
    runs: list[Run] = field(default_factory=list)

    @property
    def body_text(self) -> str:
        return self.text[len(self.label) :]


@dataclass(frozen=True)
class PageNumberField:
    """A PAGE field found in a header or footer, and where it sits on the line."""

    where: Literal["header", "footer"]
    position: Literal["center", "left", "right"]


@dataclass
class DocxContent:
    paragraphs: list[DocxParagraph]
    # Per section, per kind of page ("default": every page, or the odd ones when odd and even
    # pages differ; "even"): the page numbers in the header and footer those pages show, or
    # None when a header or footer of theirs could not be read (see ``problems``).
    sections: list[dict[str, list[PageNumberField] | None]]
    styles: DocxStyles
    problems: list[PartProblem] = field(default_factory=list)  # parts skipped


def read_docx(data: bytes) -> DocxContent:
    """Read the package and its body, or raise ReportReadError when the body is unreadable.

    Styles, numbering, theme, settings, headers and footers that are missing, damaged or of
    the wrong kind are skipped and listed in ``problems``.
    """
    package = DocxPackage.read(data)
    body = package.body()
    main = package.main
    theme = read_theme_fonts(
        package.related(main, "theme"), settings := package.related(main, "settings")
    )
    styles = DocxStyles(package.related(main, "styles"), theme)
    numbering = Numbering(
        package.related(main, "numbering"),
        style_num_id=lambda sid: _style_num_id(styles, sid),
    )
    styles.numbering_layer = numbering.paragraph_props
    paragraphs = list(_paragraphs(body, styles, numbering))
    sections = _page_numbers(package, body, styles, _even_and_odd(settings))
    return DocxContent(paragraphs, sections, styles, list(package.problems))


def _style_num_id(styles: DocxStyles, style_id: str) -> str | None:
    props = merge(styles.chain(style_id, "pPr"))
    return props["numId"].value if "numId" in props else None


# ---------------------------------------------------------------------------------------------
# Body


def _walk(
    element: Any, context: Context, table_style: str | None, styles: DocxStyles
) -> Iterator[tuple[Any, Context, str | None]]:
    """Yield (paragraph, context, table style) in document order, outer before nested."""
    stack = [(child, context, table_style) for child in reversed(element)]
    while stack:
        node, ctx, tstyle = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == w("p"):
            yield node, ctx, tstyle
        elif tag == w("tbl"):
            tstyle = _table_style(node, styles)
            if ctx == "body":
                ctx = "box" if _single_cell(node) else "table"
            elif ctx == "box":
                ctx = "table"
        elif tag == w("txbxContent"):
            ctx = "textbox"
        stack.extend((child, ctx, tstyle) for child in reversed(node))


def _single_cell(table: Any) -> bool:
    """A table of one row and one cell: a frame around body text, not a table of data."""
    rows = table.findall(w("tr"))
    return len(rows) == 1 and len(rows[0].findall(w("tc"))) == 1


def _table_style(table: Any, styles: DocxStyles) -> str | None:
    tbl_pr = table.find(w("tblPr"))
    style = wval(tbl_pr.find(w("tblStyle"))) if tbl_pr is not None else None
    return style if styles.style_exists(style) else styles.default_style("table")


def _paragraphs(body: Any, styles: DocxStyles, numbering: Numbering) -> Iterator[DocxParagraph]:
    paged = body.find(f".//{w('lastRenderedPageBreak')}") is not None
    page = 1
    index = 0
    for p, context, table_style in _walk(body, "body", None, styles):
        fmt = styles.paragraph(p, table_style)
        runs: list[Run] = []
        breaks = 0
        for r in _own_runs(p):
            text, page_breaks = _run_text(r)
            breaks += page_breaks
            run_fmt = styles.run(r, fmt)
            if text and not run_fmt.hidden:
                runs.append(Run(text, run_fmt))
        text = "".join(run.text for run in runs)
        if context != "textbox":
            page += breaks
        # Word shows (and counts) the number of a numbered paragraph even when it is empty.
        label = _label(fmt, numbering)
        if not (label + text).strip():
            continue
        index += 1
        if fmt.style_name.lower().startswith("toc") and context == "body":
            context = "toc"
        yield DocxParagraph(
            index=index,
            text=label + text,
            label=label,
            context=context,
            page=page if paged and context != "textbox" else None,
            fmt=fmt,
            runs=runs,
        )


def _label(fmt: ParagraphFormat, numbering: Numbering) -> str:
    num_id = fmt.props.get("numId")
    if num_id is None:
        return ""
    ilvl = fmt.props.get("ilvl")
    return numbering.next_label(num_id.value, ilvl.value if ilvl else None, fmt.style_id)


def _own_runs(p: Any) -> Iterator[Any]:
    """The paragraph's runs, through hyperlinks, content controls and insertions, but not
    into nested paragraphs (text boxes) or skipped subtrees."""
    stack = list(reversed(p))
    while stack:
        node = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag in _SKIP or tag == w("p"):
            continue
        if tag == w("r"):
            yield node
            continue
        stack.extend(reversed(node))


def _run_text(r: Any) -> tuple[str, int]:
    """A run's visible text and the page breaks in it (Word's last layout or manual)."""
    parts: list[str] = []
    breaks = 0
    for child in r:
        tag = local(child)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "tab":
            parts.append("\t")
        elif tag in ("br", "cr"):
            if wval(child, "type") == "page":
                breaks += 1
            parts.append("\n")
        elif tag == "noBreakHyphen":
            parts.append("-")
        elif tag == "lastRenderedPageBreak":
            breaks += 1
    return "".join(parts), breaks


# ---------------------------------------------------------------------------------------------
# Page numbers in headers and footers


def _page_numbers(
    package: DocxPackage, body: Any, styles: DocxStyles, even_odd: bool
) -> list[dict[str, list[PageNumberField] | None]]:
    """Per section, the page numbers in the headers and footers its pages show.

    A section without its own header or footer of a kind uses the previous section's. The
    first page's own footer (``w:titlePg``) is left out: a cover page often has none. Only
    the parts shown are read, so a broken reference to an unused even-page footer is ignored.
    """
    sect_prs = list(body.iter(w("sectPr")))
    kinds = ("default", "even") if even_odd else ("default",)
    inherited: dict[tuple[str, str], tuple[str | None, str]] = {}
    stories: dict[str | None, Any] = {}
    result: list[dict[str, list[PageNumberField] | None]] = []
    for number, sect_pr in enumerate(sect_prs, start=1):
        for kind in ("header", "footer"):
            for ref in sect_pr.findall(w(f"{kind}Reference")):
                which = ref.get(w("type")) or "default"
                what = _story_name(number, len(sect_prs), which, kind)
                inherited[(kind, which)] = (ref.get(f"{{{R_NS}}}id"), what)
        pages: dict[str, list[PageNumberField] | None] = {}
        for which in kinds:
            fields: list[PageNumberField] = []
            unread = False
            for kind in ("header", "footer"):
                if (kind, which) not in inherited:
                    continue
                rid, what = inherited[(kind, which)]
                if rid not in stories:
                    stories[rid] = package.by_id(package.main, rid, kind, what)
                if stories[rid] is None:
                    unread = True
                else:
                    fields += _fields_in(stories[rid], kind, styles)  # type: ignore[arg-type]
            centred = any(f.where == "footer" and f.position == "center" for f in fields)
            pages[which] = None if unread and not centred else fields
        result.append(pages)
    return result


def _story_name(section: int, sections: int, which: str, kind: str) -> str:
    where = "页眉" if kind == "header" else "页脚"
    prefix = f"第 {section} 节" if sections > 1 else ""
    return f"{prefix}{_FOOTER_KINDS.get(which, which)}{where}"


def _even_and_odd(settings: Any) -> bool:
    if settings is None:
        return False
    flag = settings.find(w("evenAndOddHeaders"))
    return flag is not None and (wval(flag) or "true").lower() not in ("0", "false", "off")


def _fields_in(
    story: Any, where: Literal["header", "footer"], styles: DocxStyles
) -> list[PageNumberField]:
    found: list[PageNumberField] = []
    for p, _context, _table in _walk(story, "body", None, styles):
        position = _page_field_position(p, styles)
        if position is not None:
            found.append(PageNumberField(where, position))
    return found


def _page_field_position(p: Any, styles: DocxStyles) -> Literal["center", "left", "right"] | None:
    """Where a PAGE field in this paragraph shows, or None when there is none."""
    tabs_before = 0
    ptab: str | None = None  # Word's positional tab ("alignment" center/right) before the field
    instr: list[str] = []
    in_field = False
    for node in p.iter():
        tag = node.tag
        if tag == w("fldSimple") and _PAGE_FIELD.search(node.get(w("instr")) or ""):
            return _position(p, styles, tabs_before, ptab)
        if tag == w("fldChar"):
            kind = wval(node, "fldCharType")
            if kind == "begin":
                in_field, instr = True, []
            elif kind in ("separate", "end") and in_field:
                in_field = False
                if _PAGE_FIELD.search("".join(instr)):
                    return _position(p, styles, tabs_before, ptab)
        elif tag == w("instrText") and in_field:
            instr.append(node.text or "")
        elif tag == w("tab") and local(node.getparent()) == "r":
            tabs_before += 1
        elif tag == w("ptab"):
            ptab = wval(node, "alignment")
    return None


def _position(
    p: Any, styles: DocxStyles, tabs_before: int, ptab: str | None = None
) -> Literal["center", "left", "right"]:
    if ptab in ("center", "right", "left"):
        return ptab  # type: ignore[return-value]
    fmt = styles.paragraph(p)
    anchor = _text_box_alignment(p)
    if anchor in ("center", "right", "left"):
        return anchor  # type: ignore[return-value]
    frame = fmt.props.get("frame_x_align")
    if frame is not None and frame.value in ("center", "right", "left"):
        return frame.value
    align = fmt.alignment.value
    if align in ("center", "right"):
        return align
    if tabs_before:
        tabs = fmt.props.get("tabs")
        stops = sorted((pos, kind) for kind, pos in (tabs.value if tabs else ()) if kind != "clear")
        if len(stops) >= tabs_before:
            kind = stops[tabs_before - 1][1]
            return {"center": "center", "right": "right", "end": "right"}.get(kind, "left")
    return "left"


def _text_box_alignment(p: Any) -> str | None:
    node = p.getparent()
    while node is not None:
        if node.tag == f"{{{WP_NS}}}anchor":
            align = node.find(f"{{{WP_NS}}}positionH/{{{WP_NS}}}align")
            return align.text if align is not None else None
        node = node.getparent()
    return None
