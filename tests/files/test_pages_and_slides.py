"""PPT ≤ 15 pages for 四星 and 五星: a PPTX is counted by the slides it shows, its PDF export by
pages; hidden slides that take the total over 15 are the system's advice, never a refusal."""

from __future__ import annotations

from manyi.documents import samples
from manyi.files import inspect_file

from .conftest import codes


def test_slides_are_counted_hidden_ones_included():
    info = inspect_file(samples.sample_pptx(12, hidden=3), "汇报.pptx")
    assert (info.kind, info.slides, info.hidden_slides, info.page_count) == ("pptx", 12, 3, 12)


def test_a_15_slide_pptx_is_accepted(check):
    info = inspect_file(samples.sample_pptx(15), "实践报告提炼.pptx")
    assert check(info, "report_ppt", level="four") == []
    assert check(info, "report_ppt", level="five") == []


def test_a_16_slide_pptx_is_refused(check):
    info = inspect_file(samples.sample_pptx(16), "实践报告提炼.pptx")
    [finding] = check(info, "report_ppt", level="four")
    assert (finding.code, finding.status) == ("too_many_pages", "fail")
    assert finding.message.startswith("演示文稿放映 16 页，超过 15 页的上限")
    assert (finding.source, finding.quote) == ("seed", "PPT格式自拟，页数不超过15页")


def test_hidden_slides_over_the_limit_are_advice_not_a_refusal(check):
    info = inspect_file(samples.sample_pptx(16, hidden=2), "实践报告提炼.pptx")
    [finding] = check(info, "report_ppt")
    assert (finding.code, finding.status, finding.source) == (
        "hidden_slides_over_limit",
        "warn",
        "advice",
    )
    assert "另有隐藏的 2 页" in finding.message
    assert finding.reason


def test_hidden_slides_do_not_hide_too_many_shown_slides(check):
    info = inspect_file(samples.sample_pptx(18, hidden=2), "实践报告提炼.pptx")
    [finding] = check(info, "report_ppt")
    assert (finding.code, finding.status) == ("too_many_pages", "fail")


def test_a_16_page_pdf_export_of_the_ppt_is_refused(check):
    info = inspect_file(samples.sample_pdf(16, "PPT 导出"), "实践报告提炼.pdf")
    assert info.pages == 16
    [finding] = check(info, "report_ppt")
    assert finding.code == "too_many_pages"
    assert finding.message.startswith(
        "PDF 共 16 页，超过「用户满意经营实践报告提炼和总结的PPT」15 页"
    )


def test_a_15_page_pdf_export_is_accepted(check):
    info = inspect_file(samples.sample_pdf(15), "实践报告提炼.pdf")
    assert check(info, "report_ppt") == []


def test_the_practice_report_has_no_page_limit(check):
    info = inspect_file(
        samples.sample_pdf(40), "用户满意经营实践报告+福州示例电力有限公司+企业类.pdf"
    )
    assert codes(check(info, "practice_report")) == []


def test_three_star_applications_need_no_ppt(check):
    info = inspect_file(samples.sample_pptx(5), "实践报告提炼.pptx")
    [finding] = check(info, "report_ppt", level="three")
    assert finding.code == "not_applicable"
    assert finding.message.startswith(
        "企业类三星的申请不需要提交「用户满意经营实践报告提炼和总结的PPT」"
    )


def test_an_old_ppt_cannot_be_counted_so_the_user_is_asked_to_check(check):
    from .test_kinds import ole2_file

    info = inspect_file(ole2_file("PowerPoint Document"), "汇报.ppt")
    [finding] = check(info, "report_ppt")
    assert (finding.code, finding.status) == ("page_count_unknown", "warn")
    assert "请确认不超过 15 页" in finding.message
