"""Experts' scores: drafts, submission (then locked), audit of every change, completion."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.rules.model import RubricCriterion
from manyi.web.accounts.models import User
from manyi.web.accounts.permissions import Perm, require
from manyi.web.applications.lifecycle import transition
from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.audit.services import audit_record
from manyi.web.review.models import ConflictDeclaration, ExpertAssignment, Score
from manyi.web.review.services.common import locked, scheme_for

# criterion key → (points or None while a draft, comment)
Entry = tuple[Decimal | str | None, str]
Rubric = tuple[RubricCriterion, ...]


def parse_points(raw: Decimal | str | None, criterion: RubricCriterion) -> Decimal | None:
    """Points as a decimal within 0..max_points (at most two decimals); blank is None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        points = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ValidationError({criterion.key: _("请填写数字。")}) from exc
    if not points.is_finite() or points.as_tuple().exponent < -2:
        raise ValidationError({criterion.key: _("最多保留两位小数。")})
    if not Decimal(0) <= points <= Decimal(str(criterion.max_points)):
        raise ValidationError(
            {criterion.key: _("应在 0 到 %(m)s 分之间。") % {"m": f"{criterion.max_points:g}"}}
        )
    return points


def _locked_assignment(actor: User, assignment: ExpertAssignment) -> ExpertAssignment:
    assignment = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
    application = locked(assignment.application)
    require(actor, Perm.SCORE_APPLICATION, application)
    if assignment.expert_id != actor.pk:
        raise PermissionDenied(_("只能填写分配给您本人的评分。"))
    if application.state != S.EXPERT_REVIEW:
        raise ValidationError(_("该申报当前不在专家评审阶段。"))
    if assignment.is_submitted:
        raise ValidationError(_("评分已提交，不能再修改。"))
    declared = ConflictDeclaration.objects.filter(
        expert=actor, organisation=application.organisation_id
    )
    if declared.exists():
        raise ValidationError(_("您已声明与该单位存在利益关系，请联系秘书处调整分配。"))
    assignment.application = application
    return assignment


@transaction.atomic
def scores_save(
    *, actor: User, assignment: ExpertAssignment, entries: Mapping[str, Entry], submit: bool = False
) -> ExpertAssignment:
    """Save the expert's draft; with ``submit`` every criterion needs points and the sheet
    locks. The last submission of an application completes its scoring."""
    assignment = _locked_assignment(actor, assignment)
    rubric = scheme_for(assignment.application).review.rubric
    parsed = _parse(rubric, entries)
    _store(actor, assignment, parsed)
    if submit:
        _submit(actor, assignment, rubric)
    return assignment


def _parse(rubric: Rubric, entries: Mapping[str, Entry]) -> dict[str, tuple[Decimal | None, str]]:
    errors: dict[str, list[str]] = {}
    parsed = {}
    for criterion in rubric:
        if criterion.key not in entries:
            continue
        raw, comment = entries[criterion.key]
        try:
            parsed[criterion.key] = (parse_points(raw, criterion), (comment or "").strip())
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return parsed


def _store(actor: User, assignment: ExpertAssignment, parsed: dict) -> None:
    stored = {score.criterion: score for score in assignment.scores.all()}
    old_values: dict[str, object] = {}
    new_values: dict[str, object] = {}
    for key, (points, comment) in parsed.items():
        score = stored.get(key) or Score(assignment=assignment, criterion=key)
        before = (score.points, score.comment) if score.pk else (None, "")
        if before == (points, comment):
            continue
        score.points, score.comment = points, comment
        score.save()
        old_values[key], new_values[key] = _audit_value(*before), _audit_value(points, comment)
    if new_values:
        audit_record(
            actor=actor,
            action="score.save",
            target=assignment.application,
            old_values={"expert": actor.pk, **old_values},
            new_values={"expert": actor.pk, **new_values},
        )


def _audit_value(points: Decimal | None, comment: str) -> str:
    return f"{'' if points is None else points}｜{comment}"


def _submit(actor: User, assignment: ExpertAssignment, rubric: Rubric) -> None:
    points = dict(assignment.scores.values_list("criterion", "points"))
    missing = [c.name for c in rubric if points.get(c.key) is None]
    if missing:
        raise ValidationError(_("提交前请为每一项打分：%(m)s。") % {"m": "、".join(missing)})
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["submitted_at"])
    total = sum((points[c.key] for c in rubric), Decimal(0))
    audit_record(
        actor=actor,
        action="score.submit",
        target=assignment.application,
        new_values={"expert": actor.pk, "total": str(total)},
    )
    _complete_when_all_submitted(assignment.application)


def _complete_when_all_submitted(application: Application) -> None:
    """All assigned experts (at least N) have submitted: the application is scored.

    The system makes this move (no actor): the expert only submitted a score sheet.
    """
    needed = scheme_for(application).review.experts_per_application
    assignments = application.expert_assignments.all()
    if len(assignments) < needed or any(not a.is_submitted for a in assignments):
        return
    transition(
        actor=None,
        application=application,
        action="complete_scoring",
        note=_("%(n)s 位专家均已提交评分。") % {"n": len(assignments)},
    )
