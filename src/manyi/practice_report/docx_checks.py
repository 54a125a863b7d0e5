"""Format checks on a DOCX: title, body and heading formats, page numbers in the footer.

Values are the effective ones (see docx_styles); each finding is grouped by its wrong value and
where that value comes from, so 300 paragraphs inheriting 小四 from the Normal style become one
finding that says to fix the style.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from manyi.practice_report.counting import has_east_asian
from manyi.practice_report.docx_reader import DocxContent, DocxParagraph, PageNumberField, Run
from manyi.practice_report.docx_styles import DIRECT, DOC_DEFAULTS, THEME_SUFFIX, Sourced
from manyi.practice_report.findings import FORMAT_CHECKS, Finding, Location
from manyi.practice_report.structure import Block
from manyi.practice_report.typography import is_song_name, size_label
from manyi.rules.model import ReportFormat, TextStyle

WORD_DEFAULT_SIZE = 10.0  # Word's size when no level sets w:sz
TYPED_SPACES = "段首输入的空格"
INDENT_TOLERANCE = 0.25  # characters
ALIGN_NAMES = {
    "both": "两端对齐",
    "left": "左对齐",
    "center": "居中",
    "right": "右对齐",
    "distribute": "分散对齐",
}
WANTED_ALIGN = {"justify": "both", "center": "center", "left": "left"}

DOCX_CHECKS = FORMAT_CHECKS


def outline_level(block: Block) -> int | None:
    """Word's outline level of a paragraph (Heading 1 → 1), for headings without a number."""
    para: DocxParagraph = block.source
    level = para.fmt.props.get("outlineLvl")
    if level is None or not 0 <= level.value <= 8:
        return None
    return int(level.value) + 1


def check_block(block: Block, fmt: ReportFormat) -> list[Finding]:
    """The format findings of one paragraph, by its role.

    Body paragraphs are checked in full; list items and paragraphs framed in a one-cell table
    for font, size and line spacing (their indent and alignment come from the list or frame).
    """
    para: DocxParagraph = block.source
    if block.role == "title":
        return _text_checks("title", block, para, fmt.title)
    if block.role == "body" or (block.role == "front" and not _centred(para)):
        return _text_checks("body", block, para, fmt.body)
    if block.role in ("item", "box"):
        return _text_checks("body", block, para, fmt.body, whole=False)
    if block.role == "heading":
        return _heading_checks(block, para, fmt)
    return []


def _centred(para: DocxParagraph) -> bool:
    return para.fmt.alignment.value == "center"


# ---------------------------------------------------------------------------------------------
# Title and body


def _text_runs(para: DocxParagraph) -> list[Run]:
    return [run for run in para.runs if run.text.strip()]


def _text_checks(
    kind: str, block: Block, para: DocxParagraph, style: TextStyle, *, whole: bool = True
) -> list[Finding]:
    """Font, size, bold, spacing; alignment and indent too for a ``whole`` paragraph (a list
    item or a framed paragraph takes its indent from the list or the frame)."""
    what = "标题" if kind == "title" else "正文"
    checks = (
        _font_check(kind, what, block, para, style),
        _size_check(kind, what, block, para, style),
        _bold_check(kind, what, block, para) if style.bold else None,
        _align_check(kind, what, block, para, style) if whole else None,
        _spacing_check(kind, what, block, para, style) if block.role != "box" else None,
        _indent_check(kind, what, block, para, style) if kind == "body" and whole else None,
    )
    return [finding for finding in checks if finding is not None]


def _finding(
    code: str, block: Block, message: str, fix: str, value: Sourced, reason: str = ""
) -> Finding:
    style = block.source.fmt.style_name
    return Finding(
        code,
        f"{message}（来自{value.origin}）",
        _hint(value.origin, fix, style),
        block.location(),
        reason=reason,
        group=(value.value, value.origin),
    )


def _hint(origin: str, fix: str, style: str) -> str:
    """Fix where the value comes from: the style (once for all paragraphs) or the paragraph."""
    theme = origin.endswith(THEME_SUFFIX)
    origin = origin.removesuffix(THEME_SUFFIX)
    if origin == DIRECT:
        return f"选中这些段落，{fix}。"
    name = f"样式「{style}」" if origin == DOC_DEFAULTS else origin
    note = "（现为主题字体，改为直接指定）" if theme else ""
    return f"在“样式”中修改{name}：{fix}{note}；使用该样式的段落会一起改正。"


