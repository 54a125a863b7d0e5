"""The expert pool, conflict declarations and assignment (by hand and automatic)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.web.accounts.models import Organisation, PromotingBody, Role, User
from manyi.web.accounts.permissions import Perm, require
from manyi.web.accounts.services import staff_user_create
from manyi.web.applications.lifecycle import transition
from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.audit.services import audit_record
from manyi.web.review.models import (
    AssignmentMethod,
    ConflictDeclaration,
    ExpertAssignment,
    ExpertProfile,
)
from manyi.web.review.selectors import ASSIGNABLE_STATES, candidates, fit_of, profile_of
from manyi.web.review.services.common import locked, require_text, scheme_for

PROFILE_FIELDS = ("categories", "industries", "organisation_name", "region", "promoting_body")


@transaction.atomic
def expert_create(
    *,
    actor: User,
    username: str,
    password: str,
    full_name: str,
    email: str = "",
    phone: str = "",
    **profile: Any,
) -> ExpertProfile:
    """Create an expert's account and pool entry together."""
    require(actor, Perm.MANAGE_EXPERTS)
    user = staff_user_create(
        actor=actor,
        username=username,
        password=password,
        role=Role.EXPERT,
        full_name=full_name,
        email=email,
        phone=phone,
    )
    expert = ExpertProfile.objects.create(user=user, **_profile_values(profile))
    audit_record(actor=actor, action="expert.create", target=user, new_values=_audit(expert))
    return expert


@transaction.atomic
def expert_update(*, actor: User, expert: ExpertProfile, **values: Any) -> ExpertProfile:
    require(actor, Perm.MANAGE_EXPERTS)
    expert = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
    old = _audit(expert)
    for name, value in _profile_values(values).items():
        setattr(expert, name, value)
    if "is_active" in values:
        expert.is_active = bool(values["is_active"])
    expert.save()
    audit_record(
        actor=actor,
        action="expert.update",
        target=expert.user,
        old_values=old,
        new_values=_audit(expert),
    )
    return expert


def _profile_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {name: values[name] for name in PROFILE_FIELDS if name in values}
    for name in ("categories", "industries"):
        if name in cleaned:
            cleaned[name] = sorted(set(cleaned[name] or []))
    body = cleaned.get("promoting_body")
    if body is not None and not isinstance(body, PromotingBody):
        raise ValidationError({"promoting_body": _("请选择推进机构。")})
    return cleaned


def _audit(expert: ExpertProfile) -> dict[str, Any]:
    return {
        "categories": ",".join(expert.categories),
        "industries": ",".join(expert.industries),
        "organisation_name": expert.organisation_name,
        "region": expert.region,
        "promoting_body": expert.promoting_body_id,
        "is_active": expert.is_active,
    }


@transaction.atomic
def conflict_declare(
    *, actor: User, organisation: Organisation, reason: str
) -> ConflictDeclaration:
    """An expert declares a relationship with an applicant organisation (利益冲突声明)."""
    require(actor, Perm.DECLARE_CONFLICT)
    reason = require_text(reason, "reason", _("请说明与该单位的关系，例如任职、亲属、咨询服务。"))
    declaration, created = ConflictDeclaration.objects.get_or_create(
        expert=actor, organisation=organisation, defaults={"reason": reason}
    )
    if not created:
        raise ValidationError(_("您已声明过与该单位的利益关系。"))
    audit_record(
        actor=actor,
        action="conflict.declare",
        target=organisation,
        new_values={"expert": actor.pk, "reason": reason},
    )
    return declaration


def _check_assignable(application: Application) -> None:
    if application.state not in ASSIGNABLE_STATES:
        raise ValidationError(
            _("只能为“%(a)s”或“%(b)s”的申报分配专家。")
            % {"a": S.ACCEPTED.label, "b": S.EXPERT_REVIEW.label}
        )


