"""Checks that do not depend on the file format: title, outline, numbering and length.

Both readers (DOCX, PDF) turn the report into a list of :class:`Block` — one per paragraph,
with its visible text — and this module finds the title and the headings, matches them to the
category's outline from the scheme, checks the numbering and counts the characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from manyi.practice_report.counting import count_chars
from manyi.practice_report.findings import CharCount, Finding, Location, excerpt
from manyi.practice_report.headings import (
    Heading,
    HeadingRecognizer,
    normalize_title,
    similarity,
)
from manyi.rules.model import HeadingStyle, Outline, OutlineHeading, ReportFormat, TextStyle

MATCH_THRESHOLD = 0.75
Parents = list[int | None]
LEVEL_NAMES = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}
_CAPTION = re.compile(r"^\s*(图|表|Figure|Table)\s*[0-9０-９一二三四五六七八九十]+", re.I)
# A table-of-contents entry: text, then dot leaders, a tab or spaces, then a page number.
_TOC_ENTRY = re.compile(r"(\t|\.{3,}|…{2,}|·{3,}|\s{3,})\s*\d{1,3}\s*$")


def numbering_hint(styles: Sequence[HeadingStyle]) -> str:
    """The fix for numbering findings, with the scheme's numbers (一级标题「一、」…)."""
    levels = "、".join(f"{_level_name(s.level)}「{s.number(1)}」" for s in styles)
    return f"标题按模板分级编号：{levels}，同级从 1 起连续编号。"


def _level_name(level: int) -> str:
    return LEVEL_NAMES.get(level, f"{level} 级标题")


@dataclass
class Block:
    """One paragraph of the report as the checks see it."""

    index: int  # 1-based among the non-empty paragraphs
    text: str
    page: int | None = None
    context: str = "body"  # body, table, box (a one-cell table), textbox, toc
    source: Any = None  # the reader's paragraph (DocxParagraph, PdfParagraph)
    label: str = ""  # Word's automatic number at the start of ``text``
    # title, front, heading, item (a numbered list item), body, caption, toc, table, box, textbox
    role: str = "body"
    heading: Heading | None = None
    level: int | None = None  # the heading's level in the outline (may differ from written)
    under: str | None = None  # the heading this paragraph is under

    def location(self) -> Location:
        return Location(
            paragraph=self.index, page=self.page, heading=self.under, excerpt=excerpt(self.text)
        )


@dataclass
class Structure:
    blocks: list[Block]
    title: Block | None
    headings: list[Block]
    matches: dict[int, Block]  # outline heading index → the block that holds it


def find_structure(
    blocks: list[Block],
    outline: Outline,
    report_format: ReportFormat,
    *,
    outline_level: Callable[[Block], int | None] | None = None,
) -> Structure:
    """Give every block its role, find the title and the headings, match them to the outline."""
    recognizer = HeadingRecognizer(report_format.headings, [h.title for h in outline.headings])
    _find_headings(blocks, recognizer, _OutlineIndex(outline), outline_level)
    headings = [b for b in blocks if b.role == "heading"]
    title = _find_title(blocks, outline)
    matches = match_outline(headings, outline, report_format)
    for block in headings:
        block.level = block.heading.level  # type: ignore[union-attr]
    for index, block in matches.items():
        block.level = outline.headings[index].level
    _mark_under(blocks)
    return Structure(blocks, title, headings, matches)


def title_findings(structure: Structure, outline: Outline, style: TextStyle) -> list[Finding]:
    if structure.title is not None:
        return []
    blocks = structure.blocks
    bold = "、加粗" if style.bold else ""
    return [
        Finding(
            "title.missing",
            "报告开头没有标题（第一段就是章节标题或正文）",
            f"在第一行加上标题「{outline.title}」（{style.size_name}号{style.font}{bold}）。",
            blocks[0].location() if blocks else Location(),
        )
    ]


# ---------------------------------------------------------------------------------------------
# Roles


