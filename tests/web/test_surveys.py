"""Recomputing the satisfaction index from the uploaded survey database, and what the
measurement step declares (survey period, question mapping)."""

from __future__ import annotations

import datetime
import io
import time

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from manyi.measurement.samples import sample_survey
from manyi.web import tasks_runner
from manyi.web.applications import services
from manyi.web.applications.models import ApplicationState
from manyi.web.applications.precheck import run_precheck
from manyi.web.applications.samples import fill_complete
from manyi.web.surveys import services as survey_services
from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis, SurveySetup
from manyi.web.surveys.services import survey_analysis_start
from tests.conftest import create_application

pytestmark = pytest.mark.django_db

CODEBOOK_NAME = "码本.toml"
SATISFACTION5 = ("非常不满意", "不满意", "一般", "满意", "非常满意")


@pytest.fixture
def application(applicant, open_campaign, promoting_body):
    """A three-star enterprise application (the shared fixture's is four-star)."""
    return create_application(applicant, open_campaign, promoting_body, level="three")


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


def survey_items(application):
    application.refresh_from_db()
    return [i for i in run_precheck(application).items if i.where == "survey"]


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def wjx_rows(n=60, *, seed=7, reversed_item=False, first_day=datetime.date(2025, 3, 1),
             dated=True, constant=None):  # fmt: skip
    """A 问卷星 export in words: a 5-level satisfaction matrix per construct (two rows each)."""
    rng = np.random.default_rng(seed)
    questions = [
        ("1、(企业形象好)", "IMAG"), ("1、(企业值得信赖)", "IMAG"),
        ("2、(事先期望的服务质量)", "EXPE"), ("2、(期待服务能满足需要)", "EXPE"),
        ("3、(服务态度)", "QUAL"), ("3、(办理效率)", "QUAL"),
        ("4、(收费合理)", "VAL"), ("4、(物有所值)", "VAL"),
        ("5、(总体满意程度)", "SAT"), ("5、(与理想的服务相比)", "SAT"),
        ("6、(会向亲友推荐)", "LOY"), ("6、(会继续选用)", "LOY"),
    ]  # fmt: skip
    if reversed_item:
        questions[9] = ("5、(总体上令人失望)", "SAT")
    meta = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
    if not dated:
        meta = ["序号", "所用时间", "来源详情", "来自IP"]
    rows = [[*meta, *(q for q, _ in questions)]]
    for r in range(n):
        base = rng.normal(3.8, 0.7)
        answers = []
        for index, _q in enumerate(questions):
            level = int(np.clip(round(base + rng.normal(0, 0.5)), 1, 5))
            if reversed_item and index == 9:
                level = 6 - level
            if constant is not None and index == constant:
                level = 5
            answers.append(SATISFACTION5[level - 1])
        when = datetime.datetime.combine(first_day, datetime.time(9)) + datetime.timedelta(hours=r)
        head = (
            [r + 1, when, "100秒", "微信", "群聊", "1.2.3.4"]
            if dated
            else [r + 1, "100秒", "群聊", "1.2.3.4"]
        )
        rows.append([*head, *answers])
    return rows


def listing_for(rows, count):
    listing = [["姓名", "联系方式"]]
    listing += [[f"被访者{r[0]}", f"139{int(r[0]):08d}"] for r in rows[1 : count + 1]]
    return xlsx(listing)


# --- the recomputation ---------------------------------------------------------------------------


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
    assert item.status == "warn" and "95" in item.message and item.source == "advice"
    services.application_save_form(
        actor=applicant,
        application=application,
        raw_values={"satisfaction_score": f"{analysis.recomputed_index:.1f}"},
    )
    assert items_by_rule(application)["survey.score"].status == "pass"


def test_interviews_before_the_start_date_fail_quoting_the_form(
    application, applicant, django_capture_on_commit_callbacks
):
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
    failing = [i for i in survey_items(application) if i.status == "fail"]
    assert [i.code for i in failing] == ["survey.date_early"]
    assert failing[0].source == "seed" and failing[0].quote == "开展调查的时间在2025年1月1日之后"


def test_a_respondent_list_that_is_too_short_fails_quoting_the_form(
    application, applicant, django_capture_on_commit_callbacks
):
    survey = sample_survey(120, seed=5, listed=20)
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "数据.xlsx", survey.database)
        upload(application, applicant, "respondent_list", "名单.xlsx", survey.respondent_list)
    failing = [i for i in survey_items(application) if i.status == "fail"]
    assert [i.code for i in failing] == ["survey.respondent_count"]
    assert "50" in failing[0].message and failing[0].quote.startswith("被访者名单至少含姓名")


