"""A filled-in practice report as a PDF, made with WeasyPrint (no LibreOffice, no Word).

For demo data and tests: :func:`render_report_pdf` writes the category's outline, as the DOCX
template has it (:func:`~manyi.practice_report.template.build_template`), with body text made
of the scheme's guidance and plausible sentences about the organisation, and lays it out the
way the scheme requires, so that :func:`~manyi.practice_report.check_report` finds nothing:

- 宋体 is set as Noto Serif CJK SC (Debian fonts-noto-cjk), the free Song face LibreOffice
  substitutes for SimSun; the PDF checker accepts Song-style faces, and the text extracts.
- Title 小二 (18 pt) bold, centred, single spacing; body and headings 四号 (14 pt), first line
  indented 2 characters, justified, 1.5 lines (1.5 × the face's single line, as a word
  processor spaces them); level-1 headings bold. Sizes, bold and spacing come from the scheme.
- Justified as Word does it, by spacing the characters of each line but the last: WeasyPrint
  only widens spaces, and Chinese has none, so the report is laid out twice; the first layout
  gives each body paragraph's lines (line breaking by Pango, with the Chinese rules: no 。 at
  the start of a line …), the second sets those lines with the letter spacing that makes them
  reach the right margin. Without that, a line wrapped early stays short and the PDF checker
  takes it for the end of a paragraph or a left-aligned (ragged) edge.
- A4 with the template's margins; the page number (五号) at the bottom centre of every page.
"""

from __future__ import annotations

import html
import io
import itertools
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from manyi.practice_report.counting import count_chars
from manyi.practice_report.template import FOOTER_SIZE_PT, _is_leaf
from manyi.practice_report.typography import classify_face, decode_font_name
from manyi.rules.model import Outline, OutlineHeading, ReportFormat, Scheme

SONG_FACE = "Noto Serif CJK SC"
# Noto Serif CJK's single line (usWinAscent + usWinDescent = 1151 + 286 per 1000): what a word
# processor's "single spacing" is for this face; 1.5 lines are 1.5 times that.
SINGLE_LINE_EM = 1.437
PAGE_MM = (210.0, 297.0)  # A4, as the template
MARGIN_MM = (25.4, 31.8)  # top/bottom, left/right, as the template
TITLE_AFTER_PT = 12.0  # the template's Title style: 240 twips after
PARAGRAPH_CHARS = 220  # a body paragraph holds about this many characters
# A body paragraph is never shorter: a one-line paragraph of about 24–27 characters sits in
# the middle of the column and would look centred to the checker.
MIN_PARAGRAPH_CHARS = 40
FILLER_WEIGHT = 120  # a section's share of its part: its guidance's length plus this

# Filler sentences. {org}: the organisation; {topic}: the section's heading without number.
# The first part (简介) takes _INTRO, the last (总结) _SUMMARY, the others _PRACTICE.
_INTRO = (
    "{org}坚持以用户为中心、以质量求发展，业务覆盖研发、生产、销售和服务等环节，"
    "在行业内具有良好的口碑和影响力。",
    "多年来，{org}秉承“用户至上、品质为本”的经营理念，建立了较为完善的质量管理体系和用户服务体系。",
    "{org}员工队伍结构合理、专业齐全，设有质量管理、市场营销、客户服务等职能部门，分工明确、协同高效。",
    "近年来，{org}主要经营指标稳步增长，先后获得多项行业荣誉和地方政府表彰，用户满意度保持在较高水平。",
    "{org}把用户满意作为经营工作的出发点和落脚点，将其纳入发展战略和年度经营计划，持续推进用户满意经营。",
)
_PRACTICE = (
    "{org}围绕“{topic}”成立了由主要负责人牵头的工作小组，明确各部门职责分工，"
    "形成了上下贯通、协同推进的工作机制。",
    "在“{topic}”方面，{org}制定了专项制度和工作流程，定期组织培训和经验交流，确保各项要求在基层落地见效。",
    "{org}将“{topic}”纳入年度绩效考核，设置可衡量的过程指标和结果指标，按季度跟踪分析，对偏差及时纠正。",
    "为做好“{topic}”，{org}广泛听取用户、员工和合作伙伴的意见，对标行业先进经验，不断优化方法和工具。",
    "实践中，{org}注重运用信息化手段，建立数据采集和分析平台，使“{topic}”相关工作更加及时、准确、透明。",
    "通过持续推进“{topic}”，{org}相关工作的规范化、精细化水平明显提升，用户的获得感和满意度不断增强。",
    "{org}每年对“{topic}”开展自我评价和内部审核，识别薄弱环节和改进机会，形成问题清单并逐项整改。",
    "{org}还将“{topic}”中的好做法提炼为典型案例，在内部推广交流，带动各部门、各岗位共同提升用户满意水平。",
)
_SUMMARY = (
    "回顾用户满意经营实践，{org}深刻体会到，坚持以用户为中心、全员参与和持续改进，"
    "是提升用户满意水平的根本保证。",
    "下一步，{org}将进一步完善用户满意测量和分析机制，加强数据应用，使改进措施更加精准有效。",
    "{org}将持续加强人才队伍建设和数字化能力建设，为用户满意经营提供更加坚实的资源保障。",
    "{org}还将积极学习借鉴先进组织的经验做法，加强交流合作，推动用户满意经营最佳实践的总结和推广。",
    "今后，{org}将以此次评价为契机，对照标准查找差距，不断提升用户满意经营水平，为用户创造更大价值。",
)
_SENTENCE = re.compile(r"[^。；！？]*[。；！？]|[^。；！？]+$")


