"""A real browser (Debian's chromium through Playwright) registers, logs out and in."""

from __future__ import annotations

import os
import shutil

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("MANYI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(monkeypatch):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"找不到 Chromium（{CHROMIUM}）；scripts/setup.sh --test 会安装它。")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN")
        yield context.new_page()
        context.close()
        browser.close()


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