def test_an_unreadable_database_is_reported_not_crashed(
    application, applicant, django_capture_on_commit_callbacks
):
    bad = "编号,imag1\nR1,abc\n".encode("gb18030")
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "数据.csv", bad)
    analysis = SurveyAnalysis.objects.get()
    assert analysis.status == AnalysisStatus.FAILED and analysis.error
    items = survey_items(application)
    assert [(i.code, i.status) for i in items] == [("survey.read", "warn")]
    assert analysis.error in items[0].message


def test_a_malformed_codebook_is_refused_and_nothing_is_queued(application, applicant):
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


# --- survey data as advice (the form's rules alone block) ------------------------------------


def test_25_respondents_with_one_constant_item_warn_and_the_application_is_submitted(
    applicant, open_campaign, promoting_body, django_capture_on_commit_callbacks
):
    application = services.application_create(
        actor=applicant,
        campaign=open_campaign,
        category="team",
        level="three",
        kind="initial",
        promoting_body=promoting_body,
        project_name="客户服务中心质量检验一班组",
    )
    with django_capture_on_commit_callbacks(execute=True):
        application = fill_complete(application, applicant)
    rows = wjx_rows(25, constant=1)
    for stored in application.files.filter(material_key__in=["survey_database", "respondent_list"]):
        services.material_remove(actor=applicant, stored=stored)
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "班组调查.xlsx", xlsx(rows))
        upload(application, applicant, "respondent_list", "名单.xlsx", listing_for(rows, 25))
    analysis = SurveyAnalysis.objects.filter(application=application).first()
    services.application_save_form(
        actor=applicant,
        application=application,
        raw_values={"satisfaction_score": f"{analysis.recomputed_index:.1f}"},
    )
    items = survey_items(application)
    statuses = {i.code: i.status for i in items}
    assert statuses["survey.zero_variance"] == "warn"
    assert statuses["survey.sample_size"] == "warn"
    assert statuses["survey.respondent_count"] == "pass"
    assert not [i for i in items if i.status == "fail"]
    assert "1、(企业值得信赖)" in {u["column"] for u in analysis.details["unused"]}
    services.application_submit(actor=applicant, application=application)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_without_a_date_column_the_declared_period_is_checked_and_the_page_says_so(
    client, application, applicant, django_capture_on_commit_callbacks
):
    rows = wjx_rows(40, dated=False)
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "数据.xlsx", xlsx(rows))
    unchecked = {i.code: i for i in survey_items(application)}["survey.undated"]
    assert unchecked.status == "warn" and "无法核对" in unchecked.message
    with django_capture_on_commit_callbacks(execute=True):
        survey_services.survey_period_save(
            actor=applicant,
            application=application,
            start=datetime.date(2024, 12, 1),
            end=datetime.date(2025, 1, 31),
        )
    early = {i.code: i for i in survey_items(application)}["survey.date_early"]
    assert early.status == "fail" and early.source == "seed"
    assert "按测量步骤中申报的调查时间核对" in early.message
    with django_capture_on_commit_callbacks(execute=True):
        survey_services.survey_period_save(
            actor=applicant,
            application=application,
            start=datetime.date(2025, 2, 1),
            end=datetime.date(2025, 3, 15),
        )
    assert not [i for i in survey_items(application) if i.status == "fail"]
    client.force_login(applicant)
    page = client.get(reverse("surveys:analysis", args=[application.pk])).content.decode()
    assert "调查时间按测量步骤中申报的 2025-02-01 至 2025-03-15 核对" in page


def test_an_end_before_the_start_is_refused(application, applicant):
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        survey_services.survey_period_save(
            actor=applicant,
            application=application,
            start=datetime.date(2025, 3, 1),
            end=datetime.date(2025, 2, 1),
        )
    assert not SurveySetup.objects.filter(period_start__isnull=False).exists()


# --- a number only when it means something -------------------------------------------------------


