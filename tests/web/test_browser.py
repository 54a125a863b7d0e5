"""A real browser (Debian's chromium through Playwright) registers, logs out and in."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # 确定提交？
    yield page
    context.close()


def test_a_new_user_registers_logs_in_and_sees_the_dashboard(page, live_server, open_campaign):
    page.goto(f"{live_server.url}/accounts/register/")
    page.fill("#id_credit_code", "91440300708461136t")
    page.wait_for_selector("#creditcode-preview >> text=广东省")
    page.fill("#id_name", "深圳浏览器测试有限公司")
    page.select_option("#id_industry_code", "65")
    page.fill("#id_employees", "80")
    page.fill("#id_revenue", "900")
    page.fill("#id_full_name", "陈浏览")
    page.fill("#id_username", "browser")
    page.fill("#id_email", "browser@example.cn")
    page.fill("#id_password1", "Browser-pass-2025")
    page.fill("#id_password2", "Browser-pass-2025")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=dashboard-title]")
    assert "深圳浏览器测试有限公司 的工作台" in page.inner_text("[data-testid=dashboard-title]")
    facts = page.inner_text("[data-testid=organisation-facts]")
    assert "91440300708461136T" in facts and "小型" in facts

    page.click("text=退出")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "browser")
    page.fill("#id_password", "Browser-pass-2025")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=dashboard-title]")
    assert "browser" in page.inner_text(
        "[data-testid=current-user]"
    ) or "陈浏览" in page.inner_text("[data-testid=current-user]")
    assert "2025年用户满意等级评价" in page.content()


def _login(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=dashboard-title]")


def _fill_form(page, scheme, category):
    from manyi.web.applications.samples import sample_form_data

    for key, value in sample_form_data(scheme, category).items():
        if isinstance(value, list):
            for index, item in enumerate(value):
                page.fill(f"[name={key}__{index}]", item)
        elif isinstance(value, dict):
            for part, item in value.items():
                page.fill(f"[name={key}__{part}]", item)
        elif page.locator(f"select[name={key}]").count():
            page.select_option(f"select[name={key}]", value)
        else:
            page.fill(f"[name={key}]", value)
    page.click("#application-form button[type=submit]")
    page.wait_for_selector("text=申请表已保存")


def _upload_materials(page, live_server, application, tmp_path):
    from manyi.web.applications.samples import sample_file
    from manyi.web.applications.services import scheme_for

    scheme = scheme_for(application)
    page.goto(f"{live_server.url}/applications/{application.pk}/materials/")
    for material, requirement in scheme.materials_for(application.category, application.level):
        if requirement != "required":
            continue
        name, data = sample_file(material, scheme, application)
        path = tmp_path / name
        path.write_bytes(data)
        section = page.locator(f"[data-testid=material-{material.key}]")
        section.locator("input[type=file]").set_input_files(str(path))
        with page.expect_navigation():
            section.locator("form.upload button[type=submit]").click()
        page.wait_for_selector(f"[data-testid=material-{material.key}] .files")


def test_a_product_four_star_application_from_creation_to_submission(
    page, live_server, open_campaign, applicant, promoting_body, password, tmp_path
):
    from manyi.rules import load_scheme
    from manyi.web.applications.models import Application
    from manyi.web.applications.samples import project_name_for

    _login(page, live_server, "applicant", password)
    page.goto(f"{live_server.url}/applications/new/")
    page.select_option("#id_category", "product")
    assert page.locator("#id_level option[value=five]").is_disabled()
    page.select_option("#id_level", "four")
    page.select_option("#id_promoting_body", str(promoting_body.pk))
    page.fill("#id_project_name", project_name_for("product"))
    page.click("#create-form button[type=submit]")
    page.wait_for_selector("[data-testid=completeness]")
    application = Application.objects.get()

    page.goto(f"{live_server.url}/applications/{application.pk}/form/")
    _fill_form(page, load_scheme(open_campaign.scheme_year), "product")
    _upload_materials(page, live_server, application, tmp_path)

    page.goto(f"{live_server.url}/applications/{application.pk}/check/")
    assert "未通过 0 项" in page.inner_text("[data-testid=check-summary]")
    page.click("[data-testid=submit-application]")
    page.wait_for_selector("text=已提交第 1 版")
    assert "已提交" in page.inner_text("[data-testid=application-state]")
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    with page.expect_download() as download:
        page.click("[data-testid=download-package]")
    assert download.value.path().read_bytes()[:5] == b"%PDF-"


def test_a_five_star_application_is_held_back_by_its_missing_video(
    page, live_server, open_campaign, applicant, promoting_body, password
):
    from manyi.web.applications.samples import fill_complete
    from manyi.web.applications.services import application_create

    application = application_create(
        actor=applicant,
        campaign=open_campaign,
        category="enterprise",
        level="five",
        kind="initial",
        promoting_body=promoting_body,
    )
    fill_complete(application, applicant, skip=("report_video",))
    _login(page, live_server, "applicant", password)
    page.goto(f"{live_server.url}/applications/{application.pk}/check/")
    assert "未通过 1 项" in page.inner_text("[data-testid=check-summary]")
    failing = page.locator("tr.check-fail")
    assert failing.count() == 1
    assert "实践报告讲解视频" in failing.inner_text()
    assert page.locator("#submit button[disabled]").count() == 1
    failing.locator("a").click()
    page.wait_for_selector("#material-report_video")