def _most_common(values: list[Sourced]) -> Sourced:
    return Counter(values).most_common(1)[0][0]


def _font_check(
    kind: str, what: str, block: Block, para: DocxParagraph, style: TextStyle
) -> Finding | None:
    wrong = [
        run.fmt.east_asia_font
        for run in _text_runs(para)
        if has_east_asian(run.text) and not is_song_name(run.fmt.east_asia_font.value)
    ]
    if not wrong:
        return None
    value = _most_common(wrong)
    if value.value is None:
        return _finding(
            f"{kind}.font",
            block,
            f"{what}没有指定中文字体，应为{style.font}",
            f"将中文字体设为{style.font}",
            value,
            reason="文档没有指定中文字体，显示的字体取决于打开它的 Word 的版本和语言设置",
        )
    return _finding(
        f"{kind}.font",
        block,
        f"{what}中文字体为「{value.value}」，应为{style.font}",
        f"将中文字体设为{style.font}",
        value,
    )


def _size(run: Run) -> Sourced:
    size = run.fmt.size
    return size if size.value is not None else Sourced(WORD_DEFAULT_SIZE, size.origin)


def _size_check(
    kind: str, what: str, block: Block, para: DocxParagraph, style: TextStyle
) -> Finding | None:
    wrong = [_size(run) for run in _text_runs(para) if abs(_size(run).value - style.size_pt) > 0.01]
    if not wrong:
        return None
    value = _most_common(wrong)
    wanted = f"{style.size_name}（{style.size_pt:g} 磅）"
    return _finding(
        f"{kind}.size",
        block,
        f"{what}字号为{size_label(value.value)}，应为{wanted}",
        f"将字号设为{wanted}",
        value,
    )


def _bold_check(kind: str, what: str, block: Block, para: DocxParagraph) -> Finding | None:
    wrong = [run.fmt.bold for run in _text_runs(para) if not run.fmt.bold.value]
    if not wrong:
        return None
    value = _most_common(wrong)
    return _finding(f"{kind}.bold", block, f"{what}未加粗", "设为加粗", value)


def _align_check(
    kind: str, what: str, block: Block, para: DocxParagraph, style: TextStyle
) -> Finding | None:
    align = para.fmt.alignment
    wanted = WANTED_ALIGN[style.alignment]
    if align.value == wanted:
        return None
    actual = ALIGN_NAMES.get(align.value, align.value)
    return _finding(
        f"{kind}.align",
        block,
        f"{what}对齐方式为{actual}，应为{ALIGN_NAMES[wanted]}",
        f"将对齐方式设为{ALIGN_NAMES[wanted]}",
        align,
    )


def spacing_label(rule: str, line: int) -> str:
    if rule == "exact":
        return f"固定值 {line / 20:g} 磅"
    if rule == "atLeast":
        return f"最小值 {line / 20:g} 磅"
    return {1.0: "单倍行距", 1.5: "1.5 倍行距", 2.0: "2 倍行距"}.get(
        round(line / 240, 2), f"{line / 240:.2g} 倍行距"
    )


def _spacing_check(
    kind: str, what: str, block: Block, para: DocxParagraph, style: TextStyle
) -> Finding | None:
    spacing = para.fmt.line_spacing
    rule, line = spacing.value
    wanted = round(style.line_spacing * 240)
    if rule == "auto" and abs(line - wanted) <= 10:
        return None
    wanted_label = spacing_label("auto", wanted)
    return _finding(
        f"{kind}.line_spacing",
        block,
        f"{what}行距为{spacing_label(rule, line)}，应为{wanted_label}",
        f"将行距设为{wanted_label}（“多倍行距”以外的固定值、最小值都不符合）",
        spacing,
    )


def leading_space_chars(text: str) -> float:
    """Spaces typed before the text, in characters (a full-width space is one)."""
    chars = 0.0
    for char in text:
        if char == "\u3000":
            chars += 1
        elif char in " \u00a0":
            chars += 0.5
        elif char != "\t":
            break
    return chars


