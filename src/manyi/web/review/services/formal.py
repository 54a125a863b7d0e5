"""Formal review (形式审查): itemised findings, accept / reject / return, and lapsing.

A return for revision sends every open finding at once (一次性告知) in the transition's one
notification and sets the deadline. The corrected resubmission comes straight back to the
formal review with its sent findings marked "resubmitted"; the secretariat verifies each one
(resolved) or drops it with a note (waived), and only then may accept.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.web.accounts.models import User
from manyi.web.accounts.permissions import Perm, require
from manyi.web.applications.lifecycle import IllegalTransition, on_transition, transition
from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.audit.services import audit_record
from manyi.web.review.models import FindingStatus, FormalFinding, TargetKind
from manyi.web.review.selectors import finding_targets, open_findings, unsettled_findings
from manyi.web.review.services.common import (
    latest_version_number,
    locked,
    require_text,
    scheme_for,
)


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def default_deadline(application: Application, today: datetime.date | None = None) -> datetime.date:
    days = scheme_for(application).review.revision_days
    return (today or timezone.localdate()) + datetime.timedelta(days=days)


def _in_formal_review(application: Application) -> None:
    if application.state != S.RECOMMENDED:
        raise ValidationError(_("只有“%(s)s”的申报可以进行形式审查。") % {"s": S.RECOMMENDED.label})


def _target_label(application: Application, kind: str, key: str) -> str:
    if kind == TargetKind.GENERAL:
        return str(TargetKind.GENERAL.label)
    labels = dict(finding_targets(application).get(kind, []))
    if key not in labels:
        raise ValidationError({"target": _("请选择本申报的申请表字段或材料。")})
    return labels[key]


@transaction.atomic
def finding_add(
    *, actor: User, application: Application, target_kind: str, target_key: str, text: str
) -> FormalFinding:
    """Record one finding of the formal review on the application's current version."""
    application = locked(application)
    require(actor, Perm.FORMAL_REVIEW, application)
    _in_formal_review(application)
    text = require_text(text, "text", _("请写明审查意见，说明问题和修改要求。"))
    if target_kind not in TargetKind.values:
        raise ValidationError({"target": _("请选择意见针对的字段或材料。")})
    key = "" if target_kind == TargetKind.GENERAL else target_key
    finding = FormalFinding.objects.create(
        application=application,
        version=latest_version_number(application),
        target_kind=target_kind,
        target_key=key,
        target_label=_target_label(application, target_kind, key),
        text=text,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="finding.add",
        target=application,
        new_values={"finding": finding.pk, "target": f"{target_kind}:{key}", "text": text},
    )
    return finding


def _settle(
    actor: User, finding: FormalFinding, status: str, note: str, action: str
) -> FormalFinding:
    application = locked(finding.application)
    require(actor, Perm.FORMAL_REVIEW, application)
    finding = FormalFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.is_settled:
        return finding
    old_status = finding.status
    finding.status, finding.resolution_note = status, note
    finding.resolved_at, finding.resolved_by = timezone.now(), actor
    finding.save(update_fields=["status", "resolution_note", "resolved_at", "resolved_by"])
    audit_record(
        actor=actor,
        action=action,
        target=application,
        old_values={"finding": finding.pk, "status": old_status},
        new_values={"finding": finding.pk, "status": status, **({"note": note} if note else {})},
    )
    return finding


@transaction.atomic
def finding_resolve(*, actor: User, finding: FormalFinding, note: str = "") -> FormalFinding:
    """The secretariat confirms a finding is corrected (or withdraws one not yet sent)."""
    return _settle(actor, finding, FindingStatus.RESOLVED, (note or "").strip(), "finding.resolve")


@transaction.atomic
def finding_waive(*, actor: User, finding: FormalFinding, note: str) -> FormalFinding:
    """The secretariat no longer requires a finding; the note says why (it is kept)."""
    note = require_text(note, "note", _("请写明不再要求该项补正的理由。"))
    return _settle(actor, finding, FindingStatus.WAIVED, note, "finding.waive")


