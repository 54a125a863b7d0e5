"""Every lifecycle state × every action × every role, against the table below.

The table is written here, independently of the code: who may make each move, and who may see
an application. The moves' source states are the lifecycle's own table (``MOVES``). For every
case the permission check (``may_move``, which ``transition`` uses), the object permission,
the selectors and the page must all agree with the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from manyi.web.accounts.models import PromotingBody, Role
from manyi.web.accounts.permissions import Perm, has_perm
from manyi.web.accounts.services import ProfileFigures, organisation_register, staff_user_create
from manyi.web.applications import services
from manyi.web.applications.lifecycle import MOVES, MOVES_BY_ACTION, may_move
from manyi.web.applications.models import Application, ApplicationState, SubmittedVersion
from manyi.web.applications.selectors import applications_visible_to
from manyi.web.review.models import ExpertAssignment
from manyi.web.review.selectors import promoter_queue
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# Who may make each move (besides being able to see the application).
WHO_MOVES = {
    "submit": {"owner"},
    "resubmit": {"owner"},
    "withdraw": {"owner"},
    "recommend": {"promoter"},
    "promoter_return": {"promoter"},
    "accept": {"secretariat"},
    "return_for_revision": {"secretariat"},
    "reject": {"secretariat"},
    "lapse": {"secretariat", "system"},
    "start_expert_review": {"secretariat"},
    "complete_scoring": {"secretariat", "system"},
    "decide": {"secretariat"},
    "publicise": {"secretariat"},
    "grant": {"secretariat"},
    "refuse": {"secretariat"},
    "certify": {"secretariat"},
}


def sees(role: str, submitted_before: bool) -> bool:
    """Who may see the application: the organisation, its promoting body once it was
    submitted, the secretariat, the experts assigned to it."""
    return {
        "owner": True,
        "stranger": False,
        "promoter": submitted_before,
        "other_promoter": False,
        "secretariat": True,
        "assigned_expert": True,
        "unassigned_expert": False,
        "system": True,
    }[role]


ROLES = (
    "owner",
    "stranger",
    "promoter",
    "other_promoter",
    "secretariat",
    "assigned_expert",
    "unassigned_expert",
    "system",
)
# Every state; a withdrawn application both after a submission and as a never-submitted draft.
CASES = [(state, state != ApplicationState.DRAFT) for state in ApplicationState.values] + [
    (ApplicationState.WITHDRAWN, False)
]


def test_the_table_names_every_move():
    assert set(WHO_MOVES) == {move.action for move in MOVES}


@dataclass
class World:
    application: Application
    users: dict[str, object]


def _staff(username: str, role: str, body: PromotingBody | None = None):
    return staff_user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role=role,
        full_name=username,
        promoting_body=body,
    )


def _organisation(code: str, name: str, username: str):
    return organisation_register(
        credit_code=code,
        name=name,
        figures=ProfileFigures("65", employees=50, revenue=800),
        username=username,
        password=PASSWORD,
        full_name=username,
        email=f"{username}@example.cn",
    )


def build_world(campaign, state: str, submitted_before: bool) -> World:
    body = PromotingBody.objects.create(name="福建省质量管理协会")
    other_body = PromotingBody.objects.create(name="北京市质量协会")
    users = {
        "owner": _organisation("91350100M000100Y43", "本单位有限公司", "owner"),
        "stranger": _organisation("91110108551385082Q", "其他单位有限公司", "stranger"),
        "promoter": _staff("tuijin", Role.PROMOTER, body),
        "other_promoter": _staff("beijing", Role.PROMOTER, other_body),
        "secretariat": _staff("mishu", Role.SECRETARIAT),
        "assigned_expert": _staff("zhuanjia", Role.EXPERT),
        "unassigned_expert": _staff("other_expert", Role.EXPERT),
        "system": None,
    }
    application = services.application_create(
        actor=users["owner"],
        campaign=campaign,
        category="enterprise",
        level="three",
        kind="initial",
        promoting_body=body,
    )
    if submitted_before:
        SubmittedVersion.objects.create(
            application=application, number=1, submitted_by=users["owner"]
        )
    ExpertAssignment.objects.create(
        application=application, expert=users["assigned_expert"], assigned_by=users["secretariat"]
    )
    Application.objects.filter(pk=application.pk).update(state=state)
    application.refresh_from_db()
    return World(application, users)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("state", "submitted_before"), CASES)
def test_every_action_in_every_state_follows_the_table(
    client, open_campaign, state, submitted_before, role
):
    world = build_world(open_campaign, state, submitted_before)
    user, application = world.users[role], world.application
    visible = sees(role, submitted_before)
    wrong = []
    for action, movers in WHO_MOVES.items():
        expected = state in MOVES_BY_ACTION[action].sources and role in movers and visible
        if may_move(user, application, action) != expected:
            wrong.append(f"{action}: expected {'allowed' if expected else 'refused'}")
    assert not wrong, f"{role} in {state}: {wrong}"
    if user is None:
        return
    assert has_perm(user, Perm.VIEW_APPLICATION, application) == visible
    assert applications_visible_to(user).filter(pk=application.pk).exists() == visible
    if user.role == Role.PROMOTER:
        assert promoter_queue(user).filter(pk=application.pk).exists() == visible
    response = client.get(reverse("applications:overview", args=[application.pk]))
    assert response.status_code == 302  # logged out
    client.force_login(user)
    response = client.get(reverse("applications:overview", args=[application.pk]))
    assert response.status_code == (200 if visible else 403)
