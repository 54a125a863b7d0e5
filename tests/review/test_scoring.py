"""Scoring: experts see only their own assignments and their own scores; drafts, submission,
audit of every change, aggregation and the spread flag."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from manyi.web.applications.models import ApplicationState as S
from manyi.web.audit.models import AuditEntry
from manyi.web.review import services
from manyi.web.review.selectors import score_summary
from tests.review.conftest import entries_for, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(make_in_state, applicant, secretariat, three_experts):
    application = make_in_state(applicant, S.ACCEPTED)
    for expert in three_experts:
        services.expert_assign(actor=secretariat, application=application, expert=expert)
    application.refresh_from_db()
    return application


@pytest.fixture
def elsewhere(make_in_state, other_applicant, secretariat, make_expert):
    """Another application in review, assigned to other experts."""
    application = make_in_state(other_applicant, S.ACCEPTED)
    for n in range(3):
        expert = make_expert(f"other{n}").user
        services.expert_assign(actor=secretariat, application=application, expert=expert)
    return application


def test_an_expert_lists_only_their_own_assignments(client, in_review, elsewhere, three_experts):
    client.force_login(three_experts[0])
    page = client.get(reverse("review:my_assignments"))
    assert [a.application for a in page.context["assignments"]] == [in_review]
    assert elsewhere.organisation.name not in page.content.decode()


def test_an_expert_gets_403_on_applications_not_assigned_to_them(
    client, in_review, elsewhere, three_experts
):
    client.force_login(three_experts[0])
    assert client.get(reverse("review:score_sheet", args=[in_review.pk])).status_code == 200
    for url in (
        reverse("review:score_sheet", args=[elsewhere.pk]),
        reverse("applications:overview", args=[elsewhere.pk]),
        reverse("review:findings", args=[elsewhere.pk]),
    ):
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("review:score_sheet", args=[elsewhere.pk]), {"points_planning": "10"}
    )
    assert response.status_code == 403


def test_an_expert_never_sees_another_experts_scores(client, in_review, three_experts):
    first, second, _third = three_experts
    score(in_review, first, 83, comment="第一位专家的独家评语")
    client.force_login(second)
    url = reverse("review:score_sheet", args=[in_review.pk])
    assert "第一位专家的独家评语" not in client.get(url).content.decode()
    score(in_review, second, 80, comment="第二位专家的评语")
    page = client.get(url)
    assert page.context["total"] == Decimal(80)
    assert "第二位专家的评语" in page.content.decode()
    assert "第一位专家的独家评语" not in page.content.decode()
    assert str(first) not in page.content.decode()


def test_a_draft_can_change_and_a_submission_locks(in_review, three_experts):
    expert = three_experts[0]
    assignment = in_review.expert_assignments.get(expert=expert)
    services.scores_save(
        actor=expert, assignment=assignment, entries={"planning": ("12.5", "初稿")}
    )
    services.scores_save(actor=expert, assignment=assignment, entries=entries_for(88))
    assignment.refresh_from_db()
    assert not assignment.is_submitted
    services.scores_save(actor=expert, assignment=assignment, entries={}, submit=True)
    assignment.refresh_from_db()
    assert assignment.is_submitted
    with pytest.raises(ValidationError, match="已提交"):
        services.scores_save(actor=expert, assignment=assignment, entries=entries_for(90))


def test_every_criterion_needs_points_before_submitting(in_review, three_experts):
    expert = three_experts[0]
    assignment = in_review.expert_assignments.get(expert=expert)
    with pytest.raises(ValidationError, match="满意度测量结果"):
        services.scores_save(
            actor=expert,
            assignment=assignment,
            entries={"planning": ("10", "")},
            submit=True,
        )


@pytest.mark.parametrize("points", ["-1", "20.01", "abc", "1.234"])
def test_points_stay_within_zero_and_the_maximum(points, in_review, three_experts):
    expert = three_experts[0]
    assignment = in_review.expert_assignments.get(expert=expert)
    with pytest.raises(ValidationError) as raised:
        services.scores_save(
            actor=expert, assignment=assignment, entries={"planning": (points, "")}
        )
    assert "planning" in raised.value.message_dict


def test_only_the_assigned_expert_scores(in_review, three_experts, make_expert, secretariat):
    assignment = in_review.expert_assignments.get(expert=three_experts[0])
    for intruder in (three_experts[1], make_expert("stranger").user, secretariat):
        with pytest.raises(PermissionDenied):
            services.scores_save(actor=intruder, assignment=assignment, entries=entries_for(50))


def test_score_changes_are_audited_with_old_and_new_values(in_review, three_experts):
    expert = three_experts[0]
    assignment = in_review.expert_assignments.get(expert=expert)
    services.scores_save(actor=expert, assignment=assignment, entries={"planning": ("12", "")})
    services.scores_save(actor=expert, assignment=assignment, entries={"planning": ("15", "好")})
    last = AuditEntry.objects.filter(action="score.save").latest("id")
    assert last.old_values == {"expert": expert.pk, "planning": "12.00｜"}
    assert last.new_values == {"expert": expert.pk, "planning": "15｜好"}


def test_when_all_experts_submitted_the_application_is_scored(in_review, three_experts):
    for expert, total in zip(three_experts, (80, 85, 90), strict=True):
        in_review.refresh_from_db()
        assert in_review.state == S.EXPERT_REVIEW
        score(in_review, expert, total)
    in_review.refresh_from_db()
    assert in_review.state == S.SCORED
    summary = score_summary(in_review)
    assert summary.totals == [Decimal(80), Decimal(85), Decimal(90)]
    assert summary.score == Decimal("85.00")  # trimmed mean (2025 default) of three: the middle


def test_scoring_completes_as_the_system_not_as_a_secretariat_member(in_review, three_experts):
    for expert, total in zip(three_experts, (80, 85, 90), strict=True):
        score(in_review, expert, total)
    entry = AuditEntry.objects.get(action="application.complete_scoring")
    assert entry.actor is None and entry.actor_label == ""


def test_the_aggregation_follows_the_scheme(monkeypatch, scored):
    from manyi.web.review import selectors

    application = scored([70, 80, 99])
    assert score_summary(application).score == Decimal("80.00")
    scheme = selectors.scheme_for(application)
    mean_scheme = scheme.model_copy(
        update={"review": scheme.review.model_copy(update={"aggregation": "mean"})}
    )
    monkeypatch.setattr(selectors, "scheme_for", lambda application: mean_scheme)
    assert score_summary(application).score == Decimal("83.00")


def test_a_wide_spread_is_flagged_to_the_secretariat(client, scored, secretariat):
    calm = scored([80, 85, 90])
    assert not score_summary(calm).flagged
    wide = scored([70, 80, 95.5], category="team")
    summary = score_summary(wide)
    assert (summary.spread, summary.flagged) == (Decimal("25.5"), True)
    client.force_login(secretariat)
    page = client.get(reverse("review:application_experts", args=[wide.pk]))
    assert 'data-testid="spread-flag"' in page.content.decode()


def test_scoring_through_the_page(client, in_review, three_experts):
    expert = three_experts[0]
    client.force_login(expert)
    url = reverse("review:score_sheet", args=[in_review.pk])
    data = {f"points_{k}": str(p) for k, (p, _c) in entries_for(86).items()}
    data["comment_planning"] = "策划系统。"
    assert client.post(url, {**data, "save": "1"}).status_code == 302
    assert client.post(url, {**data, "submit": "1"}).status_code == 302
    assignment = in_review.expert_assignments.get(expert=expert)
    assert assignment.is_submitted
    page = client.get(url)
    assert page.context["locked"] and page.context["total"] == Decimal(86)
    too_many = client.post(url, {**data, "points_planning": "25", "submit": "1"})
    assert too_many.status_code == 200
    assignment.refresh_from_db()
    assert assignment.scores.get(criterion="planning").points != Decimal(25)


def test_a_declared_conflict_stops_the_expert_from_scoring(in_review, three_experts):
    expert = three_experts[0]
    services.conflict_declare(actor=expert, organisation=in_review.organisation, reason="亲属。")
    assignment = in_review.expert_assignments.get(expert=expert)
    with pytest.raises(ValidationError, match="利益关系"):
        services.scores_save(actor=expert, assignment=assignment, entries=entries_for(80))


def test_the_score_sheet_links_every_material_and_shows_the_recomputed_index(
    client, submitted, secretariat, three_experts
):
    from manyi.web.applications.models import Application
    from manyi.web.applications.selectors import current_files_by_material
    from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis

    Application.objects.filter(pk=submitted.pk).update(state=S.ACCEPTED)
    for expert in three_experts:
        services.expert_assign(actor=secretariat, application=submitted, expert=expert)
    files = current_files_by_material(submitted)
    SurveyAnalysis.objects.create(
        application=submitted,
        database=files["survey_database"][0],
        requested_by=secretariat,
        status=AnalysisStatus.DONE,
        declared_score=Decimal("86.5"),
        recomputed_index=81.234,
        index_low=79.1,
        index_high=83.4,
    )
    client.force_login(three_experts[0])
    html = client.get(reverse("review:score_sheet", args=[submitted.pk])).content.decode()
    for stored in (f for material in files.values() for f in material):
        assert reverse("applications:file", args=[stored.pk]) in html
    assert reverse("applications:package", args=[submitted.pk]) in html
    declared = submitted.form_data["satisfaction_score"]
    assert f'data-testid="declared-score">{declared}<' in html
    assert "81.23" in html and "79.10–83.40" in html
    for name in ("practice_report", "survey_database"):
        stored = files[name][0]
        response = client.get(reverse("applications:file", args=[stored.pk]))
        assert response.status_code == 200