def test_an_index_that_does_not_stand_is_not_shown_and_the_page_says_why(
    client, application, applicant, django_capture_on_commit_callbacks
):
    rows = wjx_rows(80, reversed_item=True)
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "问卷星.xlsx", xlsx(rows))
    analysis = SurveyAnalysis.objects.get()
    assert analysis.status == AnalysisStatus.DONE
    assert analysis.recomputed_index is None
    client.force_login(applicant)
    page = client.get(reverse("surveys:analysis", args=[application.pk])).content.decode()
    assert 'data-testid="index-missing-reason"' in page
    assert "题项可能需要反向计分" in page and "5、(总体上令人失望)" in page
    estimate = {i.code: i for i in survey_items(application)}["survey.estimate"]
    assert estimate.status == "warn" and "题项可能需要反向计分" in estimate.message


def test_marking_the_reverse_item_on_the_mapping_saves_a_codebook_and_the_index_stands(
    client, application, applicant, django_capture_on_commit_callbacks
):
    rows = wjx_rows(80, reversed_item=True)
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "问卷星.xlsx", xlsx(rows))
    client.force_login(applicant)
    page = client.get(reverse("surveys:analysis", args=[application.pk])).content.decode()
    assert 'data-testid="mapping-table"' in page
    headers = [row[0] for row in _mapping(application)]
    form = {}
    for index, (header, suggested) in enumerate(_mapping(application)):
        form[f"construct_{index}"] = suggested
        if header == "5、(总体上令人失望)":
            form[f"reverse_{index}"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("surveys:mapping", args=[application.pk]), form)
    assert response.status_code == 302
    setup = SurveySetup.objects.get(application=application)
    assert "reverse = true" in setup.codebook_text and len(headers) == 12
    analysis = SurveyAnalysis.objects.filter(application=application).first()
    assert analysis.status == AnalysisStatus.DONE
    assert 0 < analysis.recomputed_index < 100


def _mapping(application):
    from manyi.web.surveys.selectors import layout_analysis, mapping_rows, survey_setup

    rows = mapping_rows(layout_analysis(application), survey_setup(application))
    return [(row["header"], row["construct"]) for row in rows]


# --- every database file ----------------------------------------------------------------------


def test_every_database_file_is_checked_and_the_page_says_which_is_estimated(
    client, application, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(application, applicant, "survey_database", "一期.xlsx", xlsx(wjx_rows(40, seed=1)))
        upload(
            application,
            applicant,
            "survey_database",
            "二期.xlsx",
            xlsx(wjx_rows(70, seed=2, first_day=datetime.date(2024, 12, 1))),
        )
    analysis = SurveyAnalysis.objects.filter(application=application).first()
    files = {f["name"]: f for f in analysis.details["files"]}
    assert set(files) == {"一期.xlsx", "二期.xlsx"}
    assert files["一期.xlsx"]["used"] and not files["二期.xlsx"]["used"]
    assert "有效样本最多" in files["一期.xlsx"]["why"]
    failing = [i for i in survey_items(application) if i.status == "fail"]
    assert [i.code for i in failing] == ["survey.date_early"]
    assert failing[0].message.startswith("「二期.xlsx」：")
    client.force_login(applicant)
    page = client.get(reverse("surveys:analysis", args=[application.pk])).content.decode()
    assert 'data-testid="analysis-files"' in page and "估计用有效样本最多的「一期.xlsx」" in page


# --- in the background ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_analysis_runs_beside_the_request(application, applicant, settings):
    settings.MANYI_BACKGROUND = "thread"
    upload(application, applicant, "survey_database", "数据.xlsx", xlsx(wjx_rows(60)))
    queued = SurveyAnalysis.objects.get()
    assert queued.status in (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING)
    assert tasks_runner.wait_idle(timeout=120)
    for _ in range(50):
        queued.refresh_from_db()
        if queued.status == AnalysisStatus.DONE:
            break
        time.sleep(0.1)
    assert queued.status == AnalysisStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_work_left_queued_is_taken_up_when_the_server_starts(application, applicant, settings):
    settings.MANYI_BACKGROUND = "queue"  # as the demo loader leaves it
    upload(application, applicant, "survey_database", "数据.xlsx", xlsx(wjx_rows(40)))
    assert SurveyAnalysis.objects.get().status == AnalysisStatus.QUEUED
    settings.MANYI_BACKGROUND = "thread"
    tasks_runner.start()  # what `manyi serve` does
    assert tasks_runner.wait_idle(timeout=120)
    assert SurveyAnalysis.objects.get().status == AnalysisStatus.DONE