class _OutlineIndex:
    """The template's headings, to tell whether a paragraph could be one of them."""

    def __init__(self, outline: Outline):
        self.headings = outline.headings
        self.titles = [normalize_title(h.title) for h in outline.headings]
        self.numbers = _sibling_numbers([h.level for h in outline.headings])

    def admits(self, heading: Heading) -> bool:
        """Whether the heading could pair with one of the template's (see _may_pair)."""
        title = normalize_title(heading.title)
        return any(
            similarity(wanted, title) >= MATCH_THRESHOLD
            and _may_pair(self.headings[i], self.numbers[i], heading, wanted, title)
            for i, wanted in enumerate(self.titles)
        )


def _find_headings(
    blocks: list[Block],
    recognizer: HeadingRecognizer,
    outline: _OutlineIndex,
    outline_level: Callable[[Block], int | None] | None,
) -> None:
    """A paragraph is a heading when Word marks it as one (heading style or outline level) or
    it could be one of the template's headings; a numbered paragraph that is neither is a list
    item, whatever it ends with ("1.用户注册：")."""
    for block in blocks:
        if block.context != "body":
            block.role = block.context
            continue
        if _TOC_ENTRY.search(block.text):
            block.role = "toc"
            continue
        level = outline_level(block) if outline_level is not None else None
        heading = _heading(block, recognizer, outline, level)
        if heading is not None:
            block.role, block.heading = "heading", heading
        elif level is None and recognizer.recognize(block.text) is not None:
            block.role = "item"
        elif _CAPTION.match(block.text) and len(block.text.strip()) <= 40:
            block.role = "caption"


def _heading(
    block: Block, recognizer: HeadingRecognizer, outline: _OutlineIndex, level: int | None
) -> Heading | None:
    numbered = recognizer.recognize(block.text)
    if numbered is not None:
        return numbered if level is not None or outline.admits(numbered) else None
    text = block.text[len(block.label) :] if block.label else block.text
    if level is not None:
        return recognizer.unnumbered(text, level)
    unnumbered = recognizer.unnumbered(text, 1)
    if unnumbered is not None and normalize_title(unnumbered.title) in outline.titles:
        return unnumbered  # a template heading written without its number
    return None


def _find_title(blocks: list[Block], outline: Outline) -> Block | None:
    front: list[Block] = []
    for block in blocks:
        if block.role == "heading":
            break
        if block.context == "body" and block.role == "body":
            front.append(block)
    if not front:
        return None
    wanted = normalize_title(outline.title)
    title = next((b for b in front if wanted in normalize_title(b.text)), front[0])
    for block in front:
        block.role = "front"
    title.role = "title"
    return title


def _mark_under(blocks: list[Block]) -> None:
    current: str | None = None
    for block in blocks:
        if block.role == "heading":
            block.under = current
            current = block.heading.text  # type: ignore[union-attr]
        else:
            block.under = current


# ---------------------------------------------------------------------------------------------
# Outline


def _parents(levels: Sequence[int]) -> Parents:
    """For each heading, the index of the nearest earlier heading one level up (or None)."""
    parents: list[int | None] = []
    stack: list[int] = []
    for index, level in enumerate(levels):
        while stack and levels[stack[-1]] >= level:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(index)
    return parents


def _sibling_numbers(levels: Sequence[int]) -> list[int]:
    """For each heading, its number among the siblings under its parent (1, 2, 3 …)."""
    counters: list[int] = []
    numbers: list[int] = []
    for level in levels:
        counters = counters[:level]
        counters += [0] * (level - len(counters))
        counters[level - 1] += 1
        numbers.append(counters[level - 1])
    return numbers


def _may_pair(wanted: OutlineHeading, n: int, heading: Heading, o_title: str, d_title: str) -> bool:
    """The same title pairs at any level or number (the numbering check then says what is
    wrong); a merely similar title only at the same level and, when numbered, the same number.
    So "6.用户管理" never pairs with the template's "（2）用户关系管理"."""
    if o_title == d_title:
        return True
    if heading.level != wanted.level:
        return False
    return heading.n is None or heading.n == n


