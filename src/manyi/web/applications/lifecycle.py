"""The application lifecycle: one table of allowed transitions, one function that moves.

``transition`` locks the application row, checks the move is allowed from the current state and
that the actor may make it, changes the state, runs the move's hooks, writes the audit entry and
queues the notice, all in one database transaction. Two people acting on the same application at
once cannot both succeed: the second waits for the row lock, then finds the state has moved.

Moves the system makes by itself (a lapsed deadline, the last expert's score) are marked
``automatic``: they run with ``actor=None`` and the audit log records the system, not a person.

Effects of a move, in order:

* ``before`` hooks (e.g. the formal review stores the revision deadline and sends its findings);
* the new state;
* ``after`` hooks (a submission freezes a version; a resubmission marks the sent findings
  "resubmitted" for the secretariat to verify);
* one audit entry with the old and new state, the note and what the hooks returned;
* one notice to the organisation's members, the promoting body (once it has seen the
  application) and the secretariat, in words, with a link to the application.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.web.accounts.models import Role, User
from manyi.web.accounts.permissions import Perm, application_visible, has_perm
from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.audit.services import audit_record, notify
from manyi.web.campaigns.selectors import scheme_for_campaign
from manyi.web.core.links import public_url


class IllegalTransition(Exception):
    """The move is not in the table for the application's current state."""


@dataclass(frozen=True)
class Move:
    action: str
    label: Any
    sources: frozenset[str]
    target: str
    permission: Perm
    # The system may make this move by itself (actor None), e.g. when a deadline passes.
    automatic: bool = False


MOVES: tuple[Move, ...] = (
    Move(
        "submit",
        gettext_lazy("提交"),
        frozenset({S.DRAFT, S.RETURNED_BY_PROMOTER}),
        S.SUBMITTED,
        Perm.SUBMIT_APPLICATION,
    ),
    # After the secretariat's return the corrected version goes straight back to the
    # secretariat's formal review: the promoting body has already recommended it.
    Move(
        "resubmit",
        gettext_lazy("补正后重新提交"),
        frozenset({S.RETURNED}),
        S.RECOMMENDED,
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
    Move(
        "lapse",
        gettext_lazy("逾期失效"),
        frozenset({S.RETURNED}),
        S.LAPSED,
        Perm.FORMAL_REVIEW,
        automatic=True,
    ),
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
        automatic=True,
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

# Hooks run inside the transition's transaction, e.g. to freeze a version on submission:
# action → callables (application, actor or None, values) → extra audit values.
Hook = Callable[[Application, User | None, dict[str, Any]], dict[str, Any] | None]
BEFORE_HOOKS: dict[str, list[Hook]] = {}
AFTER_HOOKS: dict[str, list[Hook]] = {}


def on_transition(*actions: str, before: bool = False) -> Callable[[Hook], Hook]:
    def register(hook: Hook) -> Hook:
        for action in actions:
            hooks = (BEFORE_HOOKS if before else AFTER_HOOKS).setdefault(action, [])
            if hook not in hooks:
                hooks.append(hook)
        return hook

    return register


def allowed_moves(application: Application) -> list[Move]:
    return [move for move in MOVES if application.state in move.sources]


def may_move(actor: User | None, application: Application, action: str) -> bool:
    """Whether ``actor`` (None: the system) may make ``action`` on ``application`` now."""
    move = MOVES_BY_ACTION.get(action)
    if move is None or application.state not in move.sources:
        return False
    if actor is None:
        return move.automatic
    return has_perm(actor, move.permission, application)


def _recipients(application: Application) -> list[User]:
    members = application.organisation.members.filter(is_active=True)
    promoters = application.promoting_body.members.filter(is_active=True)
    secretariat = User.objects.filter(role=Role.SECRETARIAT, is_active=True)
    return [
        user
        for user in [*members, *promoters, *secretariat]
        if user.role != Role.PROMOTER or application_visible(user, application)
    ]


def _names(application: Application) -> dict[str, str]:
    scheme = scheme_for_campaign(application.campaign)
    project = f"“{application.project_name}”" if application.project_name else ""
    return {
        "o": application.organisation.name,
        "c": scheme.category(application.category).name,
        "l": scheme.level(application.level).name,
        "p": project,
    }


def notice_text(
    application: Application, move: Move, note: str = "", extra: Sequence[str] = ()
) -> tuple[str, str]:
    """The subject and body of the notice of a move: names, not keys, and a link."""
    names = _names(application)
    subject = _("%(c)s%(p)s申报%(a)s：%(o)s") % {**names, "a": move.label}
    lines = [
        _("%(o)s的%(c)s%(p)s申报（申请等级：%(l)s）已%(a)s，当前状态：%(s)s。")
        % {**names, "a": move.label, "s": application.get_state_display()}
    ]
    if note:
        lines.append(note)
    lines.extend(extra)
    url = public_url(reverse("applications:overview", args=[application.pk]))
    lines.append(_("查看申报：%(u)s") % {"u": url})
    return subject, "\n".join(lines)


@transaction.atomic
def transition(
    *,
    actor: User | None,
    application: Application,
    action: str,
    note: str = "",
    values: dict[str, Any] | None = None,
    notice: Sequence[str] = (),
) -> Application:
    """Move ``application`` by ``action``; IllegalTransition or PermissionDenied otherwise.

    ``actor`` None is the system, allowed only for automatic moves; ``notice`` adds lines to
    the notice (e.g. a certificate's number and verification link).
    """
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
    if not may_move(actor, application, action):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
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
    subject, body = notice_text(application, move, note, notice)
    notify(_recipients(application), subject=subject, body=body)
    return application