def render_report_pdf(
    category: str,
    *,
    scheme: Scheme,
    organisation_name: str,
    body_chars: int = 3000,
) -> bytes:
    """A practice report of the category, filled in for the organisation, as PDF bytes.

    The report has the outline's title and every heading in order, numbered as the template;
    under each section the scheme's guidance and sentences naming the organisation. The whole
    report counts about ``body_chars`` characters as the checker counts them (字数: title,
    headings and body), spread over the parts in proportion to their budgets, so up to the
    scheme's ``max_chars`` (10,000) no part exceeds its budget; more is allowed and then
    reported by the checker (``length.total``, ``length.part``). The result passes
    ``check_report(pdf, scheme.report_filename(organisation_name, category), category,
    scheme=scheme, organisation_name=organisation_name)`` without findings.

    Needs the font Noto Serif CJK SC (Debian fonts-noto-cjk); raises RuntimeError when the
    PDF came out with another face.
    """
    organisation = organisation_name.strip()
    if not organisation:
        raise ValueError("organisation_name 不能为空")
    if body_chars < 0:
        raise ValueError("body_chars 不能为负数")
    outline = scheme.outline(scheme.category(category).key)
    blocks = report_blocks(outline, organisation, body_chars)
    title = f"{outline.title}（{organisation}）"  # the PDF's metadata
    pdf = _write_pdf(blocks, scheme.report_format, title, organisation)
    _require_song_faces(pdf)
    return pdf


# ---------------------------------------------------------------------------------------------
# Text


@dataclass(frozen=True)
class ReportBlock:
    """One paragraph of the sample report: the title, a heading (with its level) or body."""

    kind: str  # "title", "heading", "body"
    text: str
    level: int = 0


def report_blocks(outline: Outline, organisation: str, body_chars: int) -> list[ReportBlock]:
    """The report's paragraphs: title, headings as the template, body text to length."""
    headings = outline.headings
    parts = _parts(headings)
    overhead = count_chars(outline.title) + sum(
        count_chars(h.text) for h in headings if h.level == 1
    )
    available = max(body_chars - overhead, 0)
    weights = {part: _budget(headings, part) for part in parts}
    total_weight = sum(weights.values())
    bodies: dict[int, list[str]] = {}
    writer = _Writer(organisation)
    for part, members in parts.items():
        sub_headings = sum(count_chars(headings[i].text) for i in members if i != part)
        target = available * weights[part] / total_weight - sub_headings
        sections = [i for i in members if _has_body(headings, i)]
        shares = [count_chars(headings[i].guidance) + FILLER_WEIGHT for i in sections]
        pool = _pool(part, parts)
        written, planned = 0, 0.0
        for index, share in zip(sections, shares, strict=True):
            planned += target * share / sum(shares)
            sentences = writer.section(headings[index], pool, planned - written)
            bodies[index] = _paragraphs(sentences)
            written += sum(count_chars(s) for s in sentences)
    blocks = [ReportBlock("title", outline.title)]
    for index, heading in enumerate(headings):
        blocks.append(ReportBlock("heading", heading.text, heading.level))
        blocks += [ReportBlock("body", text) for text in bodies.get(index, ())]
    return blocks


def _parts(headings: Sequence[OutlineHeading]) -> dict[int, list[int]]:
    """Outline indices grouped by the 一级标题 they fall under (key: its index, or -1)."""
    parts: dict[int, list[int]] = {}
    current = -1
    for index, heading in enumerate(headings):
        if heading.level == 1:
            current = index
        parts.setdefault(current, []).append(index)
    return parts


def _budget(headings: Sequence[OutlineHeading], part: int) -> float:
    budgets = [h.budget for h in headings if h.level == 1 and h.budget]
    default = sum(budgets) / len(budgets) if budgets else 1.0
    budget = headings[part].budget if part >= 0 else None
    return float(budget or default)