def match_outline(
    headings: list[Block], outline: Outline, report_format: ReportFormat | None = None
) -> dict[int, Block]:
    """Pair each outline heading with the document heading that holds it.

    Titles are compared after normalising width, punctuation and spaces, with a fuzzy ratio; a
    same level, a matching parent and a similar position break ties between repeated titles.
    """
    wanted = outline.headings
    if not headings:
        return {}
    o_titles = [normalize_title(h.title) for h in wanted]
    d_titles = [normalize_title(b.heading.title) for b in headings]  # type: ignore[union-attr]
    o_numbers = _sibling_numbers([h.level for h in wanted])
    o_parents = _parents([h.level for h in wanted])
    d_parents = _parents([b.heading.level for b in headings])  # type: ignore[union-attr]
    candidates: list[tuple[float, int, int]] = []
    for i, heading in enumerate(wanted):
        for j, block in enumerate(headings):
            found: Heading = block.heading  # type: ignore[assignment]
            score = similarity(o_titles[i], d_titles[j])
            if score < MATCH_THRESHOLD:
                continue
            if not _may_pair(heading, o_numbers[i], found, o_titles[i], d_titles[j]):
                continue
            score += 0.2 if found.level == heading.level else 0
            op, dp = o_parents[i], d_parents[j]
            if (op is None and dp is None) or (
                op is not None
                and dp is not None
                and similarity(o_titles[op], d_titles[dp]) >= MATCH_THRESHOLD
            ):
                score += 0.1
            score -= 0.1 * abs(i / len(wanted) - j / len(headings))
            candidates.append((score, i, j))
    matches: dict[int, Block] = {}
    used: set[int] = set()
    for _score, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in matches and j not in used:
            matches[i] = headings[j]
            used.add(j)
    return matches


def outline_findings(structure: Structure, outline: Outline) -> list[Finding]:
    headings, matches = structure.headings, structure.matches
    wanted = outline.headings
    parents = _parents([h.level for h in wanted])
    findings = _missing(headings, matches, outline)
    findings += _out_of_order(matches, wanted, parents)
    findings += _extra(headings, matches, wanted)
    return findings


def _label(heading: OutlineHeading) -> str:
    return f"{heading.number}{heading.title}"


def _descendants(index: int, wanted: Sequence[OutlineHeading]) -> int:
    count = 0
    for heading in wanted[index + 1 :]:
        if heading.level <= wanted[index].level:
            break
        count += 1
    return count


def _missing(headings: list[Block], matches: dict[int, Block], outline: Outline) -> list[Finding]:
    """Every missing heading is named; one whose subheadings are all missing too stands for
    them ("及其下 N 个小标题"); when some of them are there, each missing one is named."""
    findings: list[Finding] = []
    wanted = outline.headings
    covered: set[int] = set()
    for i, heading in enumerate(wanted):
        if i in matches or i in covered:
            continue
        children = range(i + 1, i + 1 + _descendants(i, wanted))
        all_gone = all(k not in matches for k in children)
        if all_gone:
            covered.update(children)
        more = f"及其下 {len(children)} 个小标题" if all_gone and children else ""
        before = next((matches[k] for k in range(i - 1, -1, -1) if k in matches), None)
        where = f"，应在「{before.heading.text}」之后" if before else ""  # type: ignore[union-attr]
        location = before.location() if before else (headings[0].location() if headings else None)
        findings.append(
            Finding(
                "outline.missing",
                f"缺少模板中的标题「{_label(heading)}」{more}{where}",
                f"按{outline.template_name}补上「{_label(heading)}」一节（可保留模板说明文字的要点）。",
                location or Location(),
            )
        )
    return findings


def _longest_increasing(values: list[int]) -> set[int]:
    """Positions (into ``values``) of one longest strictly increasing subsequence."""
    best: list[list[int]] = []
    for pos, value in enumerate(values):
        chains = [chain for chain in best if values[chain[-1]] < value]
        chain = [*max(chains, key=len, default=[]), pos]
        best.append(chain)
    return set(max(best, key=len, default=[]))


def _out_of_order(
    matches: dict[int, Block], wanted: Sequence[OutlineHeading], parents: Parents
) -> list[Finding]:
    order = sorted(matches)
    doc_positions = [matches[i].index for i in order]
    kept = {order[p] for p in _longest_increasing(doc_positions)}
    moved = {i for i in order if i not in kept}
    findings: list[Finding] = []
    for i in sorted(moved, key=lambda k: matches[k].index):
        if parents[i] is not None and parents[i] in moved:
            continue  # it moved with its parent
        previous = next(
            (k for k in range(i - 1, -1, -1) if wanted[k].level <= wanted[i].level), None
        )
        after = f"，应在「{wanted[previous].title}」一节之后" if previous is not None else ""
        block = matches[i]
        findings.append(
            Finding(
                "outline.order",
                f"标题「{block.heading.text}」的位置与模板顺序不一致{after}",  # type: ignore[union-attr]
                "按模板顺序调整章节，并相应调整编号。",
                block.location(),
            )
        )
    return findings


