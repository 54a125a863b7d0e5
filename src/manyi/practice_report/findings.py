"""Findings, their locations, and the result of one check (ReportCheck)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from manyi import verdict
from manyi.verdict import Source, Status

# How many locations an aggregated finding lists (the first ones in the document).
MAX_LOCATIONS = 5
EXCERPT_CHARS = 24


@dataclass(frozen=True)
class Location:
    """Where a finding is: page (PDF, or Word's last layout when saved), paragraph, heading."""

    paragraph: int | None = None  # 1-based among the non-empty paragraphs
    page: int | None = None
    heading: str | None = None  # the heading the paragraph is under
    excerpt: str = ""
    part: str | None = None  # footer, header, file name … when not a paragraph

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "paragraph": self.paragraph,
            "page": self.page,
            "heading": self.heading,
            "excerpt": self.excerpt,
        }
        if self.part:
            data["part"] = self.part
        return data

    def describe(self) -> str:
        """ "第 3 页，第 12 段（在「（一）策划」下）：“介绍企业……”"."""
        bits = []
        if self.page is not None:
            bits.append(f"第 {self.page} 页")
        if self.paragraph is not None:
            bits.append(f"第 {self.paragraph} 段")
        if self.part:
            bits.append(self.part)
        text = "，".join(bits)
        if self.heading:
            text += f"（在「{self.heading}」下）"
        if self.excerpt:
            text += f"：“{self.excerpt}”"
        return text


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "……"


@dataclass(frozen=True)
class Finding:
    """One deviation, where it is and how to fix it, and on whose authority it is reported.

    Checks report a deviation (status ``fail``) and, when it rests on the checker's own
    guess (a font name a PDF may alias, a spacing measured from positions), the ``reason``.
    :func:`~manyi.practice_report.provenance.attribute` then gives it its rule's provenance
    from the scheme: the form's quote and whether it blocks, or the system's advice. A
    finding with a reason only warns.
    """

    code: str
    message: str
    fix: str
    location: Location = field(default_factory=Location)
    status: Status = "fail"
    source: Source = "advice"
    quote: str = ""  # the form's words (source "seed"), or the secretariat's requirement
    reason: str = ""  # why the system advises it, or why it cannot be sure
    count: int = 1  # paragraphs (or pages) this finding stands for
    locations: tuple[Location, ...] = ()  # the first ones when count > 1
    # Findings of one code with the same group merge into one (same wrong value, same origin).
    group: Any = None

    def verdict(self) -> verdict.Finding:
        """The finding in the shape every engine and the 体检 share."""
        return verdict.Finding(
            code=self.code,
            status=self.status,
            message=self.message,
            where=self.location.describe(),
            fix=self.fix,
            source=self.source,
            quote=self.quote,
            reason=self.reason,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.verdict().to_dict(),
            "location": self.location.to_dict(),
            "count": self.count,
            "locations": [loc.to_dict() for loc in self.locations or (self.location,)],
        }


INCOMPLETE = "check.incomplete"


def incomplete(what: str, why: str, location: Location | None = None) -> Finding:
    """A check that could not finish: "无法完整检查：<what>（<why>）", always a warning."""
    return Finding(
        INCOMPLETE,
        f"无法完整检查：{what}（{why}）",
        "请人工核对这一项。文件来自 WPS 或其他软件时，可在 Word 中另存为 .docx 或导出 PDF 后"
        "再检查。",
        location or Location(part=what),
        status="warn",
        source="advice",
        reason="检查器没能读完这一部分，结论可能不全",
        group=(what, why),
    )


def aggregate(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per (code, paragraph); then one per (code, group) with the count.

    300 body paragraphs inheriting the wrong size from the Normal style become one finding
    "…共 300 段" with the first locations, so the user is not flooded.
    """
    seen: set[tuple[str, Any]] = set()
    groups: dict[tuple[str, Any], list[Finding]] = {}
    for finding in findings:
        where = (finding.location.paragraph, finding.location.page, finding.location.part)
        if (finding.code, where) in seen:
            continue
        seen.add((finding.code, where))
        key = (finding.code, finding.group if finding.group is not None else id(finding))
        groups.setdefault(key, []).append(finding)
    return sorted((_merge(items) for items in groups.values()), key=_order)


def _merge(items: Sequence[Finding]) -> Finding:
    first = items[0]
    if len(items) == 1:
        return replace(first, group=None)
    count = sum(item.count for item in items)
    return replace(
        first,
        message=f"{first.message}（共 {count} 段）",
        count=count,
        locations=tuple(item.location for item in items[:MAX_LOCATIONS]),
        group=None,
    )


def _order(finding: Finding) -> tuple[int, int, int, str]:
    loc = finding.location
    return (
        loc.page if loc.page is not None else 0,
        loc.paragraph if loc.paragraph is not None else 1 << 30,
        verdict.STATUS_ORDER[finding.status],
        finding.code,
    )


@dataclass(frozen=True)
class CharCount:
    total: int
    parts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "parts": dict(self.parts)}


@dataclass(frozen=True)
class ReportCheck:
    """Everything the checker found in one report."""

    file: str
    category: str
    kind: Literal["docx", "pdf"]
    findings: tuple[Finding, ...]
    chars: CharCount
    checks: tuple[str, ...]  # the codes that were checked

    @property
    def summary(self) -> dict[str, int]:
        found = {f.code for f in self.findings}
        return {
            "fail": sum(f.status == "fail" for f in self.findings),
            "warn": sum(f.status == "warn" for f in self.findings),
            "pass": sum(code not in found for code in self.checks),
        }

    @property
    def ok(self) -> bool:
        """No finding fails (warnings allowed)."""
        return not any(f.status == "fail" for f in self.findings)

    @property
    def complete(self) -> bool:
        """Every check ran to the end (no "无法完整检查" finding)."""
        return all(f.code != INCOMPLETE for f in self.findings)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def verdicts(self) -> list[verdict.Finding]:
        return [f.verdict() for f in self.findings]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "category": self.category,
            "kind": self.kind,
            "summary": self.summary,
            "chars": self.chars.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
        }


# Codes of the format and outline checks a DOCX and a PDF both get (a PDF also has text.none).
FORMAT_CHECKS = (
    "title.missing",
    "title.font",
    "title.size",
    "title.bold",
    "title.align",
    "title.line_spacing",
    "body.font",
    "body.size",
    "body.line_spacing",
    "body.indent",
    "body.align",
    "heading.bold",
    "numbering.sequence",
    "numbering.level",
    "numbering.missing",
    "numbering.format",
    "numbering.scheme",
    "outline.missing",
    "outline.order",
    "outline.extra",
    "length.total",
    "length.part",
    "page_number.missing",
    "page_number.position",
)