def _has_body(headings: Sequence[OutlineHeading], index: int) -> bool:
    """As the template: a section has text when it has guidance or is a leaf."""
    return bool(headings[index].guidance) or _is_leaf(tuple(headings), index)


def _pool(part: int, parts: dict[int, list[int]]) -> tuple[str, ...]:
    keys = [key for key in parts if key >= 0]
    if keys and part == keys[0]:
        return _INTRO
    if len(keys) > 1 and part == keys[-1]:
        return _SUMMARY
    return _PRACTICE


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text.strip()) if s.strip()]


def _close(sentence: str) -> str:
    """A sentence that ends a paragraph ends with 。, not ； or nothing."""
    if sentence.endswith(("；", "，", "、", "：")):
        return sentence[:-1] + "。"
    return sentence if sentence.endswith(("。", "！", "？")) else sentence + "。"


class _Writer:
    """Fills sections with the guidance and filler sentences, each pool taken in turn."""

    def __init__(self, organisation: str):
        self.organisation = organisation
        self.turns: dict[tuple[str, ...], Iterator[int]] = {}

    def _fillers(self, pool: tuple[str, ...], topic: str) -> Iterator[str]:
        turn = self.turns.setdefault(pool, itertools.cycle(range(len(pool))))
        for _ in range(len(pool)):
            yield pool[next(turn)].format(org=self.organisation, topic=topic)

    def section(self, heading: OutlineHeading, pool: tuple[str, ...], target: float) -> list[str]:
        """Sentences for one section, about ``target`` characters (never more, past the first
        ``MIN_PARAGRAPH_CHARS``): the guidance first, then filler sentences."""
        chosen: list[str] = []
        used = 0

        def fits(sentence: str) -> bool:
            return used < MIN_PARAGRAPH_CHARS or used + count_chars(sentence) <= target

        for sentence in _sentences(heading.guidance):
            if not fits(sentence):
                break
            chosen.append(sentence)
            used += count_chars(sentence)
        if chosen:
            chosen[-1] = _close(chosen[-1])
        while True:
            sentence = next((s for s in self._fillers(pool, heading.title) if fits(s)), None)
            if sentence is None:
                return chosen
            chosen.append(sentence)
            used += count_chars(sentence)


def _paragraphs(sentences: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current = ""
    for sentence in sentences:
        if current and count_chars(current + sentence) > PARAGRAPH_CHARS:
            paragraphs.append(current)
            current = ""
        current += sentence
    if current:
        if paragraphs and count_chars(current) < MIN_PARAGRAPH_CHARS:
            paragraphs[-1] += current
        else:
            paragraphs.append(current)
    return paragraphs


# ---------------------------------------------------------------------------------------------
# Layout


def stylesheet(fmt: ReportFormat) -> str:
    body, title = fmt.body, fmt.title
    song = f"'{SONG_FACE}'"
    rules = [
        f"@page {{ size: {PAGE_MM[0]}mm {PAGE_MM[1]}mm; margin: {MARGIN_MM[0]}mm {MARGIN_MM[1]}mm;"
        f" @bottom-center {{ content: counter(page); font-family: {song};"
        f" font-size: {FOOTER_SIZE_PT}pt; font-weight: normal; }} }}",
        f"html, body {{ margin: 0; padding: 0; font-family: {song}; }}",
        "h1, h2, h3, h4, h5, h6, p { margin: 0; padding: 0; font-style: normal; }",
        f"h2, h3, h4, h5, h6, p {{ font-size: {body.size_pt}pt;"
        f" line-height: {body.line_spacing * SINGLE_LINE_EM:.4f};"
        f" text-indent: {body.first_line_indent_chars:g}em;"
        f" text-align: {body.alignment}; font-weight: {_weight(body.bold)}; }}",
        "h2, h3, h4, h5, h6 { break-after: avoid; }",
        # Lines set by _justified_html: one per <br>, never wrapped again.
        "p.lines { white-space: nowrap; text-align: left; }",
        f"h1 {{ font-size: {title.size_pt}pt; font-weight: {_weight(title.bold)};"
        f" line-height: {title.line_spacing * SINGLE_LINE_EM:.4f};"
        f" text-align: {title.alignment};"
        f" text-indent: {title.first_line_indent_chars:g}em; margin-bottom: {TITLE_AFTER_PT}pt; }}",
    ]
    for style in fmt.headings:
        rules.append(f"{_tag(style.level)} {{ font-weight: {_weight(style.bold)}; }}")
    return "\n".join(rules)


def _weight(bold: bool) -> str:
    return "bold" if bold else "normal"


def _tag(level: int) -> str:
    """Heading level 1 → h2 (h1 is the title); deeper than h6 is a plain p."""
    return f"h{level + 1}" if level + 1 <= 6 else "p"


# A body paragraph's lines as laid out: (text, the space left at the line's end in CSS px).
Lines = list[tuple[str, float]]


def _html(
    blocks: list[ReportBlock],
    fmt: ReportFormat,
    title: str,
    author: str,
    lines: dict[str, Lines] | None = None,
    *,
    draft: bool = False,
) -> str:
    """The report as HTML; with ``lines``, body paragraphs are set line by line, justified.

    The ``draft`` measures the lines: left-aligned, so that a line's width is its text's.
    """
    body = []
    for number, block in enumerate(blocks, start=1):
        text = html.escape(block.text)
        if block.kind == "title":
            body.append(f"<h1>{text}</h1>")
        elif block.kind == "heading":
            tag = _tag(block.level)
            body.append(f"<{tag}>{text}</{tag}>")
        elif lines is not None and _same_text(lines.get(f"b{number}"), block.text):
            body.append(f'<p class="lines">{_justified(lines[f"b{number}"])}</p>')
        else:
            body.append(f'<p id="b{number}">{text}</p>')
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        f'<meta name="author" content="{html.escape(author)}">'
        f"<style>{stylesheet(fmt)}{' p { text-align: left; }' if draft else ''}</style>"
        f"</head><body>{''.join(body)}</body></html>"
    )


