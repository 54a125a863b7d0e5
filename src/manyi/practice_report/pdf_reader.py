"""Read a PDF report into lines and paragraphs from its characters (pdfminer.six).

Each character brings its font name, size, position and render mode; lines are characters on
one baseline; paragraphs are rebuilt from the lines: a paragraph ends where a line stops short
of the right edge, the next line is indented, the size changes or the gap grows. The page
number is a line (or a part of a line set apart by a wide gap) among the lowest of a page
that reads as one: "3", "- 3 -", "第 3 页（共 8 页）", "3 / 8", "iv" … (:func:`is_page_number`).
"""

from __future__ import annotations

import io
import itertools
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.utils import apply_matrix_pt

from manyi.practice_report.container import check_pdf_complete
from manyi.practice_report.counting import is_east_asian_char
from manyi.practice_report.errors import ReportReadError
from manyi.practice_report.typography import decode_font_name, is_bold_face

MAX_PAGES = 200
HEADER_ZONE = 0.07  # top share of the page: running headers
FOOTER_ZONE = 0.15  # bottom share of the page where the page number is looked for
TABLE_GAP_EM = 2.0  # a gap this wide inside a line means table cells
RAGGED_EM = 1.5
# Page numbers as footers show them: "3", "- 3 -", "— 3 —", "第 3 页", "第 3 页 共 8 页",
# "第 3 页，共 8 页", "第 3 页（共 8 页）", "3 / 8", "Page 3 of 8", and Roman numerals "iv".
_ROMAN = r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBER = rf"(?:\d{{1,4}}|(?=[IVXLCDM])(?:{_ROMAN})|(?=[ivxlcdm])(?:{_ROMAN.lower()}))"
_DASHES = r"[\s\-‐‑‒–—―_·•~〜]*"
_TOTAL = r"(?:[,，、;；/／]?[（(]?共\d{1,4}页[）)]?|[/／]\d{1,4})"
_PAGE_NUMBER = re.compile(rf"^{_DASHES}(?:第)?{_NUMBER}(?:页)?{_TOTAL}?{_DASHES}$")
_PAGE_NUMBER_FIRST_TOTAL = re.compile(rf"^共\d{{1,4}}页[,，、]?第{_NUMBER}页$")
_PAGE_NUMBER_WORD = re.compile(rf"^page{_NUMBER}(?:(?:of|/){_NUMBER})?$", re.I)
SEGMENT_GAP_EM = 2.0  # a gap this wide splits a footer line ("某某公司      第 3 页")
_STROKED = frozenset({1, 2, 5, 6})  # text render modes that stroke the outline (fake bold)
Rule = tuple[float, float, float, float]  # a thin ruling shape: x0, y0, x1, y1


@dataclass(frozen=True, slots=True)
class PdfChar:
    text: str
    x0: float
    x1: float
    baseline: float
    size: float
    font: str  # decoded, e.g. "SimSun", "宋体", "NotoSerifCJKsc-Bold"
    bold: bool


@dataclass(slots=True)
class PdfLine:
    page: int
    chars: list[PdfChar]
    baseline: float
    size: float  # the most common character size
    x0: float  # first visible character
    x1: float  # last visible character
    text: str
    table: bool = False  # cells: wide gaps inside the line, or between table rules
    divided: bool = False  # a vertical rule crosses the line's text: cells side by side


@dataclass
class PdfParagraph:
    index: int
    page: int
    lines: list[PdfLine]
    context: str = "body"
    ragged: bool = False  # a line wraps well before the right edge: not justified

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)

    @property
    def chars(self) -> Iterator[PdfChar]:
        for line in self.lines:
            yield from line.chars

    @property
    def size(self) -> float:
        sizes = Counter(round(c.size, 1) for c in self.chars if c.text.strip())
        return sizes.most_common(1)[0][0] if sizes else 0.0

    def east_asian_fonts(self) -> Counter[str]:
        return Counter(c.font for c in self.chars if is_east_asian_char(c.text))

    def bold_share(self) -> float:
        visible = [c for c in self.chars if c.text.strip()]
        return sum(c.bold for c in visible) / len(visible) if visible else 0.0


