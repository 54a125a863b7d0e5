"""Recomputing the satisfaction index from the uploaded survey database."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from manyi.measurement.samples import sample_survey
from manyi.web.applications import services
from manyi.web.applications.precheck import run_precheck
from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis
from manyi.web.surveys.services import survey_analysis_start

pytestmark = pytest.mark.django_db

CODEBOOK_NAME = "码本.toml"


@pytest.fixture
def application(applicant, open_campaign, promoting_body):
    return services.application_create(
        actor=applicant,
        campaign=open_campaign,
        category="enterprise",
        level="three",
        kind="initial",
        promoting_body=promoting_body,
    )


def upload(application, user, key, name, data):
    return services.material_upload(
        actor=user,
        application=application,
        material_key=key,
        uploaded=SimpleUploadedFile(name, data),
    )


def items_by_rule(application):
    application.refresh_from_db()
    return {item.code: item for item in run_precheck(application).items}


def test_uploading_the_database_runs_the_check_and_recomputes_the_index(
    application, applicant, django_capture_on_commit_callbacks
):
    survey = sample_survey(120, seed=3)
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "数据.xlsx", survey.database)
    analysis = SurveyAnalysis.objects.get()
    assert analysis.status == AnalysisStatus.DONE
    assert 0 < analysis.recomputed_index < 100
    assert analysis.quality["n_raw"] == 120
    assert analysis.records.name.endswith(".xlsx") and analysis.report.name.endswith(".pdf")
    item = items_by_rule(application)["survey.score"]
    assert item.status == "warn" and "尚未填写满意度" in item.message


def test_a_declared_score_far_from_the_data_is_a_warning(
    application, applicant, django_capture_on_commit_callbacks
):
    survey = sample_survey(120, seed=3)
    services.application_save_form(
        actor=applicant, application=application, raw_values={"satisfaction_score": "95"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "数据.xlsx", survey.database)
    analysis = SurveyAnalysis.objects.get()
    item = items_by_rule(application)["survey.score"]
    assert item.status == "warn" and "95" in item.message
    services.application_save_form(
        actor=applicant,
        application=application,
        raw_values={"satisfaction_score": f"{analysis.recomputed_index:.1f}"},
    )
    assert items_by_rule(application)["survey.score"].status == "pass"


def test_a_codebook_gives_the_scale_and_interviews_before_the_start_date_fail(
    client, application, applicant, django_capture_on_commit_callbacks
):
    import datetime

    survey = sample_survey(80, seed=4, start=datetime.date(2024, 11, 1))
    upload(application, applicant, "survey_database", "数据.xlsx", survey.database)
    with django_capture_on_commit_callbacks(execute=True):
        survey_analysis_start(
            actor=applicant,
            application=application,
            codebook=SimpleUploadedFile(CODEBOOK_NAME, survey.codebook.encode()),
        )
    analysis = SurveyAnalysis.objects.order_by("-id").first()
    assert analysis.codebook_name == CODEBOOK_NAME
    application.refresh_from_db()
    failing = [
        i for i in run_precheck(application).items if i.code == "survey.date" and i.status == "fail"
    ]
    assert any("访问日期早于开始日期" in i.message for i in failing)
    assert all(i.source == "seed" and "2025年1月1日之后" in i.quote for i in failing)


def test_a_respondent_list_that_is_too_short_fails(
    application, applicant, django_capture_on_commit_callbacks
):
    survey = sample_survey(120, seed=5, listed=20)
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "数据.xlsx", survey.database)
        upload(application, applicant, "respondent_list", "名单.xlsx", survey.respondent_list)
    application.refresh_from_db()
    failing = [
        i
        for i in run_precheck(application).items
        if i.code.startswith("survey.") and i.status == "fail"
    ]
    assert any("50" in i.message for i in failing)


def test_an_unreadable_database_is_reported_not_crashed(
    application, applicant, django_capture_on_commit_callbacks
):
    bad = "编号,imag1\nR1,abc\n".encode("gb18030")
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "数据.csv", bad)
    analysis = SurveyAnalysis.objects.get()
    assert analysis.status in (AnalysisStatus.FAILED, AnalysisStatus.DONE)
    item = next(i for i in run_precheck(application).items if i.code.startswith("survey."))
    assert item.status in ("fail", "warn")


def test_a_malformed_codebook_is_refused_and_nothing_is_queued(application, applicant):
    from django.core.exceptions import ValidationError

    survey = sample_survey(60)
    upload(application, applicant, "survey_database", "数据.xlsx", survey.database)
    before = SurveyAnalysis.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        survey_analysis_start(
            actor=applicant,
            application=application,
            codebook=SimpleUploadedFile("码本.toml", b"[construct.SAT\n"),
        )
    assert "码本" in str(excinfo.value) or "TOML" in str(excinfo.value)
    assert SurveyAnalysis.objects.count() == before


def test_the_results_page_shows_recomputed_declared_and_difference(
    client, application, applicant, django_capture_on_commit_callbacks
):
    survey = sample_survey(100, seed=6)
    services.application_save_form(
        actor=applicant, application=application, raw_values={"satisfaction_score": "80"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "数据.xlsx", survey.database)
    client.force_login(applicant)
    page = client.get(reverse("surveys:analysis", args=[application.pk])).content.decode()
    assert 'data-testid="recomputed-index"' in page and 'data-testid="score-difference"' in page
    assert 'data-testid="ipa-chart"' in page and "<svg" in page
    analysis = SurveyAnalysis.objects.get()
    response = client.get(reverse("surveys:download", args=[analysis.pk, "records"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