def _same_text(lines: Lines | None, text: str) -> bool:
    """The measured lines hold the paragraph's text (spaces at the breaks are dropped)."""
    if not lines:
        return False
    return "".join("".join(t for t, _ in lines).split()) == "".join(text.split())


def _justified(lines: Lines) -> str:
    """Every line but the last spread to the column's width by letter spacing.

    WeasyPrint justifies by widening spaces only, and Chinese has none: lines that kinsoku
    (no 。at a line start, no “ at an end) or a long word wrap early would stay short, and
    the checker reads a short line as the end of a paragraph or as a ragged edge.
    """
    out = []
    for index, (text, gap) in enumerate(lines):
        escaped = html.escape(text)
        last = index == len(lines) - 1
        if not last and gap > 0.01 and len(text) > 1:
            spacing = gap / (len(text) - 1)
            escaped = f'<span style="letter-spacing: {spacing:.4f}px">{escaped}</span>'
        out.append(escaped)
    return "<br>".join(out)


def _write_pdf(blocks: list[ReportBlock], fmt: ReportFormat, title: str, author: str) -> bytes:
    """Lay the report out, then set each body paragraph's lines as laid out, justified."""
    import weasyprint

    for name in ("weasyprint", "fontTools"):  # font subsetting chatter
        logging.getLogger(name).setLevel(logging.ERROR)
    draft = weasyprint.HTML(string=_html(blocks, fmt, title, author, draft=True)).render()
    lines = _laid_out_lines(draft)
    return weasyprint.HTML(string=_html(blocks, fmt, title, author, lines or None)).write_pdf()


def _laid_out_lines(document: Any) -> dict[str, Lines]:
    """The lines of each body paragraph (by id) of a rendered WeasyPrint document.

    Reads WeasyPrint's box tree (``Page._page_box``); when that is not there (another
    WeasyPrint version), nothing is found and the paragraphs stay as WeasyPrint set them.
    """
    try:
        from weasyprint.formatting_structure import boxes

        found: dict[str, Lines] = {}
        for page in document.pages:
            for box in page._page_box.descendants():
                if not isinstance(box, boxes.BlockBox) or box.element_tag != "p":
                    continue
                ident = box.element.get("id") if box.element is not None else None
                if not ident:
                    continue
                right = box.content_box_x() + box.width
                for line in box.children:
                    texts = [b for b in line.descendants() if isinstance(b, boxes.TextBox)]
                    if texts:
                        end = max(b.position_x + b.width for b in texts)
                        text = "".join(b.text for b in texts)
                        found.setdefault(ident, []).append((text, max(right - end, 0.0)))
        return found
    except (AttributeError, ImportError, TypeError):
        return {}


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts the PDF's pages use (subset prefix dropped)."""
    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            names.add(decode_font_name(str(font.get("/BaseFont", "")).lstrip("/")))
    return names


def _require_song_faces(pdf: bytes) -> None:
    other = sorted(name for name in embedded_fonts(pdf) if classify_face(name) != "song")
    if other:
        raise RuntimeError(
            f"PDF 使用了字体 {', '.join(other)}，不是宋体类字体：请安装 {SONG_FACE}"
            "（Debian/Ubuntu：apt-get install fonts-noto-cjk）"
        )
