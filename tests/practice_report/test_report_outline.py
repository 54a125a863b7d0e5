"""Outline, numbering and length: the category's headings, in order, numbered, within limits.

The outline comes from the scheme; headings are matched by title, tolerating small wording,
width and punctuation differences. Numbers run 1, 2, 3 … at every level.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from manyi.practice_report.headings import HeadingRecognizer, normalize_title, similarity
from tests.practice_report.conftest import CATEGORIES, check_docx, codes, only_finding
from tests.practice_report.corpus import (
    Item,
    auto_numbered,
    body_chars,
    drop_section,
    outline_report,
)

CLEAN = outline_report()


@pytest.mark.parametrize("category", CATEGORIES)
def test_a_complete_report_of_each_category_has_no_outline_finding(category):
    assert check_docx(outline_report(category)).findings == ()


def test_headings_may_differ_in_width_punctuation_spaces_and_budget():
    report = (
        CLEAN.replace_item("一、企业简介", text="一、企业简介")  # no "（1000字）"
        .replace_item("（1）开展调研分析", text="(1) 开展调研、分析")
        .replace_item("2.资源支持", text="2. 资源支持")
        .replace_item("三、总结思考", text="三、总结与思考（1000字）")
    )
    result = check_docx(report)
    assert codes(result) == ["numbering.format"]  # only the half-width "(1)"
    assert "应写作「（1）」" in result.findings[0].message


# ---------------------------------------------------------------------------------------------
# Numbering


def test_a_gap_in_the_numbers():
    report = CLEAN.replace_item("（三）评价", text="（四）评价").replace_item(
        "（四）应用", text="（五）应用"
    )
    finding = only_finding(check_docx(report), "numbering.sequence")
    assert finding.location.paragraph == CLEAN.index_of("（三）评价")
    assert "缺少「（三）」" in finding.message


def test_a_repeated_number():
    report = CLEAN.replace_item("2.需求分析", text="1.需求分析").replace_item(
        "3.目标计划", text="2.目标计划"
    )
    finding = only_finding(check_docx(report), "numbering.sequence")
    assert finding.location.paragraph == CLEAN.index_of("2.需求分析")
    assert "编号重复" in finding.message and "应为「2.」" in finding.message


def test_a_heading_numbered_at_the_wrong_level():
    report = CLEAN.replace_item("1.满意理念", text="（1）满意理念")
    finding = only_finding(check_docx(report), "numbering.level")
    assert finding.location.paragraph == CLEAN.index_of("1.满意理念")
    assert "三级标题" in finding.message and "四级标题「（1）」" in finding.message


def test_an_own_heading_that_skips_a_level():
    # Under 一、企业简介 (no subsections in the template) a "1." heading without a "（一）".
    own = Item("heading", "1.公司概况", level=3)
    at = CLEAN.index_of("一、企业简介")
    report = CLEAN.edit(lambda items: [*items[:at], own, *items[at:]])
    finding = only_finding(check_docx(report), "numbering.level")
    assert finding.location.paragraph == at + 1
    assert "层级跳跃" in finding.message and "二级标题" in finding.message


def test_a_heading_without_a_number_but_with_a_word_outline_level():
    report = CLEAN.replace_item("（一）策划", text="策划")
    finding = only_finding(check_docx(report), "numbering.missing")
    assert finding.location.paragraph == CLEAN.index_of("（一）策划")
    assert "应为「（一）策划」" in finding.message


def test_numbers_in_a_chinese_format_from_word_numbering_are_read_and_flagged_once():
    result = check_docx(auto_numbered(CLEAN, level2_format="ideographTraditional"))
    finding = only_finding(result, "numbering.format")
    assert finding.count == 4
    assert "「（甲）」" in finding.message and "「（一）」" in finding.message


def test_a_sentence_starting_with_a_quantity_is_not_a_heading(scheme):
    recognizer = HeadingRecognizer(scheme.report_format.headings)
    assert recognizer.recognize("1.5亿元的投入用于改造服务网点。") is None
    assert recognizer.recognize("一、企业简介（1000字）").title == "企业简介"
    assert recognizer.recognize("（十二）其他").n == 12
    long_item = "（1）" + "很长的列举内容" * 8
    assert recognizer.recognize(long_item) is None  # an enumerated body paragraph


# ---------------------------------------------------------------------------------------------
# Outline


def test_a_missing_section():
    report = CLEAN.edit(lambda items: drop_section(items, "3.目标计划"))
    finding = only_finding(check_docx(report), "outline.missing")
    assert "「3.目标计划」" in finding.message
    assert "应在「（2）洞察需求期望」之后" in finding.message
    assert finding.location.paragraph == CLEAN.index_of("（2）洞察需求期望")


def test_a_missing_section_with_its_subsections_is_one_finding():
    # （三）评价 and its seven subheadings are gone; （四）应用 is renumbered （三）.
    report = CLEAN.edit(lambda items: drop_section(items, "（三）评价")).replace_item(
        "（四）应用", text="（三）应用"
    )
    finding = only_finding(check_docx(report), "outline.missing")
    assert "「（三）评价」及其下 7 个小标题" in finding.message


def test_a_missing_heading_whose_subheadings_are_there_is_named_alone():
    report = CLEAN.edit(lambda items: [i for i in items if not i.text.startswith("二、")])
    result = check_docx(report)
    missing = [f for f in result.findings if f.code == "outline.missing"]
    assert len(missing) == 1
    assert missing[0].message == (
        "缺少模板中的标题「二、用户满意经营实践」，应在「一、企业简介」之后"
    )


def test_every_missing_heading_is_named_when_some_siblings_remain():
    report = CLEAN.edit(lambda items: drop_section(items, "（1）开展调研分析")).edit(
        lambda items: drop_section(items, "3.目标计划")
    )
    result = check_docx(report)
    missing = sorted(f.message for f in result.findings if f.code == "outline.missing")
    assert len(missing) == 2
    assert "「（1）开展调研分析」" in missing[0] + missing[1]
    assert "「3.目标计划」" in missing[0] + missing[1]
    assert all("及其下" not in message for message in missing)


def test_a_similar_title_of_another_number_is_not_paired():
    # The writer's "（3）用户需求" is near the template's "（2）洞察需求期望" in wording only.
    report = CLEAN.replace_item("（2）洞察需求期望", text="（3）洞察用户需求期望")
    result = check_docx(report)
    assert "outline.missing" in codes(result)
    missing = next(f for f in result.findings if f.code == "outline.missing")
    assert "「（2）洞察需求期望」" in missing.message


def _swap_evaluation_and_application(items: list[Item]) -> list[Item]:
    def at(prefix):
        return next(k for k, item in enumerate(items) if item.text.startswith(prefix))

    evaluation, application, summary = at("（三）评价"), at("（四）应用"), at("三、总结")
    moved = items[application:summary]
    stayed = items[evaluation:application]
    moved[0] = replace(moved[0], text="（三）应用")
    stayed[0] = replace(stayed[0], text="（四）评价")
    return items[:evaluation] + moved + stayed + items[summary:]


def test_sections_out_of_order():
    report = CLEAN.edit(_swap_evaluation_and_application)
    finding = only_finding(check_docx(report), "outline.order")
    assert finding.location.paragraph == CLEAN.index_of("（三）评价")  # where 应用 now is
    assert "「（三）应用」" in finding.message and "应在「评价」一节之后" in finding.message


def test_an_extra_section_among_the_required_ones_is_a_warning():
    extra = [Item("heading", "（五）其他", level=2), Item("body", "其他说明。")]
    at = CLEAN.index_of("三、总结思考") - 1
    report = CLEAN.edit(lambda items: [*items[:at], *extra, *items[at:]])
    finding = only_finding(check_docx(report), "outline.extra")
    assert finding.status == "warn"
    assert finding.location.paragraph == at + 1


def test_the_writers_own_subheadings_inside_a_section_are_fine():
    own = [Item("heading", "（1）理念体系", level=4), Item("body", "理念体系的内容。")]
    at = CLEAN.index_of("1.满意理念")
    report = CLEAN.edit(lambda items: [*items[:at], *own, *items[at:]])
    assert check_docx(report).findings == ()


def test_titles_compare_as_a_reader_would():
    assert normalize_title("（一）企业简介（1000字）") == normalize_title("一企业简介")
    assert similarity("用户满意理念", "满意理念") >= 0.75
    assert similarity("实施", "实施过程") < 0.75


# ---------------------------------------------------------------------------------------------
# Length


def test_over_ten_thousand_characters():
    # Every part is within its budget, together (with headings) over the limit.
    report = outline_report(part_chars={"企业简介": 990, "用户满意经营实践": 7830, "总结思考": 990})
    result = check_docx(report)
    finding = only_finding(result, "length.total")
    assert result.chars.total > 10_000
    assert all(result.chars.parts[p] <= b for p, b in [("企业简介", 1000), ("总结思考", 1000)])
    assert f"全文 {result.chars.total} 字" in finding.message


def test_a_part_over_its_budget_is_a_warning():
    result = check_docx(outline_report(part_chars={"总结思考": 1200}))
    finding = only_finding(result, "length.part")
    assert finding.status == "warn" and result.ok
    assert result.chars.parts["总结思考"] == 1200
    assert "1200 字" in finding.message and "1000 字" in finding.message
    assert finding.source == "seed" and finding.quote == "总结思考（1000字）"  # the template's


def test_characters_are_counted_per_part():
    result = check_docx(CLEAN)
    assert set(result.chars.parts) == {"企业简介", "用户满意经营实践", "总结思考"}
    assert result.chars.parts["企业简介"] == 120
    assert result.chars.total == body_chars(CLEAN)


def test_a_table_of_contents_is_neither_headings_nor_counted():
    toc = [
        Item("body", f"{h.text}\t{n}", style="TOC1")
        for n, h in enumerate(
            [item for item in CLEAN.items if item.kind == "heading" and item.level == 1], 1
        )
    ]
    report = CLEAN.edit(lambda items: [items[0], *toc, *items[1:]])
    result = check_docx(report)
    assert result.findings == ()
    assert result.chars == check_docx(CLEAN).chars
