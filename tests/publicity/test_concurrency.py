"""Two certificates issued at the same moment never get the same number (PostgreSQL only:
SQLite serialises every write anyway)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from manyi.web.applications.models import ApplicationState
from manyi.web.publicity.models import Certificate
from manyi.web.publicity.services import certificate_issue

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are only contended on PostgreSQL"
    ),
]


def test_simultaneous_issues_in_one_category_get_consecutive_numbers(
    secretariat, make_publicised, applicant, other_applicant
):
    applications = [
        make_publicised(owner, category="team", project_name=name, state=ApplicationState.GRANTED)
        for owner, name in ((applicant, "总装一班"), (other_applicant, "客服二班"))
    ]
    start = threading.Barrier(len(applications))
    errors: list[BaseException] = []

    def issue(application) -> None:
        from django.db import connection as thread_connection

        try:
            start.wait()
            certificate_issue(actor=secretariat, application=application)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=issue, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == ["YHMY-2025-02-0001", "YHMY-2025-02-0002"]
