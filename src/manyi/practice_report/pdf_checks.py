"""Format checks on a PDF: what the characters' fonts, sizes and positions can show.

Sizes and fonts are exact; centring, indentation and line pitch are measured from positions
with a tolerance. A PDF made on a machine without 宋体 carries a substitute face: Song-style
faces (Noto Serif CJK, Source Han Serif, AR PL UMing …) are accepted, clearly different faces
(黑体, 楷体, 仿宋, sans faces) fail, and a face that cannot be told is a warning.
"""

from __future__ import annotations

import itertools
import statistics

from manyi.practice_report.findings import FORMAT_CHECKS, Finding, Location
from manyi.practice_report.pdf_reader import PdfContent, PdfLine, PdfParagraph
from manyi.practice_report.structure import Block
from manyi.practice_report.typography import classify_face, size_label
from manyi.rules.model import ReportFormat, TextStyle

SIZE_TOLERANCE = 0.3  # points
INDENT_TOLERANCE = 0.3  # characters
# Baseline pitch / font size. Single spacing is about 1.3 (宋体) to 1.45 (Noto Serif CJK);
# 1.5 lines about 1.65–2.2 depending on the face and Word's document grid.
ONE_AND_HALF = (1.55, 2.5)
SINGLE_MAX = 1.75
PAGE_CENTRE_TOLERANCE = 0.05  # share of the page width

PDF_CHECKS = ("text.none", *FORMAT_CHECKS)

PAGE_NUMBER_HINT = "在 Word 中“插入→页码→页面底端”，选择居中的页码，再重新导出 PDF。"
# Why a PDF finding can only warn: what the checker measured is not what the writer set.
FACE_UNSURE = "PDF 中的字体名可能是宋体的别名或子集名，无法确认是不是宋体"
SPACING_UNSURE = "PDF 中没有行距设置，只能从行与行的距离估计，不同字体和文档网格差别较大"
RAGGED_UNSURE = "PDF 中没有对齐方式，行尾参差可能是左对齐，也可能是避头尾或西文断词留下的空"
COVER_UNSURE = "只有开头几页（封面、目录等）没有页码，这些页通常不编页码"
FRONT_PAGES = 3  # unnumbered pages at the start that may be a cover and contents


def no_text_finding() -> Finding:
    return Finding(
        "text.none",
        "PDF 中没有可提取的文字（可能是扫描件或图片），无法检查格式和字数",
        "请用 Word/WPS 直接“导出为 PDF”，不要打印后扫描。",
        Location(part="全文"),
    )


def check_block(block: Block, fmt: ReportFormat, content: PdfContent) -> list[Finding]:
    """The format findings of one paragraph, by its role."""
    para: PdfParagraph = block.source
    if block.role == "title":
        return _text_checks("title", block, para, fmt.title, content)
    if block.role == "body" or (block.role == "front" and not _centred(para, content)):
        return _text_checks("body", block, para, fmt.body, content)
    if block.role == "item":
        return _text_checks("body", block, para, fmt.body, content, whole=False)
    if block.role == "box":
        return [
            finding
            for finding in (
                _size_check("body", "正文", block, para, fmt.body),
                _font_check("body", "正文", block, para, fmt.body),
            )
            if finding is not None
        ]
    if block.role == "heading":
        return _heading_checks(block, para, fmt)
    return []


def _finding(
    code: str, block: Block, message: str, fix: str, group: object, reason: str = ""
) -> Finding:
    return Finding(code, message, fix, block.location(), reason=reason, group=group)


def _text_checks(
    kind: str,
    block: Block,
    para: PdfParagraph,
    style: TextStyle,
    content: PdfContent,
    *,
    whole: bool = True,
) -> list[Finding]:
    what = "标题" if kind == "title" else "正文"
    found = [
        _size_check(kind, what, block, para, style),
        _font_check(kind, what, block, para, style),
        _bold_check(kind, what, block, para) if style.bold else None,
        _spacing_check(kind, what, block, para, style),
    ]
    if kind == "title":
        found.append(_title_align(block, para, content))
    elif whole:
        found += [_indent_check(block, para, style, content), _body_align(block, para, content)]
    return [f for f in found if f is not None]