def _extra(
    headings: list[Block], matches: dict[int, Block], wanted: Sequence[OutlineHeading]
) -> list[Finding]:
    matched = {id(b): i for i, b in matches.items()}
    has_children = {i for i, h in enumerate(wanted) if _descendants(i, wanted)}
    d_parents = _parents([b.heading.level for b in headings])  # type: ignore[union-attr]
    findings: list[Finding] = []
    for j, block in enumerate(headings):
        if id(block) in matched:
            continue
        parent = d_parents[j]
        if parent is not None:
            parent_index = matched.get(id(headings[parent]))
            if parent_index is None or parent_index not in has_children:
                continue  # the writer's own subdivision of a section, or under an extra one
        findings.append(
            Finding(
                "outline.extra",
                f"模板中没有标题「{block.heading.text}」",  # type: ignore[union-attr]
                "确认这一节是否必要；模板规定的章节请使用模板中的标题名称。",
                block.location(),
            )
        )
    return findings


# ---------------------------------------------------------------------------------------------
# Numbering


def numbering_findings(structure: Structure, report_format: ReportFormat) -> list[Finding]:
    """Numbers run 1, 2, 3 … per level under each parent: no gap, no repeat, no wrong level.

    Headings numbered in another scheme ("第一章", "1.1") get one ``numbering.scheme`` finding
    together, and no finding each.
    """
    headings, matches = structure.headings, structure.matches
    matched = {id(b) for b in matches.values()}
    styles = report_format.headings
    hint = numbering_hint(styles)
    counters: dict[int, int] = {}
    previous_level = 0
    findings = _scheme_findings(headings, styles)
    for block in headings:
        heading: Heading = block.heading  # type: ignore[assignment]
        level = block.level or heading.level
        if level > len(styles):
            continue
        expected = counters.get(level, 0) + 1
        finding = None
        if not heading.foreign:
            number = styles[level - 1].number(expected)
            finding = _numbering_problem(block, heading, level, expected, number, styles, hint)
        jumped = level > previous_level + 1 and not heading.foreign
        if finding is None and id(block) not in matched and jumped:
            finding = Finding(
                "numbering.level",
                f"标题层级跳跃：「{heading.text}」是{LEVEL_NAMES.get(level, '标题')}，"
                f"但上面没有{LEVEL_NAMES.get(level - 1, '上一级标题')}",
                hint,
                block.location(),
            )
        if finding is not None:
            findings.append(finding)
        same_level = heading.level == level and heading.n is not None
        counters[level] = heading.n if same_level else expected  # type: ignore[assignment]
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        previous_level = level
    return _one_for_many_unnumbered(findings)


MANY_UNNUMBERED = 3


def _one_for_many_unnumbered(findings: list[Finding]) -> list[Finding]:
    """Headings without numbers throughout (numbers lost, or never typed) are one finding."""
    missing = [f for f in findings if f.code == "numbering.missing"]
    if len(missing) < MANY_UNNUMBERED:
        return findings
    first = missing[0]
    example = first.message.split("没有编号，", 1)[-1]
    merged = Finding(
        "numbering.missing",
        f"{len(missing)} 个标题没有编号（如「{first.location.excerpt}」{example}）",
        first.fix,
        first.location,
        count=len(missing),
        locations=tuple(f.location for f in missing[:5]),
    )
    others = [f for f in findings if f.code != "numbering.missing"]
    return [merged, *others]