@dataclass(frozen=True)
class PageNumberMark:
    text: str
    centre: float  # x of its middle
    where: str  # "footer" or "header"


@dataclass
class PdfPage:
    number: int
    width: float
    height: float
    lines: list[PdfLine] = field(default_factory=list)  # body lines, top to bottom
    page_number: PageNumberMark | None = None


@dataclass
class PdfContent:
    pages: list[PdfPage]
    paragraphs: list[PdfParagraph]
    left: float  # the text column's left edge (where continuation lines start)
    right: float  # its right edge (where full lines end)
    unread: dict[int, str] = field(default_factory=dict)  # page → why it could not be read

    @property
    def has_text(self) -> bool:
        return any(p.text.strip() for p in self.paragraphs)


# ---------------------------------------------------------------------------------------------
# Characters and rules from pdfminer


class _Collector(PDFTextDevice):
    """A pdfminer device that keeps characters (with render mode) and thin ruling shapes."""

    def __init__(self, rsrcmgr: PDFResourceManager):
        super().__init__(rsrcmgr)
        self.chars: list[PdfChar] = []
        self.rules: list[Rule] = []
        self._render = 0
        self._fonts: dict[int, tuple[str, bool]] = {}

    def begin_page(self, page: Any, ctm: Any) -> None:
        self.chars, self.rules = [], []
        self.ctm = ctm

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        self._render = textstate.render
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(
        self,
        matrix: Any,
        font: Any,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: Any,
        graphicstate: Any,
    ) -> float:
        adv = font.char_width(cid) * fontsize * scaling
        a, b, c, d, e, f = matrix
        if b or c or a <= 0 or d <= 0 or font.is_vertical():
            return adv  # rotated or vertical text: watermarks, stamps
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = "\ufffd"
        name, bold = self._font(font)
        self.chars.append(
            PdfChar(
                text=text,
                x0=e,
                x1=e + a * adv,
                baseline=f + d * rise,
                size=d * fontsize,
                font=name,
                bold=bold or self._render in _STROKED,
            )
        )
        return adv

    def _font(self, font: Any) -> tuple[str, bool]:
        key = id(font)
        if key not in self._fonts:
            raw = str(getattr(font, "fontname", None) or getattr(font, "basefont", "unknown"))
            self._fonts[key] = (decode_font_name(raw), is_bold_face(raw))
        return self._fonts[key]

    def paint_path(self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any) -> None:
        points = [
            apply_matrix_pt(self.ctm, (float(seg[i]), float(seg[i + 1])))
            for seg in path
            for i in range(1, len(seg) - 1, 2)
        ]
        if not points:
            return
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        if (x1 - x0 < 2.5) != (y1 - y0 < 2.5):  # a thin horizontal or vertical shape
            self.rules.append((x0, y0, x1, y1))


def _open(data: bytes) -> PDFDocument:
    check_pdf_complete(data)
    try:
        return PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect as exc:
        raise ReportReadError("PDF 已加密（需要密码才能打开），请导出不加密的 PDF。") from exc
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        name = type(exc).__name__
        if "Encrypt" in name:
            raise ReportReadError("PDF 已加密，无法读取，请导出不加密的 PDF。") from exc
        raise ReportReadError(f"PDF 文件已损坏，无法读取（{name}）。") from exc


