"""One vocabulary for every verdict: ``pass | warn | fail`` and one finding shape.

Every engine (scheme rules, uploads, report checker, survey checks) and the pre-submission
check (体检) speak this type, so no table translates one engine's words into another's and no
finding can vanish on the way. A finding names its provenance:

* ``source = "seed"``: the application form (申请书) states the rule; ``quote`` holds its words.
  Only such a finding — or one the campaign's secretariat raised to blocking, see below — may be
  ``fail``.
* ``source = "advice"``: the system's own judgement (a sample-size minimum, a phone format …);
  ``reason`` says why. It warns, unless the campaign's scheme raises it to blocking, in which
  case ``quote`` holds the secretariat's requirement and pages name it as such.

Pure Python, no Django: the command line and the web both use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

Status = Literal["pass", "warn", "fail"]
Source = Literal["seed", "advice"]

STATUSES: tuple[Status, ...] = get_args(Status)
SOURCES: tuple[Source, ...] = get_args(Source)
# Worst first: the order pages list findings in.
STATUS_ORDER: dict[Status, int] = {"fail": 0, "warn": 1, "pass": 2}
STATUS_LABELS: dict[Status, str] = {"pass": "通过", "warn": "警告", "fail": "不通过"}


class VerdictError(ValueError):
    """A finding was built or read with a status or source outside the vocabulary."""


def _require(value: object, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise VerdictError(f"未知的{what} {value!r}，只能是 {' | '.join(allowed)}")


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of one check: what was found, where, how to fix it, and on whose authority."""

    code: str
    status: Status
    message: str
    where: str = ""
    fix: str = ""
    source: Source = "advice"
    # The form's words (source "seed"), or the secretariat's requirement for a raised rule.
    quote: str = ""
    # Why the system advises this (source "advice").
    reason: str = ""

    def __post_init__(self) -> None:
        _require(self.status, STATUSES, "结论")
        _require(self.source, SOURCES, "来源")

    @property
    def blocks(self) -> bool:
        return self.status == "fail"

    @property
    def authority(self) -> str:
        """Whose rule this is, as a page shows it: 申请书要求 / 秘书处要求 / 系统建议."""
        if self.source == "seed":
            return "申请书要求"
        return "秘书处要求" if self.status == "fail" else "系统建议"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """Read a stored finding; an unknown status is an error, never a silent pass."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)


def worst(statuses: Iterable[Status]) -> Status:
    """The most severe of ``statuses`` (``pass`` for none)."""
    return min(statuses, key=STATUS_ORDER.__getitem__, default="pass")


def summarise(findings: Iterable[Finding]) -> dict[Status, int]:
    counts: dict[Status, int] = {"fail": 0, "warn": 0, "pass": 0}
    for finding in findings:
        counts[finding.status] += 1
    return counts


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Failures first, then warnings, then passes; stable within each."""
    return sorted(findings, key=lambda f: STATUS_ORDER[f.status])
