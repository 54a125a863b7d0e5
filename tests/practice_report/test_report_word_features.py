"""DOCX written the way Word and WPS write them: footers of every kind, fields, sections,
shared and restarted lists, numbering in another scheme, text boxes and tables."""

from __future__ import annotations

from dataclasses import replace

from manyi.practice_report.docx_reader import read_docx
from tests.practice_report.conftest import check_docx, codes, only_finding
from tests.practice_report.corpus import (
    PAGE_FIELD_SIMPLE,
    Item,
    numbered_headings,
    outline_report,
    page_field_complex,
    to_docx,
)
from tests.practice_report.word_corpus import (
    CENTRED_FOOTER_PPR,
    LIST_STYLE,
    chapter_numbering,
    footer_part,
    list_item,
    page_of_pages,
    shared_list_numbering,
    table,
    text_box,
    with_cover_section,
    with_footers,
)

CLEAN = outline_report()
BODY = CLEAN.body(3).text
RIGHT_FOOTER = page_field_complex('<w:pStyle w:val="Footer"/><w:jc w:val="right"/>')


# ---------------------------------------------------------------------------------------------
# Footers and fields


def test_a_page_x_of_y_footer_with_complex_fields_passes():
    assert check_docx(replace(CLEAN, footer=page_of_pages())).findings == ()


def test_a_page_x_of_y_footer_with_simple_fields_passes():
    assert check_docx(replace(CLEAN, footer=page_of_pages(simple=True))).findings == ()


def test_odd_even_and_first_page_footers_all_centred_pass():
    report = with_footers(CLEAN, default=page_of_pages(), even=PAGE_FIELD_SIMPLE, first="<w:p/>")
    assert check_docx(report).findings == ()


def test_an_even_page_footer_on_the_right_is_found():
    report = with_footers(CLEAN, default=page_of_pages(), even=RIGHT_FOOTER)
    finding = only_finding(check_docx(report), "page_number.position")
    assert "右对齐" in finding.message and finding.status == "fail"


def test_an_even_page_footer_is_ignored_unless_odd_and_even_pages_differ():
    report = with_footers(CLEAN, default=page_of_pages(), even=RIGHT_FOOTER)
    assert check_docx(replace(report, settings="")).findings == ()


def test_a_blank_first_page_footer_is_a_cover_not_a_missing_page_number():
    report = with_footers(CLEAN, default=page_of_pages(), first="<w:p/>")
    assert check_docx(report).findings == ()


def test_a_cover_section_numbered_in_roman_and_a_restart_pass():
    report = with_cover_section(CLEAN)
    result = check_docx(report)
    assert result.findings == ()
    assert len(read_docx(to_docx(report)).sections) == 2


def test_an_unnumbered_cover_section_before_a_numbered_report_only_warns():
    report = with_cover_section(CLEAN)
    blank_cover = replace(
        report,
        extra_parts={**report.extra_parts, "word/footer4.xml": footer_part("<w:p/>")},
    )
    finding = only_finding(check_docx(blank_cover), "page_number.missing")
    assert finding.status == "warn" and "封面" in finding.reason
    assert finding.location.part == "第 1 节页脚"


def test_a_numbered_cover_before_an_unnumbered_report_fails():
    report = replace(with_cover_section(CLEAN), footer="<w:p/>")
    finding = only_finding(check_docx(report), "page_number.missing")
    assert finding.status == "fail" and finding.location.part == "第 2 节页脚"


# ---------------------------------------------------------------------------------------------
# Lists as Word counts them


def test_lists_sharing_one_abstract_definition_count_as_word_does():
    # Word shows 1–4, then the restarted list 1, then the first list resumes at 2.
    items = [list_item(f"第{n}项措施。", 20) for n in range(4)]
    items += [list_item("另一组的第一项。", 21), list_item("另一组的第二项。", 20)]
    at = CLEAN.index_of(BODY)
    report = replace(
        CLEAN.edit(lambda old: [*old[:at], *items, *old[at:]]),
        numbering=shared_list_numbering(),
        extra_styles=LIST_STYLE,
    )
    labels = [p.label.strip() for p in read_docx(to_docx(report)).paragraphs if p.label]
    assert labels == ["1.", "2.", "3.", "4.", "1.", "2."]
    assert check_docx(report).findings == ()


def test_numbered_items_ending_in_a_colon_are_list_items_not_headings():
    items = [Item("body", f"{n}.功能{n}：") for n in range(1, 16)]
    at = CLEAN.index_of(BODY)
    report = CLEAN.edit(lambda old: [*old[:at], *items, *old[at:]])
    assert check_docx(report).findings == ()


def test_a_typed_list_item_is_never_paired_with_a_template_heading_of_another_level():
    # "6.用户管理" is like the template's "（2）用户关系管理" but of another level and number.
    items = [Item("body", f"{n}.模块{n}") for n in range(1, 6)] + [Item("body", "6.用户管理")]
    at = CLEAN.index_of(BODY)
    report = CLEAN.edit(lambda old: [*old[:at], *items, *old[at:]])
    assert check_docx(report).findings == ()


def test_a_document_numbered_as_chapters_gets_one_finding_and_no_doubled_fix():
    report = numbered_headings(CLEAN, chapter_numbering(), 8)
    labels = [p.label.strip() for p in read_docx(to_docx(report)).paragraphs if p.label]
    assert labels[:4] == ["第一章", "第二章", "2.1", "2.1.1"]
    finding = only_finding(check_docx(report), "numbering.scheme")
    assert "「第一章」「第二章」「2.1」" in finding.message
    assert "「一、」「（一）」「1.」「（1）」" in finding.message
    assert finding.count == len(labels)
    assert "（一）2.1" not in finding.fix and finding.status == "fail"


# ---------------------------------------------------------------------------------------------
# Text boxes and tables


def test_a_data_table_in_small_type_is_not_held_to_the_body_format():
    data = table([["指标", "2024年"], ["满意度", "86.5"]], rpr='<w:sz w:val="21"/>')
    at = CLEAN.index_of(BODY)
    report = CLEAN.edit(lambda old: [*old[:at], Item("body", "", raw=data), *old[at:]])
    assert check_docx(report).findings == ()


def test_body_text_framed_in_a_one_cell_table_is_checked_for_font_and_size():
    framed = table(
        [["这是放在单格表格中的一段正文，用楷体小四号书写。"]],
        rpr=('<w:rFonts w:eastAsia="楷体"/><w:sz w:val="24"/>'),
    )
    at = CLEAN.index_of(BODY)
    report = CLEAN.edit(lambda old: [*old[:at], Item("body", "", raw=framed), *old[at:]])
    result = check_docx(report)
    assert codes(result) == ["body.font", "body.size"]
    assert {f.location.paragraph for f in result.findings} == {at + 1}


def test_a_text_box_is_counted_once_and_not_held_to_the_body_format():
    box = text_box("图注：本图为服务流程示意。", rpr='<w:rFonts w:eastAsia="黑体"/>')
    at = CLEAN.index_of(BODY)
    report = CLEAN.edit(lambda old: [*old[:at], Item("body", "", raw=box), *old[at:]])
    result = check_docx(report)
    assert result.findings == ()
    assert result.chars.total == check_docx(CLEAN).chars.total + 13


def test_a_footer_centred_by_its_style_after_fields_in_a_content_control():
    footer = (
        f"<w:sdt><w:sdtPr/><w:sdtContent>{page_of_pages(CENTRED_FOOTER_PPR)}</w:sdtContent></w:sdt>"
    )
    assert check_docx(replace(CLEAN, footer=footer)).findings == ()