def read_pdf(data: bytes) -> PdfContent:
    """Read the PDF's pages; a page whose content cannot be read is left empty and listed in
    ``unread`` (the checker says so), the others are read. Raises ReportReadError when the
    file itself cannot be read."""
    document = _open(data)
    rsrcmgr = PDFResourceManager(caching=True)
    device = _Collector(rsrcmgr)
    interpreter = PDFPageInterpreter(rsrcmgr, device)
    pages: list[PdfPage] = []
    unread: dict[int, str] = {}
    try:
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            if number > MAX_PAGES:
                raise ReportReadError(f"PDF 超过 {MAX_PAGES} 页，不像一份实践报告，未检查。")
            pages.append(_read_page(interpreter, device, number, page, unread))
    except ReportReadError:
        raise
    except Exception as exc:
        raise ReportReadError(f"PDF 内容已损坏，无法读取（{type(exc).__name__}）。") from exc
    if not pages:
        raise ReportReadError("PDF 没有页面（页面目录为空），请重新导出 PDF 后上传。")
    if len(unread) == len(pages):
        name = next(iter(unread.values()))
        raise ReportReadError(f"PDF 内容已损坏，无法读取（{name}）。")
    content = build_paragraphs(pages)
    content.unread = unread
    return content


def _read_page(
    interpreter: PDFPageInterpreter, device: _Collector, number: int, page: Any, unread: dict
) -> PdfPage:
    try:
        interpreter.process_page(page)
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        return _page(number, x1 - x0, y1 - y0, device.chars, device.rules, y0)
    except Exception as exc:  # one damaged page: the others are still read
        unread[number] = type(exc).__name__
        return PdfPage(number, 595.0, 842.0)


# ---------------------------------------------------------------------------------------------
# Lines


def _lines(page: int, chars: list[PdfChar]) -> list[PdfLine]:
    ordered = sorted(chars, key=lambda c: (-c.baseline, c.x0))
    groups: list[list[PdfChar]] = []
    for char in ordered:
        if groups:
            head = groups[-1][0]
            if abs(head.baseline - char.baseline) <= 0.3 * max(head.size, char.size):
                groups[-1].append(char)
                continue
        groups.append([char])
    groups = _merge_raised(groups)
    lines = [_line(page, sorted(group, key=lambda c: c.x0)) for group in groups]
    return [line for line in lines if line.text.strip()]


def _merge_raised(groups: list[list[PdfChar]]) -> list[list[PdfChar]]:
    """Put superscripts and subscripts (small characters just off a line) into that line."""
    merged: list[list[PdfChar]] = []
    for group in groups:
        size = max(c.size for c in group)
        if merged:
            above = merged[-1]
            big = max(c.size for c in above)
            if size < 0.8 * big and above[0].baseline - group[0].baseline < 0.5 * big:
                above.extend(group)
                continue
            if big < 0.8 * size and above[0].baseline - group[0].baseline < 0.8 * size:
                group.extend(above)
                merged[-1] = group
                continue
        merged.append(group)
    return merged


def _line(page: int, chars: list[PdfChar]) -> PdfLine:
    visible = [c for c in chars if c.text.strip()]
    sizes = Counter(round(c.size, 1) for c in visible)
    size = sizes.most_common(1)[0][0] if sizes else 0.0
    text = ""
    widest = 0.0
    previous: PdfChar | None = None
    for char in visible:
        if previous is not None:
            gap = char.x0 - previous.x1
            widest = max(widest, gap / max(size, 1))
            latin = not (is_east_asian_char(char.text) or is_east_asian_char(previous.text))
            if gap > (0.25 if latin else 0.6) * max(size, 1):
                text += " "
        text += char.text
        previous = char
    return PdfLine(
        page=page,
        chars=visible,
        baseline=statistics.median(c.baseline for c in visible) if visible else 0.0,
        size=size,
        x0=visible[0].x0 if visible else 0.0,
        x1=visible[-1].x1 if visible else 0.0,
        text=text,
        table=widest > TABLE_GAP_EM,
        divided=widest > TABLE_GAP_EM,
    )


