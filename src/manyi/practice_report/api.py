"""``check_report``: run every check on an uploaded practice report (DOCX or PDF).

Each check runs behind its own boundary: an error it did not expect becomes one finding
"无法完整检查：<what>（<why>）" (a warning), is logged, and the other checks go on. Only a file
that cannot be read at all raises :class:`ReportReadError`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePath
from typing import TypeVar

from manyi.practice_report.container import sniff
from manyi.practice_report.errors import ReportReadError
from manyi.practice_report.findings import (
    CharCount,
    Finding,
    Location,
    ReportCheck,
    aggregate,
    incomplete,
)
from manyi.practice_report.provenance import attribute, report_rules
from manyi.practice_report.structure import (
    Block,
    Structure,
    count,
    find_structure,
    length_findings,
    numbering_findings,
    outline_findings,
    title_findings,
)
from manyi.rules.model import Outline, Scheme

log = logging.getLogger(__name__)
T = TypeVar("T")

# Rule groups whose findings rest on a part of a DOCX: when that part was skipped, they warn.
PART_GROUPS: dict[str, tuple[str, ...]] = {
    "styles": (
        "title",
        "body",
        "heading_bold",
        "numbering",
        "numbering_format",
        "outline",
        "page_number",
    ),
    "numbering": ("body", "numbering", "numbering_format", "outline"),
    "theme": ("title", "body"),
    "settings": ("title", "body", "page_number"),
    "header": ("page_number",),
    "footer": ("page_number",),
    "relationships": ("title", "body", "heading_bold", "numbering", "outline", "page_number"),
}
STRUCTURE = "标题、章节和字数"


@dataclass
class _Run:
    """The findings of one check run, and the boundary every check runs behind."""

    findings: list[Finding] = field(default_factory=list)

    def guarded(self, what: str, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except ReportReadError:
            raise
        except Exception as exc:  # the boundary: any failure of one check
            log.exception("实践报告检查出错：%s", what)
            self.findings.append(incomplete(what, _why(exc)))
            return None

    def collect(self, what: str, check: Callable[[], Iterable[Finding]]) -> None:
        found = self.guarded(what, lambda: list(check()))
        self.findings += found or []

    def each_block(self, blocks: Iterable[Block], check: Callable[[Block], list[Finding]]) -> None:
        """Per-paragraph boundary: a paragraph that breaks a check is named, the rest go on."""
        for block in blocks:
            try:
                self.findings += check(block)
            except Exception as exc:  # the boundary for one paragraph
                log.exception("实践报告检查出错：第 %s 段的格式", block.index)
                self.findings.append(incomplete("段落格式", _why(exc), block.location()))


def _why(exc: Exception) -> str:
    detail = str(exc).strip().splitlines()[0][:80] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"读取时出错：{name}{'：' + detail if detail else ''}"


def check_report(
    data: bytes,
    filename: str,
    category: str,
    *,
    scheme: Scheme,
    organisation_name: str | None = None,
) -> ReportCheck:
    """Check one report against the scheme's format and the category's outline.

    Raises ReportReadError (a ValueError with a Chinese message) when the file cannot be read:
    empty, not a DOCX/PDF, damaged, encrypted, a zip bomb, a PDF without pages.
    """
    outline = scheme.outline(scheme.category(category).key)
    kind = sniff(data, filename)
    run = _Run()
    if kind == "docx":
        chars, checks, unsure = _check_docx(run, data, scheme, outline)
    else:
        chars, checks, unsure = _check_pdf(run, data, scheme, outline)
    if kind == "pdf":  # the name rule is the submitted PDF's; a Word draft is not yet named
        checks = (*checks, "filename")
        names = partial(_filename_findings, filename, category, scheme, organisation_name)
        run.collect("文件名", names)
    findings = attribute(aggregate(run.findings), report_rules(scheme), unsure)
    return ReportCheck(
        file=filename,
        category=category,
        kind=kind,
        findings=tuple(findings),
        chars=chars,
        checks=checks,
    )


_Checked = tuple[CharCount, tuple[str, ...], dict[str, str]]


def _check_docx(run: _Run, data: bytes, scheme: Scheme, outline: Outline) -> _Checked:
    from manyi.practice_report.docx_checks import (
        DOCX_CHECKS,
        check_block,
        outline_level,
        page_number_findings,
    )
    from manyi.practice_report.docx_reader import read_docx

    content = _read(lambda: read_docx(data), "Word 文档")
    unsure: dict[str, str] = {}
    for problem in content.problems:
        run.findings.append(incomplete(problem.what, problem.why))
        for group in PART_GROUPS.get(problem.kind, ()):
            unsure.setdefault(group, f"{problem.what}无法读取（{problem.why}），这一项只能推断")
    blocks = [
        Block(p.index, p.text, p.page, p.context, source=p, label=p.label)
        for p in content.paragraphs
    ]
    fmt = scheme.report_format
    structure = run.guarded(
        STRUCTURE, lambda: find_structure(blocks, outline, fmt, outline_level=outline_level)
    )
    chars = _structure_checks(run, structure, scheme, outline)
    if structure is not None:
        run.each_block(structure.blocks, lambda block: check_block(block, fmt))
    run.collect("页码", lambda: page_number_findings(content))
    return chars, DOCX_CHECKS, unsure


def _check_pdf(run: _Run, data: bytes, scheme: Scheme, outline: Outline) -> _Checked:
    from manyi.practice_report.pdf_checks import (
        PDF_CHECKS,
        check_block,
        no_text_finding,
        page_number_findings,
    )
    from manyi.practice_report.pdf_reader import read_pdf

    content = _read(lambda: read_pdf(data), "PDF")
    for page, why in content.unread.items():
        run.findings.append(incomplete(f"第 {page} 页", f"读取时出错：{why}", Location(page=page)))
    if not content.has_text:
        run.findings.append(no_text_finding())
        return CharCount(0, {}), PDF_CHECKS, {}
    blocks = [Block(p.index, p.text, p.page, p.context, source=p) for p in content.paragraphs]
    fmt = scheme.report_format
    structure = run.guarded(STRUCTURE, lambda: find_structure(blocks, outline, fmt))
    chars = _structure_checks(run, structure, scheme, outline)
    if structure is not None:
        run.each_block(structure.blocks, lambda block: check_block(block, fmt, content))
    run.collect("页码", lambda: page_number_findings(content))
    return chars, PDF_CHECKS, {}


def _read(read: Callable[[], T], what: str) -> T:
    """Read the file; an unexpected failure is an unreadable file, not a crash."""
    try:
        return read()
    except ReportReadError:
        raise
    except Exception as exc:
        log.exception("无法读取实践报告（%s）", what)
        raise ReportReadError(
            f"{what}的结构无法解析（{type(exc).__name__}），请在 Word 中另存或重新导出后上传。"
        ) from exc


def _structure_checks(
    run: _Run, structure: Structure | None, scheme: Scheme, outline: Outline
) -> CharCount:
    """Title, outline, numbering and length, each behind its own boundary."""
    if structure is None:
        return CharCount(0, {})
    fmt = scheme.report_format
    run.collect("标题", lambda: title_findings(structure, outline, fmt.title))
    run.collect("提纲", lambda: outline_findings(structure, outline))
    run.collect("标题编号", lambda: numbering_findings(structure, fmt))
    chars = run.guarded("字数", lambda: count(structure, outline))
    if chars is None:
        return CharCount(0, {})
    run.collect("字数", lambda: length_findings(chars, outline, structure.matches, fmt.max_chars))
    return chars


def _filename_findings(
    filename: str, category: str, scheme: Scheme, organisation: str | None
) -> list[Finding]:
    if organisation:
        return filename_findings(filename, organisation, category, scheme)
    return loose_filename_findings(filename, category, scheme)


def filename_findings(
    filename: str, organisation: str, category: str, scheme: Scheme
) -> list[Finding]:
    """The submitted PDF is named 用户满意经营实践报告+企业名称+类别名称.pdf."""
    name = PurePath(filename).name
    wanted = scheme.report_filename(organisation, category)
    if scheme.report_filename_ok(name, organisation, category):
        return []
    return [
        Finding(
            "filename",
            f"文件名「{name}」不符合命名规则，应为「{wanted}」",
            f"将文件重命名为「{wanted}」。",
            Location(part="文件名", excerpt=name),
        )
    ]


def loose_filename_findings(filename: str, category: str, scheme: Scheme) -> list[Finding]:
    """Without the organisation's name, check what can be checked: prefix and category."""
    name = PurePath(filename).name
    example = scheme.report_filename("企业名称", category)
    prefix = example.split("企业名称")[0].rstrip("+＋")
    category_name = scheme.category(category).name
    stem = PurePath(name).stem
    if stem.startswith(prefix) and stem.endswith(category_name) and name.lower().endswith(".pdf"):
        return []
    return [
        Finding(
            "filename",
            f"文件名「{name}」不符合命名规则「{example}」",
            f"将文件重命名为「{example}」（把“企业名称”换成申请单位全称）。",
            Location(part="文件名", excerpt=name),
            reason="没有给出申请单位名称，只核对了文件名的开头和类别",
        )
    ]
