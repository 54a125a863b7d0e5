"""Two people acting on the same application at once: exactly one succeeds.

``transition`` locks the application row (SELECT … FOR UPDATE); the second caller waits for
the lock, then finds the state has moved and gets IllegalTransition. Each thread has its own
database connection, so this needs a database with row locks: PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection
from django.urls import reverse

from manyi.web.applications import lifecycle
from manyi.web.applications.lifecycle import IllegalTransition
from manyi.web.applications.models import ApplicationState as S
from manyi.web.review import services
from manyi.web.review.models import Recommendation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL row locks; SQLite serialises whole-database writes "
            "(run with DATABASE_URL=postgres://…)"
        )


@pytest.fixture
def slow_moves(monkeypatch) -> None:
    """Hold the row lock a little longer so the two callers really overlap."""

    def linger(application, actor, values) -> None:
        time.sleep(0.3)

    for action in ("recommend", "promoter_return"):
        hooks = [*lifecycle.BEFORE_HOOKS.get(action, []), linger]
        monkeypatch.setitem(lifecycle.BEFORE_HOOKS, action, hooks)


def race(*calls: Callable[[], object]) -> list[object]:
    """Start every call at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_a_recommendation_and_a_return_at_once(submitted, promoter, second_promoter, slow_moves):
    outcomes = race(
        lambda: services.application_recommend(
            actor=promoter, application=submitted, opinion="同意推荐。"
        ),
        lambda: services.application_promoter_return(
            actor=second_promoter, application=submitted, reasons="请补充材料。"
        ),
    )
    failures = [o for o in outcomes if isinstance(o, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], IllegalTransition), outcomes
    [winner] = [o for o in outcomes if isinstance(o, Recommendation)]
    submitted.refresh_from_db()
    expected = {"recommend": S.RECOMMENDED, "return": S.RETURNED_BY_PROMOTER}[winner.decision]
    assert submitted.state == expected
    assert Recommendation.objects.count() == 1


def test_two_promoters_posting_recommend_at_once(submitted, promoter, second_promoter, slow_moves):
    from django.test import Client

    def post_as(user) -> Callable[[], int]:
        def post() -> int:
            client = Client()
            client.force_login(user)
            url = reverse("review:recommend", args=[submitted.pk])
            return client.post(url, {"opinion": f"{user.username} 同意推荐。"}).status_code

        return post

    codes = race(post_as(promoter), post_as(second_promoter))
    assert sorted(codes) == [200, 302], codes  # one redirect; one page with the error
    assert Recommendation.objects.count() == 1
    submitted.refresh_from_db()
    assert submitted.state == S.RECOMMENDED
