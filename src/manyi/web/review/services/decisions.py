"""Level decisions in bulk and their move to the 公示."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.web.accounts.models import User
from manyi.web.applications.lifecycle import IllegalTransition, on_transition, transition
from manyi.web.applications.models import Application
from manyi.web.review.selectors import score_summary, suggested_level
from manyi.web.review.services.common import scheme_for


def allowed_decisions(application: Application) -> list[str]:
    """Levels the application may be given: eligible for its category, not above the level
    applied for; "" is 不授予."""
    scheme = scheme_for(application)
    order = [level.key for level in scheme.levels]
    below = order[order.index(application.level) :]
    return [key for key in below if scheme.is_eligible(application.category, key)] + [""]


def level_label(application: Application, level: str) -> str:
    return scheme_for(application).level(level).name if level else _("不授予")


@transaction.atomic
def levels_decide(*, actor: User, decisions: Mapping[int, str]) -> list[Application]:
    """Propose a level for each scored application (pk → level key or "" for 不授予).

    All or nothing: one refused application rolls the whole batch back.
    """
    if not decisions:
        raise ValidationError(_("请至少选择一个申报。"))
    applications = list(Application.objects.filter(pk__in=list(decisions)).order_by("pk"))
    if len(applications) != len(decisions):
        raise ValidationError(_("所选申报不存在。"))
    decided = []
    for application in applications:
        level = decisions[application.pk]
        if level not in allowed_decisions(application):
            raise ValidationError(
                _("%(a)s 不能拟定为%(l)s。")
                % {"a": application, "l": level_label(application, level)}
            )
        decided.append(
            _move(actor, application, "decide", level_label(application, level), level=level)
        )
    return decided


@transaction.atomic
def applications_publicise(
    *, actor: User, applications: Iterable[Application]
) -> list[Application]:
    """Put decided applications on the 公示 (all or nothing)."""
    moved = [_move(actor, application, "publicise", "") for application in applications]
    if not moved:
        raise ValidationError(_("请至少选择一个申报。"))
    return moved


def _move(
    actor: User, application: Application, action: str, note: str, **values: Any
) -> Application:
    try:
        return transition(
            actor=actor, application=application, action=action, note=note, values=values
        )
    except IllegalTransition as exc:
        raise ValidationError(f"{application}：{exc}") from exc


@on_transition("decide", before=True)
def _set_proposed_level(application: Application, actor: User, values: dict) -> dict[str, Any]:
    """The level given in ``values``; else one already set; else the one the score suggests."""
    if "level" in values:
        level = values["level"]
    else:
        level = application.proposed_level or suggested_level(
            application, score_summary(application)
        )
    application.proposed_level = level
    application.save(update_fields=["proposed_level"])
    return {"proposed_level": level or "none"}
