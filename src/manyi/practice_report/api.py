"""``check_report``: run every check on an uploaded practice report (DOCX or PDF)."""

from __future__ import annotations

from pathlib import PurePath

from manyi.practice_report.container import sniff
from manyi.practice_report.findings import (
    CharCount,
    Finding,
    Location,
    ReportCheck,
    aggregate,
)
from manyi.practice_report.structure import Block, analyse
from manyi.rules import load_scheme
from manyi.rules.model import Outline, Scheme

DEFAULT_YEAR = 2025
_Checked = tuple[list[Finding], CharCount, tuple[str, ...]]


def _scheme(scheme: Scheme | None) -> Scheme:
    return scheme if scheme is not None else load_scheme(DEFAULT_YEAR)


def check_report(
    data: bytes,
    filename: str,
    category: str,
    *,
    organisation_name: str | None = None,
    scheme: Scheme | None = None,
) -> ReportCheck:
    """Check one report against the scheme's format and the category's outline.

    Raises ReportReadError (a ValueError with a Chinese message) when the file cannot be read:
    empty, not a DOCX/PDF, damaged, encrypted, or a zip bomb.
    """
    scheme = _scheme(scheme)
    outline = scheme.outline(scheme.category(category).key)
    kind = sniff(data, filename)
    findings: list[Finding]
    if kind == "docx":
        findings, chars, checks = _check_docx(data, scheme, outline)
    else:
        findings, chars, checks = _check_pdf(data, scheme, outline)
    if organisation_name:
        checks = (*checks, "filename")
        findings += filename_findings(filename, organisation_name, category, scheme, kind)
    elif kind == "pdf":
        checks = (*checks, "filename")
        findings += loose_filename_findings(filename, category, scheme)
    return ReportCheck(
        file=filename,
        category=category,
        kind=kind,
        findings=tuple(aggregate(findings)),
        chars=chars,
        checks=checks,
    )


def _check_docx(data: bytes, scheme: Scheme, outline: Outline) -> _Checked:
    from manyi.practice_report.docx_checks import DOCX_CHECKS, check_docx, outline_level
    from manyi.practice_report.docx_reader import read_docx

    content = read_docx(data)
    blocks = [Block(p.index, p.text, p.page, p.context, source=p) for p in content.paragraphs]
    structure = analyse(blocks, outline, scheme.report_format, outline_level=outline_level)
    findings = structure.findings + check_docx(content, structure, scheme.report_format)
    return findings, structure.chars, DOCX_CHECKS


def _check_pdf(data: bytes, scheme: Scheme, outline: Outline) -> _Checked:
    from manyi.practice_report.pdf_checks import PDF_CHECKS, check_pdf, no_text_finding
    from manyi.practice_report.pdf_reader import read_pdf

    content = read_pdf(data)
    if not content.has_text:
        return [no_text_finding()], CharCount(0, {}), PDF_CHECKS
    blocks = [Block(p.index, p.text, p.page, p.context, source=p) for p in content.paragraphs]
    structure = analyse(blocks, outline, scheme.report_format)
    findings = structure.findings + check_pdf(content, structure, scheme.report_format)
    return findings, structure.chars, PDF_CHECKS


def filename_findings(
    filename: str, organisation: str, category: str, scheme: Scheme, kind: str
) -> list[Finding]:
    """The submitted PDF is named 用户满意经营实践报告+企业名称+类别名称.pdf."""
    name = PurePath(filename).name
    wanted = scheme.report_filename(organisation, category)
    checked = name if kind == "pdf" else str(PurePath(name).with_suffix(".pdf"))
    if scheme.report_filename_ok(checked, organisation, category):
        return []
    note = "（提交时须导出为 PDF）" if kind != "pdf" else ""
    return [
        Finding(
            "filename",
            "fail",
            f"文件名「{name}」不符合命名规则，应为「{wanted}」{note}",
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
            "warning",
            f"文件名「{name}」不符合命名规则「{example}」",
            f"将文件重命名为「{example}」（把“企业名称”换成申请单位全称）。",
            Location(part="文件名", excerpt=name),
        )
    ]
