"""The application as steps in the seed's own order, each with its state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from manyi.rules.model import Scheme
from manyi.web.applications.models import Application
from manyi.web.applications.precheck import CheckReport
from manyi.web.review.models import TargetKind

# (key, title, material groups of the scheme shown in the step, page)
STEP_LAYOUT = (
    ("cover", _("封面"), ("其他",), "materials"),
    ("commitments", _("承诺书"), ("承诺书",), "materials"),
    ("form", _("申请表"), ("申请表",), "form"),
    ("report", _("实践报告"), ("实践报告",), "materials"),
    ("proofs", _("证实性材料"), ("证实性材料",), "materials"),
    ("measurement", _("第三方测量"), ("第三方测量材料",), "materials"),
)

STATE_LABELS = {
    "revision": _("待补正"),
    "not_started": _("未开始"),
    "incomplete": _("未完成"),
    "problems": _("有问题"),
    "complete": _("已完成"),
}


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    state: str
    url: str
    failures: int
    warnings: int
    revisions: int = 0  # findings of the formal review still to correct in this step

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def _where_prefixes(scheme: Scheme, key: str, groups: tuple[str, ...]) -> tuple[str, ...]:
    prefixes = [f"materials.{m.key}" for m in scheme.materials if m.group in groups]
    if key == "form":
        prefixes.append("form")
    if key == "measurement":
        prefixes.append("survey")
    return tuple(prefixes)


def _is_defect(code: str) -> bool:
    """A wrong file or a wrongly typed value, as opposed to something not yet provided."""
    return code.startswith("file.") or code.endswith(".type")


def _state(items: list, failures: int, warnings: int, passes: int) -> str:
    if failures and not passes:
        return "not_started"
    if any(i.status == "fail" and _is_defect(i.code) for i in items):
        return "problems"
    if failures:
        return "incomplete"
    return "problems" if warnings else "complete"


def revisions_per_step(scheme: Scheme, findings: Iterable[Any]) -> dict[str, int]:
    """How many of the formal review's open findings fall in each step (a general finding
    belongs to no step)."""
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.target_kind == TargetKind.FIELD:
            key = "form"
        elif finding.target_kind == TargetKind.MATERIAL:
            try:
                key = step_of_group(scheme.material(finding.target_key).group)
            except KeyError:
                continue
        else:
            continue
        counts[key] = counts.get(key, 0) + 1
    return counts


def application_steps(
    application: Application,
    scheme: Scheme,
    report: CheckReport,
    revisions: Mapping[str, int] | None = None,
) -> list[Step]:
    """Each step with its state; a step with open findings of the formal review is 待补正,
    whatever its checks say."""
    revisions = revisions or {}
    steps = []
    for key, title, groups, page in STEP_LAYOUT:
        items = report.at(*_where_prefixes(scheme, key, groups))
        failures = sum(i.status == "fail" for i in items)
        warnings = sum(i.status == "warn" for i in items)
        passes = sum(i.status == "pass" for i in items)
        state = "revision" if revisions.get(key) else _state(items, failures, warnings, passes)
        url = reverse(f"applications:{page}", args=[application.pk])
        if page == "materials":
            url += f"#step-{key}"
        steps.append(Step(key, str(title), state, url, failures, warnings, revisions.get(key, 0)))
    return steps


def completeness(report: CheckReport, outstanding: int = 0) -> int:
    """Share of the required checks that pass, in percent; each of the formal review's
    ``outstanding`` findings counts as one more check not yet passed."""
    decided = [i for i in report.items if i.status in ("pass", "fail")]
    total = len(decided) + outstanding
    if not total:
        return 0
    return round(100 * sum(i.status == "pass" for i in decided) / total)


def step_of_group(group: str) -> str:
    for key, _title, groups, _page in STEP_LAYOUT:
        if group in groups:
            return key
    return "proofs"