def _size_check(
    kind: str, what: str, block: Block, para: PdfParagraph, style: TextStyle
) -> Finding | None:
    size = para.size
    if abs(size - style.size_pt) <= SIZE_TOLERANCE:
        return None
    wanted = f"{style.size_name}（{style.size_pt:g} 磅）"
    return _finding(
        f"{kind}.size",
        block,
        f"{what}字号为{size_label(size)}，应为{wanted}",
        f"将{what}字号设为{wanted}后重新导出 PDF。",
        round(size, 1),
    )


def _font_check(
    kind: str, what: str, block: Block, para: PdfParagraph, style: TextStyle
) -> Finding | None:
    fonts = para.east_asian_fonts()
    other = [name for name in fonts if classify_face(name) == "other"]
    unknown = [name for name in fonts if classify_face(name) == "unknown"]
    if not other and not unknown:
        return None
    name = (other or unknown)[0]
    message = (
        f"{what}中文字体为「{name}」，不是{style.font}"
        if other
        else f"{what}中文字体「{name}」无法确认是否为{style.font}"
    )
    fix = f"将{what}中文字体设为{style.font}，导出 PDF 时嵌入字体。"
    if other:
        fix += (
            f"如果文档中已设为{style.font}，可能是导出 PDF 的电脑没有{style.font}而换成了"
            f"其他字体：请在装有{style.font}的电脑上用 Word 或 WPS 导出。"
        )
    reason = "" if other else FACE_UNSURE
    return _finding(f"{kind}.font", block, message, fix, (name, bool(other)), reason)


def _bold_check(kind: str, what: str, block: Block, para: PdfParagraph) -> Finding | None:
    if para.bold_share() >= 0.5:
        return None
    return _finding(f"{kind}.bold", block, f"{what}未加粗", f"将{what}设为加粗。", "not-bold")


def _pitch(para: PdfParagraph) -> float | None:
    gaps = [
        upper.baseline - lower.baseline
        for upper, lower in itertools.pairwise(para.lines)
        if upper.page == lower.page
    ]
    return statistics.median(gaps) if gaps else None


def _spacing_check(
    kind: str, what: str, block: Block, para: PdfParagraph, style: TextStyle
) -> Finding | None:
    pitch = _pitch(para)
    size = para.size
    if pitch is None or size <= 0:
        return None
    ratio = pitch / size
    if style.line_spacing <= 1.0:
        ok = ratio <= SINGLE_MAX
    else:
        ok = ONE_AND_HALF[0] <= ratio <= ONE_AND_HALF[1]
    if ok:
        return None
    wanted = "单倍行距" if style.line_spacing <= 1.0 else f"{style.line_spacing:g} 倍行距"
    direction = "tight" if ratio < ONE_AND_HALF[0] else "loose"
    return _finding(
        f"{kind}.line_spacing",
        block,
        f"{what}行距约 {pitch:.1f} 磅（字号的 {ratio:.2f} 倍），不像{wanted}",
        f"将{what}行距设为{wanted}后重新导出 PDF。",
        direction,
        SPACING_UNSURE,
    )


def _line_centre_offset(line: PdfLine, content: PdfContent, width: float) -> float:
    centre = (line.x0 + line.x1) / 2
    return min(abs(centre - (content.left + content.right) / 2), abs(centre - width / 2))


def _page_width(content: PdfContent, number: int) -> float:
    return content.pages[number - 1].width if 0 < number <= len(content.pages) else 595.0


def _centred(para: PdfParagraph, content: PdfContent) -> bool:
    width = _page_width(content, para.page)
    return all(
        line.x0 > content.left + line.size
        and _line_centre_offset(line, content, width) <= max(line.size, 6)
        for line in para.lines
    )


def _title_align(block: Block, para: PdfParagraph, content: PdfContent) -> Finding | None:
    width = _page_width(content, para.page)
    if all(
        _line_centre_offset(line, content, width) <= max(line.size * 0.75, 6) for line in para.lines
    ):
        return None
    return _finding(
        "title.align", block, "标题没有居中", "将标题设为居中后重新导出 PDF。", "not-centred"
    )


