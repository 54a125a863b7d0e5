"""WCAG 2.1 AA on the main pages of every role, in a real browser with axe-core.

axe-core comes from the npm registry (``tests/a11y/package.json``; ``scripts/setup.sh --test``
installs it into ``tests/a11y/node_modules``). Any violation of a WCAG 2.0/2.1 A or AA rule on
any page fails the test, listing the rule, the page and the element. Beside axe: a skip link
first in the tab order, the error summary taking the focus after a failed save, pages that
reflow at 320 px, and a header menu that collapses on a phone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.publicity.services import publication_open
from manyi.web.review import services
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE, NARROW = 390, 320


@pytest.fixture(autouse=True)
def axe_installed():
    if not AXE.exists():
        pytest.fail(f"找不到 axe-core（{AXE}）；scripts/setup.sh --test 会用 npm 安装它。")


def open_as(browser, base_url: str, username: str | None, width: int = 1280):
    # The test injects axe-core into the page; the site's CSP rightly forbids that script.
    context = browser.new_context(
        locale="zh-CN",
        base_url=base_url,
        viewport={"width": width, "height": 900},
        bypass_csp=True,
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    if username:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_selector("[data-testid=dashboard-title]")
    return page


def violations(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, url
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        f"{url} [{v['id']}] {v['help']}: {node['target']} {node['failureSummary'][:160]}"
        for v in result["violations"]
        for node in v["nodes"]
    ]


@pytest.fixture
def world(
    submitted,
    make_in_state,
    scored,
    promoter,
    secretariat,
    three_experts,
    applicant,
    other_applicant,
    open_campaign,
):
    """Something on every main page: a recommended application (formal review), a draft,
    one in expert review, one scored, one decided and one on a 公示."""
    services.application_recommend(actor=promoter, application=submitted, opinion="同意推荐。")
    draft = make_in_state(applicant, S.DRAFT, category="team")
    in_review = make_in_state(other_applicant, S.ACCEPTED)
    for expert in three_experts:
        services.expert_assign(actor=secretariat, application=in_review, expert=expert)
    scored([80, 82, 84], user=other_applicant, category="team")
    publicised = scored([75, 77, 79], user=other_applicant, category="service")
    services.levels_decide(actor=secretariat, decisions={publicised.pk: "three"})
    publication = publication_open(
        actor=secretariat, campaign=open_campaign, applications=[publicised]
    )
    return {
        "recommended": submitted,
        "draft": draft,
        "in_review": Application.objects.get(pk=in_review.pk),
        "publication": publication,
    }


def main_pages(world) -> dict[str | None, list[str]]:
    recommended, draft = world["recommended"].pk, world["draft"].pk
    in_review, publication = world["in_review"].pk, world["publication"].pk
    return {
        None: [
            "/",
            "/accounts/login/",
            "/accounts/register/",
            "/publicity/",
            f"/publicity/{publication}/",
            f"/publicity/{publication}/objection/",
            "/publicity/certificates/",
        ],
        "applicant": [
            "/dashboard/",
            f"/applications/{recommended}/",
            f"/applications/{draft}/form/",
            f"/applications/{draft}/materials/",
            f"/applications/{draft}/check/",
            f"/review/applications/{recommended}/findings/",
            "/accounts/organisation/",
        ],
        "tuijin": [
            "/dashboard/",
            "/review/promoter/",
            f"/review/applications/{recommended}/promoter/",
        ],
        "mishu": [
            "/dashboard/",
            "/review/formal/",
            f"/review/applications/{recommended}/formal/",
            "/review/expert-review/",
            f"/review/applications/{in_review}/experts/",
            "/review/decisions/",
            "/review/publicise/",
            "/review/experts/",
            "/publicity/manage/",
            f"/publicity/manage/{publication}/",
            "/publicity/manage/certificates/",
            "/publicity/audit/",
            "/accounts/organisations/",
        ],
        "zj1": [
            "/dashboard/",
            "/review/my/",
            f"/review/applications/{in_review}/score/",
            "/review/my/conflicts/",
        ],
    }


def test_the_main_pages_of_every_role_pass_axe_wcag_21_aa(browser, live_server, world):
    found = []
    for username, urls in main_pages(world).items():
        page = open_as(browser, live_server.url, username)
        for url in urls:
            found += violations(page, url)
        page.context.close()
    assert not found, "\n".join(found)


def test_a_skip_link_is_the_first_stop_and_leads_to_the_content(browser, live_server, world):
    page = open_as(browser, live_server.url, "mishu")
    page.goto("/review/formal/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_after_a_failed_save_the_error_summary_has_the_focus(browser, live_server, world):
    page = open_as(browser, live_server.url, "applicant")
    page.goto(f"/applications/{world['draft'].pk}/form/")
    page.fill("#id_team_size", "-5")
    with page.expect_navigation():
        page.click("#application-form button[type=submit]")
    focused = page.evaluate("document.activeElement.dataset.testid")
    assert focused == "error-summary"
    assert "不能为负数" in page.inner_text("[data-testid=error-summary]")


def test_the_score_sheet_decisions_form_and_review_reflow_at_320_pixels(
    browser, live_server, world
):
    pages = {
        "zj1": f"/review/applications/{world['in_review'].pk}/score/",
        "mishu": "/review/decisions/",
        "applicant": f"/applications/{world['draft'].pk}/form/",
    }
    formal = f"/review/applications/{world['recommended'].pk}/formal/"
    too_wide_pages = []
    for username, url in pages.items():
        page = open_as(browser, live_server.url, username, width=NARROW)
        for address in (url, formal) if username == "mishu" else (url,):
            page.goto(address)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > NARROW:
                too_wide_pages.append(f"{address}: {width} px {too_wide(page)}")
        page.context.close()
    assert not too_wide_pages, "\n".join(too_wide_pages)


def too_wide(page) -> list[str]:
    """The outermost elements that stick out on the right (a table inside a scrolling box
    does not count: it scrolls by itself)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
            .filter(e => !e.closest('.table-scroll'))
            .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 30))
            .slice(0, 8)"""
    )


def test_the_header_menu_collapses_on_a_phone(browser, live_server, world):
    page = open_as(browser, live_server.url, "mishu", width=PHONE)
    page.goto("/dashboard/")
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-nav").is_visible()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 120
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-nav a", has_text="形式审查").is_visible()


def test_the_header_menu_is_not_collapsed_on_a_wide_screen(browser, live_server, world):
    page = open_as(browser, live_server.url, "mishu")
    page.goto("/dashboard/")
    assert not page.locator(".menu-toggle").is_visible()
    assert page.locator("#site-nav a", has_text="形式审查").is_visible()
