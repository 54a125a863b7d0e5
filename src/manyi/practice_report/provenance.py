"""Whose rule a finding reports: the form's (quoted) or the system's advice, from the scheme.

Every finding code belongs to one rule group of ``report_format.rules`` in the scheme file (the
file name: the practice report material's ``filename`` rule). A
group is either the form's own rule (``source = "seed"`` with its words) or the system's advice
(with its reason); its severity says whether breaking it blocks. A finding that rests on the
checker's guess — it carries a reason, or a part it depends on could not be read — only warns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from manyi.practice_report.findings import INCOMPLETE, Finding
from manyi.rules.model import Provenance, Scheme

# Finding code (or its prefix before the dot) → rule group in ``report_format.rules``.
CODE_GROUPS: dict[str, str] = {
    "title": "title",
    "body": "body",
    "heading.bold": "heading_bold",
    "numbering": "numbering",
    "numbering.format": "numbering_format",
    "outline": "outline",
    "outline.extra": "extra_headings",
    "length.total": "length",
    "length.part": "part_length",
    "page_number": "page_number",
    "filename": "filename",
    "text.none": "no_text",
}


def rule_group(code: str) -> str:
    """The rule group of a finding code: ``body.font`` → ``body``."""
    group = CODE_GROUPS.get(code) or CODE_GROUPS.get(code.split(".", 1)[0])
    if group is None:
        raise KeyError(f"检查代码 {code!r} 没有对应的规则组")
    return group


def report_rules(scheme: Scheme) -> dict[str, Provenance]:
    """Each rule group's provenance: ``report_format.rules``, and the file-name rule of the
    practice report material (``filename``)."""
    rules: dict[str, Provenance] = dict(scheme.report_format.rules)
    material = scheme.material(scheme.roles.materials.practice_report)
    if material.filename is not None:
        rules["filename"] = material.filename
    return rules


def rule_for(rules: Mapping[str, Provenance], code: str) -> Provenance:
    return rules[rule_group(code)]


def attribute(
    findings: Iterable[Finding],
    rules: Mapping[str, Provenance],
    unsure: Mapping[str, str] | None = None,
) -> list[Finding]:
    """The findings with their rule's provenance and final status.

    ``unsure`` maps a rule group to why its findings rest on a guess (e.g. the styles part
    could not be read): those findings only warn, as do findings that carry a reason.
    """
    return [_attributed(finding, rules, unsure or {}) for finding in findings]


def _attributed(
    finding: Finding, rules: Mapping[str, Provenance], unsure: Mapping[str, str]
) -> Finding:
    if finding.code == INCOMPLETE:
        return finding
    group = rule_group(finding.code)
    rule = rules[group]
    reason = unsure.get(group) or finding.reason
    if reason:
        return replace(finding, status="warn", source="advice", quote="", reason=reason)
    if rule.source == "seed":
        quote = finding.quote or rule.quote or ""
        return replace(
            finding, status=rule.effective_severity, source="seed", quote=quote, reason=""
        )
    return replace(
        finding,
        status=rule.effective_severity,
        source="advice",
        quote=rule.quote or "",
        reason=rule.reason or "",
    )
