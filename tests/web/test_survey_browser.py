"""The measurement step in a real browser: upload returns at once, the result arrives without
reloading, and the applicant maps the questions and marks the reverse-worded one."""

from __future__ import annotations

import threading
import time

import pytest

from manyi.web import tasks_runner
from manyi.web.applications import services
from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis, SurveySetup
from tests.conftest import PASSWORD
from tests.web.test_surveys import wjx_rows, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REVERSED = "5、(总体上令人失望)"


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


@pytest.fixture
def background(settings):
    """Analyses run in the server's background pool, as under ``manyi serve``."""
    settings.MANYI_BACKGROUND = "thread"
    settings.MANYI_SURVEY_RESAMPLES = 300
    yield
    assert tasks_runner.wait_idle(timeout=120)


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def _hold_the_pool() -> threading.Event:
    """Keep the one background worker busy until released, so the page sees the run waiting."""
    release = threading.Event()
    tasks_runner._ensure_pool().submit(release.wait, 60)
    return release


def test_upload_returns_at_once_and_the_result_appears_without_reloading(
    page,
    live_server,
    background,
    applicant,
    open_campaign,
    promoting_body,
    tmp_path,
):
    application = services.application_create(
        actor=applicant,
        campaign=open_campaign,
        category="enterprise",
        level="three",
        kind="initial",
        promoting_body=promoting_body,
    )
    data = tmp_path / "问卷星数据.xlsx"
    data.write_bytes(xlsx(wjx_rows(80, reversed_item=True)))
    _login(page, live_server, applicant.username)
    release = _hold_the_pool()
    page.goto(f"{live_server.url}/applications/{application.pk}/materials/")
    section = page.locator("[data-testid=material-survey_database]")
    section.locator("input[type=file]").set_input_files(str(data))
    started = time.monotonic()
    with page.expect_navigation():
        section.locator("form.upload button[type=submit]").click()
    page.wait_for_selector("[data-testid=material-survey_database] .files")
    assert time.monotonic() - started < 10  # the analysis is not inside the request
    assert SurveyAnalysis.objects.get().status == AnalysisStatus.QUEUED

    page.click("[data-testid=survey-link]")
    page.wait_for_selector("[data-testid=analysis-status][data-status=queued]")
    page.evaluate("window.notReloaded = true")
    release.set()
    page.wait_for_selector("[data-testid=analysis-status][data-status=done]", timeout=120_000)
    assert page.evaluate("window.notReloaded === true")
    reason = page.locator("[data-testid=index-missing-reason]").inner_text()
    assert "题项可能需要反向计分" in reason and REVERSED in reason
    assert page.locator("[data-testid=quality-reasons] li").count() >= 1

    # The mapping: suggested from the wording; the applicant marks the reverse-worded item.
    page.reload()
    rows = page.locator("[data-testid=mapping-row]")
    assert rows.count() == 12
    service_row = page.locator("[data-testid=mapping-row][data-header='3、(服务态度)']")
    assert service_row.locator("select").input_value() == "QUAL"
    reversed_row = page.locator(f"[data-testid=mapping-row][data-header='{REVERSED}']")
    assert reversed_row.locator("select").input_value() == "SAT"
    reversed_row.locator("input[type=checkbox]").check()
    loyalty = page.locator("[data-testid=mapping-row][data-header='6、(会继续选用)'] select")
    loyalty.select_option("LOY")
    with page.expect_navigation():
        page.click("[data-testid=save-mapping]")
    page.wait_for_selector("[data-testid=analysis-status][data-status=done]", timeout=120_000)
    figure = page.locator("[data-testid=recomputed-index]").inner_text()
    assert 0 < float(figure) < 100
    setup = SurveySetup.objects.get(application=application)
    assert "reverse = true" in setup.codebook_text
    assert page.locator(
        f"[data-testid=mapping-row][data-header='{REVERSED}'] input[type=checkbox]"
    ).is_checked()