def _indent_check(
    block: Block, para: PdfParagraph, style: TextStyle, content: PdfContent
) -> Finding | None:
    first = para.lines[0]
    size = para.size or first.size
    if size <= 0:
        return None
    chars = (first.x0 - content.left) / size
    wanted = style.first_line_indent_chars
    if abs(chars - wanted) <= INDENT_TOLERANCE or _centred(para, content):
        return None
    actual = "无首行缩进" if abs(chars) < INDENT_TOLERANCE else f"首行缩进约 {chars:.1f} 字符"
    return _finding(
        "body.indent",
        block,
        f"正文{actual}，应为首行缩进 {wanted:g} 字符",
        f"在“段落”中将特殊格式设为首行缩进 {wanted:g} 字符后重新导出 PDF。",
        round(chars, 1),
    )


def _body_align(block: Block, para: PdfParagraph, content: PdfContent) -> Finding | None:
    if len(para.text.strip()) >= 6 and _centred(para, content):
        return _finding(
            "body.align",
            block,
            "正文居中，应为两端对齐",
            "将正文对齐方式设为两端对齐后重新导出 PDF。",
            "centred",
        )
    if para.ragged:
        return _finding(
            "body.align",
            block,
            "正文行尾参差不齐，疑似左对齐，应为两端对齐",
            "将正文对齐方式设为两端对齐后重新导出 PDF。",
            "ragged",
            RAGGED_UNSURE,
        )
    return None


def _heading_checks(block: Block, para: PdfParagraph, fmt: ReportFormat) -> list[Finding]:
    level = block.level or 0
    if not 1 <= level <= len(fmt.headings) or not fmt.heading_style(level).bold:
        return []
    if para.bold_share() >= 0.5:
        return []
    names = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
    return [
        _finding(
            "heading.bold",
            block,
            f"{names.get(level, '')}标题「{block.heading.text}」未加粗",
            "将标题设为加粗后重新导出 PDF。",
            "not-bold",
        )
    ]


# ---------------------------------------------------------------------------------------------
# Page numbers


def page_number_findings(content: PdfContent) -> list[Finding]:
    missing, header, off_centre = [], [], []
    for page in content.pages:
        mark = page.page_number
        if page.number in content.unread:
            continue  # said in check.incomplete
        if mark is None:
            missing.append(page.number)
        elif mark.where == "header":
            header.append(page.number)
        elif not _page_centred(mark.centre, page.width, content):
            off_centre.append(page.number)
    findings = []
    if missing:
        findings.append(
            Finding(
                "page_number.missing",
                f"{_pages(missing)}没有页码（页面底部居中的数字）",
                PAGE_NUMBER_HINT,
                Location(page=missing[0], part="页脚"),
                count=len(missing),
                reason=COVER_UNSURE if _front_pages_only(missing, len(content.pages)) else "",
            )
        )
    for pages, where, part in ((header, "在页面上方", "页眉"), (off_centre, "不居中", "页脚")):
        if pages:
            findings.append(
                Finding(
                    "page_number.position",
                    f"{_pages(pages)}的页码{where}，应在页面下方居中",
                    PAGE_NUMBER_HINT,
                    Location(page=pages[0], part=part),
                    count=len(pages),
                )
            )
    return findings


def _front_pages_only(missing: list[int], pages: int) -> bool:
    """Only the first few pages lack a number, and most pages have one."""
    leading = missing == list(range(1, len(missing) + 1))
    return leading and len(missing) <= FRONT_PAGES and 2 * len(missing) <= pages


def _page_centred(centre: float, width: float, content: PdfContent) -> bool:
    tolerance = width * PAGE_CENTRE_TOLERANCE
    column = (content.left + content.right) / 2
    return abs(centre - width / 2) <= tolerance or abs(centre - column) <= tolerance


def _pages(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:10])
    more = f" 等 {len(numbers)} 页" if len(numbers) > 10 else ""
    return f"第 {shown} 页{more}"
