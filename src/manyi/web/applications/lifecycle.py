"""The application lifecycle: one table of allowed transitions, one function that moves.

``transition`` locks the application row, checks the move is allowed from the current state and
that the actor holds the permission, changes the state, writes the audit entry and queues the
notifications, all in one database transaction. Two people acting on the same application at
once cannot both succeed: the second waits for the row lock, then finds the state has moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.web.accounts.models import Role, User
from manyi.web.accounts.permissions import Perm, require
from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.audit.services import audit_record, notify


class IllegalTransition(Exception):
    """The move is not in the table for the application's current state."""


@dataclass(frozen=True)
class Move:
    action: str
    label: Any
    sources: frozenset[str]
    target: str
    permission: Perm


MOVES: tuple[Move, ...] = (
    Move(
        "submit",
        gettext_lazy("提交"),
        frozenset({S.DRAFT, S.RETURNED, S.RETURNED_BY_PROMOTER}),
        S.SUBMITTED,
        Perm.SUBMIT_APPLICATION,
    ),
    Move(
        "recommend",
        gettext_lazy("推荐"),
        frozenset({S.SUBMITTED}),
        S.RECOMMENDED,
        Perm.RECOMMEND_APPLICATION,
    ),
    Move(
        "promoter_return",
        gettext_lazy("推进机构退回"),
        frozenset({S.SUBMITTED}),
        S.RETURNED_BY_PROMOTER,
        Perm.RECOMMEND_APPLICATION,
    ),
    Move(
        "accept", gettext_lazy("受理"), frozenset({S.RECOMMENDED}), S.ACCEPTED, Perm.FORMAL_REVIEW
    ),
    Move(
        "return_for_revision",
        gettext_lazy("退回补正"),
        frozenset({S.RECOMMENDED}),
        S.RETURNED,
        Perm.FORMAL_REVIEW,
    ),
    Move(
        "reject",
        gettext_lazy("不予受理"),
        frozenset({S.RECOMMENDED}),
        S.REJECTED,
        Perm.FORMAL_REVIEW,
    ),
    Move("lapse", gettext_lazy("逾期失效"), frozenset({S.RETURNED}), S.LAPSED, Perm.FORMAL_REVIEW),
    Move(
        "start_expert_review",
        gettext_lazy("开始专家评审"),
        frozenset({S.ACCEPTED}),
        S.EXPERT_REVIEW,
        Perm.ASSIGN_EXPERTS,
    ),
    Move(
        "complete_scoring",
        gettext_lazy("评分完成"),
        frozenset({S.EXPERT_REVIEW}),
        S.SCORED,
        Perm.ASSIGN_EXPERTS,
    ),
    Move("decide", gettext_lazy("拟定等级"), frozenset({S.SCORED}), S.DECIDED, Perm.DECIDE_LEVEL),
    Move(
        "publicise", gettext_lazy("公示"), frozenset({S.DECIDED}), S.PUBLICISED, Perm.DECIDE_LEVEL
    ),
    Move(
        "grant",
        gettext_lazy("发布：授予等级"),
        frozenset({S.PUBLICISED}),
        S.GRANTED,
        Perm.DECIDE_LEVEL,
    ),
    Move(
        "refuse",
        gettext_lazy("发布：不授予"),
        frozenset({S.PUBLICISED}),
        S.NOT_GRANTED,
        Perm.DECIDE_LEVEL,
    ),
    Move(
        "certify", gettext_lazy("发证"), frozenset({S.GRANTED}), S.CERTIFIED, Perm.ISSUE_CERTIFICATE
    ),
    Move(
        "withdraw",
        gettext_lazy("撤回"),
        frozenset(
            {
                S.DRAFT,
                S.SUBMITTED,
                S.RETURNED_BY_PROMOTER,
                S.RECOMMENDED,
                S.RETURNED,
                S.ACCEPTED,
                S.EXPERT_REVIEW,
                S.SCORED,
            }
        ),
        S.WITHDRAWN,
        Perm.WITHDRAW_APPLICATION,
    ),
)
MOVES_BY_ACTION = {move.action: move for move in MOVES}

# Hooks run inside the transition's transaction after the state changed, e.g. to freeze a
# version on submission: action → callables (application, actor, values) → extra audit values.
Hook = Callable[[Application, User, dict[str, Any]], dict[str, Any] | None]
BEFORE_HOOKS: dict[str, list[Hook]] = {}
AFTER_HOOKS: dict[str, list[Hook]] = {}


def on_transition(action: str, *, before: bool = False) -> Callable[[Hook], Hook]:
    def register(hook: Hook) -> Hook:
        (BEFORE_HOOKS if before else AFTER_HOOKS).setdefault(action, []).append(hook)
        return hook

    return register


def allowed_moves(application: Application) -> list[Move]:
    return [move for move in MOVES if application.state in move.sources]


def _recipients(application: Application) -> Iterable[User]:
    members = application.organisation.members.filter(is_active=True)
    promoters = application.promoting_body.members.filter(is_active=True)
    secretariat = User.objects.filter(role=Role.SECRETARIAT, is_active=True)
    return [*members, *promoters, *secretariat]


@transaction.atomic
def transition(
    *,
    actor: User,
    application: Application,
    action: str,
    note: str = "",
    values: dict[str, Any] | None = None,
) -> Application:
    """Move ``application`` by ``action``; IllegalTransition or PermissionDenied otherwise."""
    move = MOVES_BY_ACTION.get(action)
    if move is None:
        raise IllegalTransition(_("未知的操作：%(a)s") % {"a": action})
    application = (
        Application.objects.select_for_update()
        .select_related("organisation", "promoting_body", "campaign")
        .get(pk=application.pk)
    )
    if application.state not in move.sources:
        raise IllegalTransition(
            _("当前状态为“%(s)s”，不能执行“%(a)s”。")
            % {"s": application.get_state_display(), "a": move.label}
        )
    require(actor, move.permission, application)
    values = dict(values or {})
    extra: dict[str, Any] = {}
    for hook in BEFORE_HOOKS.get(action, []):
        extra.update(hook(application, actor, values) or {})
    old_state = application.state
    application.state = move.target
    application.save(update_fields=["state", "updated_at"])
    for hook in AFTER_HOOKS.get(action, []):
        extra.update(hook(application, actor, values) or {})
    audit_record(
        actor=actor,
        action=f"application.{action}",
        target=application,
        old_values={"state": old_state},
        new_values={"state": application.state, **({"note": note} if note else {}), **extra},
    )
    notify(
        _recipients(application),
        subject=_("申报状态变更：%(o)s → %(s)s")
        % {"o": application.organisation.name, "s": application.get_state_display()},
        body=_("%(o)s 的申报（%(c)s）已%(a)s。%(n)s")
        % {
            "o": application.organisation.name,
            "c": application.category,
            "a": move.label,
            "n": note,
        },
    )
    return application