def _page(
    number: int,
    width: float,
    height: float,
    chars: list[PdfChar],
    rules: list[Rule],
    bottom: float,
) -> PdfPage:
    lines = _lines(number, [_shift(c, bottom) for c in chars]) if bottom else _lines(number, chars)
    page = PdfPage(number, width, height)
    found = _page_number(lines, height)
    number_line = None
    if found is not None:
        number_line, page.page_number = found
    header = _header_lines(lines, height)
    body = [line for line in lines if line is not number_line and id(line) not in header]
    _mark_tables(body, rules, height)
    page.lines = body
    return page


def _header_lines(lines: list[PdfLine], height: float) -> set[int]:
    """Running-header lines: at the very top, and smaller than the text or set apart from it."""
    top = [line for line in lines if line.baseline >= height * (1 - HEADER_ZONE)]
    if not top:
        return set()
    sizes = sorted(line.size for line in lines)
    typical = sizes[len(sizes) // 2]
    below = [line for line in lines if line.baseline < height * (1 - HEADER_ZONE)]
    first_below = max((line.baseline for line in below), default=0.0)
    return {
        id(line)
        for line in top
        if line.size < 0.9 * typical or line.baseline - first_below > 2.5 * line.size
    }


def _shift(char: PdfChar, bottom: float) -> PdfChar:
    return PdfChar(
        char.text, char.x0, char.x1, char.baseline - bottom, char.size, char.font, char.bold
    )


def _page_number(lines: list[PdfLine], height: float) -> tuple[PdfLine, PageNumberMark] | None:
    """The page number: in the lowest lines near the bottom (alone, or a part of a footer line
    set apart by a wide gap), else in the header zone."""
    footer = sorted(
        (line for line in lines if line.baseline < height * FOOTER_ZONE),
        key=lambda line: line.baseline,
    )
    for line in footer[:3]:
        mark = _number_in(line, "footer")
        if mark is not None:
            return line, mark
    for line in lines:
        if line.baseline >= height * (1 - HEADER_ZONE):
            mark = _number_in(line, "header")
            if mark is not None:
                return line, mark
    return None


def _number_in(line: PdfLine, where: str) -> PageNumberMark | None:
    for chars in _segments(line):
        text = _text_of(chars)
        if is_page_number(text):
            return PageNumberMark(text.strip(), (chars[0].x0 + chars[-1].x1) / 2, where)
    return None


def _segments(line: PdfLine) -> list[list[PdfChar]]:
    """The line's characters in runs separated by gaps wider than SEGMENT_GAP_EM."""
    segments: list[list[PdfChar]] = []
    gap = SEGMENT_GAP_EM * max(line.size, 1)
    for char in line.chars:
        if segments and char.x0 - segments[-1][-1].x1 <= gap:
            segments[-1].append(char)
        else:
            segments.append([char])
    return segments


def _text_of(chars: list[PdfChar]) -> str:
    return "".join(char.text for char in chars)


def is_page_number(text: str) -> bool:
    """Whether a footer or header text is a page number in one of the usual forms."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if not key:
        return False
    return any(
        pattern.match(key)
        for pattern in (_PAGE_NUMBER, _PAGE_NUMBER_FIRST_TOTAL, _PAGE_NUMBER_WORD)
    )


def _mark_tables(lines: list[PdfLine], rules: list[Rule], height: float) -> None:
    """Lines beside a vertical rule, or between two wide horizontal rules, are table cells."""
    vertical = [r for r in rules if r[2] - r[0] < 2.5]
    horizontal = sorted(
        (r for r in rules if r[3] - r[1] < 2.5 and r[2] - r[0] > 60), key=lambda r: -r[1]
    )
    spans = [
        (lower[1], upper[1])
        for upper, lower in itertools.pairwise(horizontal)
        if upper[1] - lower[1] < height * 0.5
    ]
    for line in lines:
        middle = line.baseline + line.size * 0.3
        beside = [r for r in vertical if r[1] <= middle <= r[3]]
        if beside or any(low < middle < high for low, high in spans):
            line.table = True
            line.divided = line.divided or any(line.x0 + 1 < r[0] < line.x1 - 1 for r in beside)


# ---------------------------------------------------------------------------------------------
# Paragraphs


def _column(pages: list[PdfPage]) -> tuple[float, float]:
    lines = [line for page in pages for line in page.lines if not line.table]
    if not lines:
        width = pages[0].width if pages else 595.0
        return width * 0.15, width * 0.85
    ends = sorted(line.x1 for line in lines)
    right = ends[int(0.9 * (len(ends) - 1))]
    width = statistics.median(page.width for page in pages)
    return max(width - right, min(line.x0 for line in lines) - 0.5), right


def build_paragraphs(pages: list[PdfPage]) -> PdfContent:
    left, right = _column(pages)
    paragraphs = _segment(pages, left, right)
    continuation = [line.x0 for p in paragraphs if p.context == "body" for line in p.lines[1:]]
    if len(continuation) >= 3:
        measured = statistics.median(continuation)
        if abs(measured - left) > 2:
            left = measured
            paragraphs = _segment(pages, left, right)
    for paragraph in paragraphs:
        if paragraph.context == "table" and _framed_text(paragraph, left, right):
            paragraph.context = "box"
    return PdfContent(pages, paragraphs, left, right)


def _framed_text(paragraph: PdfParagraph, left: float, right: float) -> bool:
    """Body text in a one-cell table (a frame): lines of full width, no cells beside them."""
    lines = paragraph.lines
    full = 0.8 * (right - left)
    return (
        len(lines) >= 2
        and all(not line.divided and line.x1 - line.x0 >= full for line in lines[:-1])
        and not lines[-1].divided
    )


def _segment(pages: list[PdfPage], left: float, right: float) -> list[PdfParagraph]:
    paragraphs: list[PdfParagraph] = []
    current: PdfParagraph | None = None
    for page in pages:
        first_on_page = True
        for line in page.lines:
            joined = current is not None and _continues(current, line, left, right, first_on_page)
            if joined:
                # Kinsoku (no 。at a line start) can leave one character's gap even in
                # justified Chinese; more than that is a ragged (left-aligned) edge.
                if current.lines[-1].x1 < right - RAGGED_EM * max(line.size, 1):
                    current.ragged = True
                current.lines.append(line)
            else:
                current = PdfParagraph(
                    index=len(paragraphs) + 1,
                    page=page.number,
                    lines=[line],
                    context="table" if line.table else "body",
                )
                paragraphs.append(current)
            first_on_page = False
    return paragraphs


def _first_word_width(line: PdfLine) -> float:
    chars = line.chars
    if not chars:
        return 0.0
    if is_east_asian_char(chars[0].text):
        return chars[0].x1 - chars[0].x0
    end = chars[0].x1
    for previous, char in itertools.pairwise(chars):
        if is_east_asian_char(char.text) or char.x0 - previous.x1 > 0.2 * line.size:
            break
        end = char.x1
    return end - chars[0].x0


def _continues(
    para: PdfParagraph, line: PdfLine, left: float, right: float, new_page: bool
) -> bool:
    last = para.lines[-1]
    if last.table != line.table or abs(last.size - line.size) > 1:
        return False
    if last.table:
        return True
    size = max(line.size, 1)
    indented = line.x0 > left + 0.8 * size
    centred = abs((line.x0 + line.x1) / 2 - (left + right) / 2) < size and line.x0 > left + size
    # A line that stops short ends its paragraph, unless the next line's first word would not
    # have fitted in the space left (then the text is wrapped ragged, e.g. left-aligned).
    ended_short = right - last.x1 > _first_word_width(line) + 0.3 * size
    if ended_short or indented or centred:
        return False
    if new_page:
        return True
    gap = last.baseline - line.baseline
    if len(para.lines) >= 2 and para.lines[-2].page == last.page:
        pitch = para.lines[-2].baseline - last.baseline
        return 0 < gap <= pitch * 1.3 + 1
    return 0 < gap <= 2.8 * size
