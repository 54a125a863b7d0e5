"""Applications not resubmitted by their deadline lapse (function, Celery task, command)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.audit.models import AuditEntry
from manyi.web.review.services import lapse_overdue
from manyi.web.review.tasks import lapse_overdue_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(make_in_state, applicant, secretariat):
    application = make_in_state(applicant, S.RETURNED)
    deadline = timezone.localdate() + datetime.timedelta(days=3)
    Application.objects.filter(pk=application.pk).update(revision_deadline=deadline)
    application.refresh_from_db()
    return application


def state_of(application) -> str:
    application.refresh_from_db()
    return application.state


def test_nothing_lapses_on_or_before_the_deadline(returned):
    assert lapse_overdue(today=returned.revision_deadline) == []
    assert state_of(returned) == S.RETURNED


def test_after_the_deadline_it_lapses_as_the_system_not_a_person(returned, secretariat):
    day_after = returned.revision_deadline + datetime.timedelta(days=1)
    assert lapse_overdue(today=day_after) == [returned]
    assert state_of(returned) == S.LAPSED
    entry = AuditEntry.objects.get(action="application.lapse")
    assert entry.actor is None and entry.actor_label == ""
    assert "已过" in entry.new_values["note"]


def test_it_lapses_even_when_no_secretariat_account_exists(returned):
    returned.created_by.__class__.objects.filter(role="secretariat").delete()
    later = returned.revision_deadline + datetime.timedelta(days=1)
    assert lapse_overdue(today=later) == [returned]


def test_a_resubmitted_application_does_not_lapse(returned, secretariat):
    Application.objects.filter(pk=returned.pk).update(state=S.SUBMITTED)
    assert lapse_overdue(today=returned.revision_deadline + datetime.timedelta(days=9)) == []
    assert state_of(returned) == S.SUBMITTED


def test_the_celery_task_lapses_overdue_applications(returned, secretariat):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Application.objects.filter(pk=returned.pk).update(revision_deadline=yesterday)
    assert lapse_overdue_task.delay().get() == [returned.pk]
    assert state_of(returned) == S.LAPSED


def test_the_management_command(returned, secretariat, capsys):
    """What ``manyi manage lapse_overdue --date …`` runs."""
    later = returned.revision_deadline + datetime.timedelta(days=1)
    call_command("lapse_overdue", date=later.isoformat())
    assert "逾期失效 1 件" in capsys.readouterr().out
    assert state_of(returned) == S.LAPSED


def test_the_audit_log_names_the_system_for_an_automatic_move(client, returned, secretariat):
    lapse_overdue(today=returned.revision_deadline + datetime.timedelta(days=1))
    client.force_login(secretariat)
    page = client.get(reverse("publicity:audit") + "?target_type=applications.application")
    row = next(line for line in page.content.decode().split("<tr>") if "逾期失效" in line)
    assert "系统" in row and "秘书处" not in row