def _check_expert(application: Application, expert: User, allow_gap: bool) -> str:
    """Refuse a conflicted, inactive or unqualified expert; returns the flags to note."""
    profile = profile_of(expert)
    if profile is None or expert.role != Role.EXPERT:
        raise ValidationError(_("%(e)s 不在专家库中。") % {"e": expert})
    if not (profile.is_active and expert.is_active):
        raise ValidationError(_("%(e)s 目前不可分配。") % {"e": expert})
    fit = fit_of(profile, application)
    if fit.conflicts:
        raise ValidationError(
            _("%(e)s 存在利益冲突，不能分配：%(r)s。")
            % {"e": expert, "r": "；".join(fit.conflicts)}
        )
    if not fit.category_ok and not allow_gap:
        raise ValidationError(
            _("%(e)s 的擅长类别不含本申报的类别；如确需分配，请勾选“专业不完全匹配仍分配”。")
            % {"e": expert}
        )
    flags = [] if fit.category_ok else [_("类别不匹配")]
    flags += [] if fit.industry_ok else [_("行业不匹配")]
    return "、".join(flags)


@transaction.atomic
def expert_assign(
    *,
    actor: User,
    application: Application,
    expert: User,
    allow_expertise_gap: bool = False,
    method: str = AssignmentMethod.MANUAL,
) -> ExpertAssignment:
    """Assign one expert by hand; conflicts always refuse, a category gap needs consent."""
    application = locked(application)
    require(actor, Perm.ASSIGN_EXPERTS, application)
    _check_assignable(application)
    needed = scheme_for(application).review.experts_per_application
    if application.expert_assignments.count() >= needed:
        raise ValidationError(_("本申报已分配 %(n)s 位专家。") % {"n": needed})
    if application.expert_assignments.filter(expert=expert).exists():
        raise ValidationError(_("%(e)s 已分配到本申报。") % {"e": expert})
    note = _check_expert(application, expert, allow_expertise_gap)
    assignment = ExpertAssignment.objects.create(
        application=application, expert=expert, method=method, note=note, assigned_by=actor
    )
    audit_record(
        actor=actor,
        action="expert.assign",
        target=application,
        new_values={"expert": expert.pk, "method": method, "note": note},
    )
    _start_review_when_complete(actor, application, needed)
    return assignment


def _start_review_when_complete(actor: User, application: Application, needed: int) -> None:
    if application.state == S.ACCEPTED and application.expert_assignments.count() >= needed:
        transition(
            actor=actor,
            application=application,
            action="start_expert_review",
            note=_("已分配 %(n)s 位评审专家。") % {"n": needed},
        )


@transaction.atomic
def expert_unassign(*, actor: User, assignment: ExpertAssignment) -> None:
    """Take an expert off an application before they submitted their scores."""
    application = locked(assignment.application)
    require(actor, Perm.ASSIGN_EXPERTS, application)
    assignment = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.is_submitted:
        raise ValidationError(_("该专家已提交评分，不能撤销分配。"))
    _check_assignable(application)
    audit_record(
        actor=actor,
        action="expert.unassign",
        target=application,
        old_values={"expert": assignment.expert_id},
    )
    assignment.delete()


@dataclass
class AutoAssignResult:
    assigned: list[ExpertAssignment] = field(default_factory=list)
    missing: int = 0


@transaction.atomic
def auto_assign(application: Application, *, actor: User) -> AutoAssignResult:
    """Fill the application up to N experts: the least loaded qualified experts first.

    Category match is required, conflicts exclude, an industry match wins between equal
    loads. A secretariat member starts it; the assignments are recorded as theirs.
    """
    application = locked(application)
    require(actor, Perm.ASSIGN_EXPERTS, application)
    _check_assignable(application)
    needed = scheme_for(application).review.experts_per_application
    free = needed - application.expert_assignments.count()
    chosen = [c for c in candidates(application) if c.auto_eligible][: max(free, 0)]
    result = AutoAssignResult(missing=max(free - len(chosen), 0))
    for candidate in chosen:
        result.assigned.append(
            expert_assign(
                actor=actor,
                application=application,
                expert=candidate.profile.user,
                method=AssignmentMethod.AUTO,
            )
        )
    return result