def _scheme_findings(headings: list[Block], styles: Sequence[HeadingStyle]) -> list[Finding]:
    foreign = [b for b in headings if b.heading is not None and b.heading.foreign]
    if not foreign:
        return []
    examples: list[str] = []
    for block in foreign:
        number = block.heading.number  # type: ignore[union-attr]
        if number not in examples and len(examples) < 3:
            examples.append(number)
    used = "」「".join(examples)
    template = "」「".join(style.number(1) for style in styles)
    return [
        Finding(
            "numbering.scheme",
            f"标题编号的体例与模板不同：文中用「{used}」这样的编号，模板为「{template}」"
            f"（共 {len(foreign)} 个标题）",
            numbering_hint(styles).replace("标题按模板分级编号", "按模板的体例重新编号")
            + "用 Word 多级列表编号时，在“定义新的多级列表”中改各级的编号格式。",
            foreign[0].location(),
            count=len(foreign),
        )
    ]


def _numbering_problem(
    block: Block,
    heading: Heading,
    level: int,
    expected: int,
    number: str,
    styles: Sequence[HeadingStyle],
    hint: str,
) -> Finding | None:
    location = block.location()
    if not heading.numbered:
        return Finding(
            "numbering.missing",
            f"标题「{heading.title}」没有编号，应为「{number}{heading.title}」",
            hint,
            location,
        )
    if heading.level != level:
        return Finding(
            "numbering.level",
            f"标题层级不对：「{heading.title}」在模板中是{LEVEL_NAMES.get(level, '标题')}"
            f"（编号应为「{number}」），这里写成了{LEVEL_NAMES.get(heading.level, '标题')}"
            f"「{heading.number}」",
            hint,
            location,
        )
    if heading.n != expected:
        if heading.n is not None and heading.n > expected:
            message = f"编号不连续：「{heading.text}」之前缺少「{number}」"
        elif heading.n == expected - 1:
            message = f"编号重复：「{heading.number}」已用过，此处应为「{number}」"
        else:
            message = f"编号顺序错误：此处应为「{number}」，实为「{heading.number}」"
        return Finding("numbering.sequence", message, hint, location)
    if not heading.exact:
        wanted = styles[level - 1].number(heading.n)
        return Finding(
            "numbering.format",
            f"编号「{heading.number}」的写法不规范，应写作「{wanted}」",
            hint,
            location,
            group=(
                level,
                re.sub(r"[0-9０-９一二三四五六七八九十甲乙丙丁戊己庚辛壬癸]+", "#", heading.number),
            ),
        )
    return None


# ---------------------------------------------------------------------------------------------
# Length


def count(structure: Structure, outline: Outline) -> CharCount:
    """Total characters, and those of each budgeted part (the text under its 一级标题)."""
    matches = structure.matches
    counted = [b for b in structure.blocks if b.role != "toc"]  # contents repeat the headings
    total = sum(count_chars(b.text) for b in counted)
    starts = {id(matches[i]): h for i, h in enumerate(outline.headings) if i in matches}
    parts: dict[str, int] = {h.title: 0 for h in outline.headings if h.level == 1 and h.budget}
    current: str | None = None
    for block in counted:
        heading = starts.get(id(block))
        if block.role == "heading" and (block.level or 9) == 1:
            current = heading.title if heading is not None and heading.title in parts else None
            continue
        if current is not None:
            parts[current] += count_chars(block.text)
    return CharCount(total, parts)


def length_findings(
    chars: CharCount, outline: Outline, matches: dict[int, Block], max_chars: int
) -> list[Finding]:
    findings: list[Finding] = []
    if chars.total > max_chars:
        findings.append(
            Finding(
                "length.total",
                f"全文 {chars.total} 字，超过 {max_chars} 字的上限"
                f"（多 {chars.total - max_chars} 字）",
                f"精简内容到 {max_chars} 字以内。字数按 Word“字数统计”的规则计算："
                "每个汉字、中文标点计 1 字，每个英文单词或数字串计 1 字。",
                Location(part="全文"),
            )
        )
    for i, heading in enumerate(outline.headings):
        used = chars.parts.get(heading.title)
        if heading.level != 1 or not heading.budget or used is None or i not in matches:
            continue
        if used > heading.budget:
            findings.append(
                Finding(
                    "length.part",
                    f"「{_label(heading)}」部分 {used} 字，超过模板建议的 {heading.budget} 字",
                    f"精简这一部分到约 {heading.budget} 字，把篇幅留给其他部分。",
                    matches[i].location(),
                    quote=f"{heading.title}（{heading.budget}字）",
                )
            )
    return findings
