"""Decisions: a ranked table per category, levels proposed in bulk, then the 公示."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from manyi.web.applications.lifecycle import IllegalTransition, transition
from manyi.web.applications.models import ApplicationState as S
from manyi.web.review import services
from manyi.web.review.selectors import ranking

pytestmark = pytest.mark.django_db


@pytest.fixture
def field(scored, applicant, other_applicant):
    """Four scored applications in three categories."""
    return {
        "enterprise": scored([85, 85, 85], level="four"),
        "team": scored([92, 91, 93], category="team", level="five"),
        "service_a": scored(
            [75, 75, 75], user=other_applicant, category="service", level="five",
            project_name="服务A",
        ),
        "service_b": scored([60, 62, 58], category="service", level="four", project_name="服务B"),
    }  # fmt: skip


def test_the_table_ranks_by_score_per_category_with_the_suggested_level(field):
    tables = {table.key: table for table in ranking()}
    assert list(tables) == ["enterprise", "team", "service"]  # the scheme's order
    service = tables["service"].rows
    assert [(r.rank, r.application, r.summary.score) for r in service] == [
        (1, field["service_a"], Decimal("75.00")),
        (2, field["service_b"], Decimal("60.00")),
    ]
    suggested = {r.application: r.suggested_level for t in tables.values() for r in t.rows}
    assert suggested == {
        field["enterprise"]: "four",
        field["team"]: "five",
        field["service_a"]: "three",  # applied for five, reaches only the 三星 line
        field["service_b"]: "",  # below every line: 不授予
    }


def test_levels_are_proposed_in_bulk_and_may_be_adjusted(field, secretariat):
    chosen = {
        field["enterprise"].pk: "three",  # adjusted down from the suggested four
        field["team"].pk: "five",
        field["service_b"].pk: "",
    }
    services.levels_decide(actor=secretariat, decisions=chosen)
    for key, level in (("enterprise", "three"), ("team", "five"), ("service_b", "")):
        field[key].refresh_from_db()
        assert (field[key].state, field[key].proposed_level) == (S.DECIDED, level)
    field["service_a"].refresh_from_db()
    assert field["service_a"].state == S.SCORED


def test_a_level_above_the_one_applied_for_rolls_the_batch_back(field, secretariat):
    with pytest.raises(ValidationError):
        services.levels_decide(
            actor=secretariat,
            decisions={field["team"].pk: "five", field["service_b"].pk: "five"},
        )
    field["team"].refresh_from_db()
    assert field["team"].state == S.SCORED


def test_deciding_without_a_level_takes_the_suggestion(field, secretariat):
    application = transition(actor=secretariat, application=field["service_a"], action="decide")
    assert application.proposed_level == "three"


def test_decided_applications_go_to_the_publicity_in_bulk(field, secretariat):
    services.levels_decide(
        actor=secretariat, decisions={field["enterprise"].pk: "four", field["team"].pk: "five"}
    )
    services.applications_publicise(
        actor=secretariat, applications=[field["enterprise"], field["team"]]
    )
    for key in ("enterprise", "team"):
        field[key].refresh_from_db()
        assert field[key].state == S.PUBLICISED
    with pytest.raises(ValidationError):
        services.applications_publicise(actor=secretariat, applications=[field["service_a"]])


def test_a_scored_application_cannot_skip_the_decision(field, secretariat):
    with pytest.raises(IllegalTransition):
        transition(actor=secretariat, application=field["team"], action="publicise")


def test_the_pages_decide_and_publicise(client, field, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("review:decisions"))
    assert page.status_code == 200
    assert 'data-testid="ranking-service"' in page.content.decode()
    ids = [field["enterprise"].pk, field["service_a"].pk]
    response = client.post(
        reverse("review:decisions"),
        {"selected": ids, f"level_{ids[0]}": "four", f"level_{ids[1]}": "three"},
    )
    assert response.status_code == 302
    page = client.get(reverse("review:publicise"))
    assert {a for a, _score in page.context["rows"]} == {field["enterprise"], field["service_a"]}
    response = client.post(reverse("review:publicise"), {"selected": [ids[0]]})
    assert response.status_code == 302
    field["enterprise"].refresh_from_db()
    field["service_a"].refresh_from_db()
    assert (field["enterprise"].state, field["service_a"].state) == (S.PUBLICISED, S.DECIDED)


@pytest.mark.parametrize("who", ["applicant", "promoter", "three_experts"])
def test_only_the_secretariat_decides(client, request, who, field):
    user = request.getfixturevalue(who)
    client.force_login(user[0] if isinstance(user, list) else user)
    assert client.get(reverse("review:decisions")).status_code == 403
    response = client.post(
        reverse("review:decisions"),
        {"selected": [field["team"].pk], f"level_{field['team'].pk}": "five"},
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("review:publicise"), {"selected": [field["team"].pk]}).status_code
        == 403
    )
    field["team"].refresh_from_db()
    assert field["team"].state == S.SCORED