@transaction.atomic
def application_accept(*, actor: User, application: Application) -> Application:
    """受理: refused while any finding is open or its correction not yet verified."""
    application = locked(application)
    unsettled = unsettled_findings(application)
    if application.state == S.RECOMMENDED and unsettled.exists():
        waiting = unsettled.filter(status=FindingStatus.RESUBMITTED).count()
        opened = unsettled.filter(status=FindingStatus.OPEN).count()
        parts = []
        if waiting:
            parts.append(_("%(n)s 条已重新提交、待核实") % {"n": waiting})
        if opened:
            parts.append(_("%(n)s 条待补正") % {"n": opened})
        raise ValidationError(
            _(
                "还有审查意见未处理（%(p)s）：请逐条核实并标记为“已解决”，"
                "或写明理由标记为“不再要求”，然后再受理。"
            )
            % {"p": "，".join(parts)}
        )
    return transition(actor=actor, application=application, action="accept")


@transaction.atomic
def application_reject(*, actor: User, application: Application, reason: str) -> Application:
    """不予受理, with the reason the applicant is told."""
    reason = require_text(reason, "reason", _("请写明不予受理的理由。"))
    return transition(actor=actor, application=application, action="reject", note=reason)


@transaction.atomic
def application_return_for_revision(
    *, actor: User, application: Application, deadline: datetime.date | None = None
) -> Application:
    """Return with every open finding at once and a deadline (default: the scheme's days)."""
    application = locked(application)
    findings = list(open_findings(application))
    if not findings and application.state == S.RECOMMENDED:
        raise ValidationError(_("请先逐条填写审查意见，再退回补正。"))
    deadline = deadline or default_deadline(application)
    if deadline <= timezone.localdate():
        raise ValidationError({"deadline": _("补正截止日期应晚于今天。")})
    return transition(
        actor=actor,
        application=application,
        action="return_for_revision",
        note=revision_notice(findings, deadline),
        values={"deadline": deadline},
    )


def revision_notice(findings: list[FormalFinding], deadline: datetime.date) -> str:
    """The one message that tells the applicant every finding (一次性告知)."""
    lines = [
        _("请于 %(d)s 前按以下 %(n)s 条意见补正后重新提交，逾期未提交的申报将失效：")
        % {"d": chinese_date(deadline), "n": len(findings)}
    ]
    lines += [
        f"{index}. 【{finding.target_label}】{finding.text}"
        for index, finding in enumerate(findings, start=1)
    ]
    return "\n".join(lines)


@on_transition("return_for_revision", before=True)
def _send_findings(application: Application, actor: User | None, values: dict) -> dict[str, Any]:
    deadline = values.get("deadline") or default_deadline(application)
    application.revision_deadline = deadline
    application.save(update_fields=["revision_deadline"])
    sent = open_findings(application).filter(sent_at=None).update(sent_at=timezone.now())
    return {"revision_deadline": deadline.isoformat(), "findings_sent": sent}


@on_transition("resubmit")
def _mark_resubmitted(application: Application, actor: User | None, values: dict) -> dict:
    """The sent findings now wait for the secretariat to verify the correction."""
    marked = (
        open_findings(application).exclude(sent_at=None).update(status=FindingStatus.RESUBMITTED)
    )
    return {"findings_resubmitted": marked} if marked else {}


def lapse_overdue(
    *, today: datetime.date | None = None, actor: User | None = None
) -> list[Application]:
    """Move every application still returned after its deadline to 逾期未补正.

    The system makes this move (``actor`` None, recorded as the system) unless a secretariat
    member does it by hand; an application resubmitted meanwhile is skipped (its transition
    is illegal by then).
    """
    today = today or timezone.localdate()
    overdue = Application.objects.filter(state=S.RETURNED, revision_deadline__lt=today)
    lapsed = []
    for application in overdue.order_by("pk"):
        try:
            lapsed.append(_lapse(actor, application))
        except IllegalTransition:
            continue
    return lapsed


def _lapse(actor: User | None, application: Application) -> Application:
    note = _("补正截止日期 %(d)s 已过，未重新提交。") % {
        "d": chinese_date(application.revision_deadline)
    }
    return transition(actor=actor, application=application, action="lapse", note=note)