def _indent_check(
    kind: str, what: str, block: Block, para: DocxParagraph, style: TextStyle
) -> Finding | None:
    """The first-line indent Word shows: the paragraph format plus any spaces typed before the
    text. The finding names the cause as it is: the typed spaces, the paragraph's own format,
    a style, or the document default."""
    indent = para.fmt.first_line_indent(style.size_pt)
    spaces = leading_space_chars(para.text) if not para.label else 0.0
    chars = indent.value + spaces
    wanted = style.first_line_indent_chars
    if abs(chars - wanted) <= INDENT_TOLERANCE:
        return None
    actual = "无首行缩进" if abs(chars) < 0.05 else f"首行缩进 {chars:.3g} 字符"
    if chars < 0:
        actual = f"悬挂缩进 {-chars:.3g} 字符"
    message = f"{what}{actual}，应为首行缩进 {wanted:g} 字符"
    fix = f"在“段落”中将特殊格式设为首行缩进 {wanted:g} 字符"
    if not spaces:
        return _finding(
            f"{kind}.indent", block, message, fix, Sourced(round(chars, 2), indent.origin)
        )
    if abs(indent.value - wanted) <= INDENT_TOLERANCE:
        fix = "删除段首手动输入的空格（首行缩进已由段落格式设好）"
    elif abs(indent.value) >= 0.05:
        fix = f"删除段首手动输入的空格，并{fix}"
    else:
        fix = f"删除段首手动输入的空格，改为{fix}"
    return Finding(
        f"{kind}.indent",
        f"{message}（来自{TYPED_SPACES}）",
        f"{fix}。",
        block.location(),
        group=(round(chars, 2), TYPED_SPACES),
    )


# ---------------------------------------------------------------------------------------------
# Headings


def _heading_checks(block: Block, para: DocxParagraph, fmt: ReportFormat) -> list[Finding]:
    level = block.level or 0
    if not 1 <= level <= len(fmt.headings) or not fmt.heading_style(level).bold:
        return []
    wrong = [run.fmt.bold for run in _text_runs(para) if not run.fmt.bold.value]
    if not wrong:
        return []
    value = _most_common(wrong)
    names = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
    return [
        _finding(
            "heading.bold",
            block,
            f"{names.get(level, '')}标题「{block.heading.text}」未加粗",  # type: ignore[union-attr]
            "将标题设为加粗",
            value,
        )
    ]


# ---------------------------------------------------------------------------------------------
# Page numbers


def page_number_findings(content: DocxContent) -> list[Finding]:
    sections = content.sections
    problems = list(_page_number_problems(sections))
    if not problems:
        return []
    # One finding per code: the first place with the problem, and how many places have it.
    by_code: dict[str, list[tuple[int, str, str, str]]] = {}
    for problem in problems:
        by_code.setdefault(problem[2], []).append(problem)
    findings = []
    for code, items in by_code.items():
        section, pages, _, message = items[0]
        where = "页眉" if "页眉" in message else "页脚"
        prefix = "" if len(sections) == 1 else f"第 {section + 1} 节"
        front = code == "page_number.missing" and _front_sections_only(items, len(sections))
        findings.append(
            Finding(
                code,
                f"{pages}{message}" if pages else message,
                "在“插入→页码→页面底端”中选择居中的页码（页脚中的 PAGE 域，段落居中）。",
                Location(part=f"{prefix}{pages}{where}"),
                count=len(items),
                reason=FRONT_SECTIONS if front else "",
            )
        )
    return findings


FRONT_SECTIONS = "只有开头的节（封面、目录等）没有页码，这些页通常不编页码"


def _front_sections_only(items: list[tuple[int, str, str, str]], sections: int) -> bool:
    """The sections without page numbers are the first ones, and a later one has them."""
    missing = sorted({item[0] for item in items})
    return missing == list(range(len(missing))) and len(missing) < sections


_PAGE_KINDS = {"default": "", "even": "偶数页"}


def _page_number_problems(
    sections: list[dict[str, list[PageNumberField] | None]],
) -> Iterator[tuple[int, str, str, str]]:
    """(section, pages, code, message) for every kind of page without a centred footer number."""
    names = {"left": "左对齐", "right": "右对齐"}
    for index, kinds in enumerate(sections):
        odd_even = "even" in kinds
        for which, fields in kinds.items():
            if fields is None:
                continue  # its header or footer could not be read: said in check.incomplete
            pages = "奇数页" if odd_even and which == "default" else _PAGE_KINDS.get(which, "")
            footer = [f for f in fields if f.where == "footer"]
            header = [f for f in fields if f.where == "header"]
            if any(f.position == "center" for f in footer):
                continue
            if footer:
                position = names[footer[0].position]
                yield index, pages, "page_number.position", f"页码{position}，应在页面下方居中"
            elif header:
                message = "页码在页眉（页面上方），应在页面下方居中"
                yield index, pages, "page_number.position", message
            else:
                yield index, pages, "page_number.missing", "没有页码（页脚中没有 PAGE 页码域）"
