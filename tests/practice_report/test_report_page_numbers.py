"""DOCX page numbers: a PAGE field in the footer, centred on the line."""

from __future__ import annotations

from dataclasses import replace

from tests.practice_report.conftest import check_docx, only_finding
from tests.practice_report.corpus import (
    PAGE_FIELD_SIMPLE,
    outline_report,
    page_field_complex,
    page_field_in_content_control,
)

CLEAN = outline_report()
FOOTER_TABS = (
    '<w:pStyle w:val="Footer"/><w:tabs><w:tab w:val="center" w:pos="4153"/>'
    '<w:tab w:val="right" w:pos="8306"/></w:tabs><w:jc w:val="left"/>'
)


def test_a_page_field_in_a_content_control_centred_by_the_footer_style():
    assert check_docx(replace(CLEAN, footer=page_field_in_content_control())).findings == ()


def test_a_complex_page_field_centred_directly():
    footer = page_field_complex('<w:jc w:val="center"/>')
    assert check_docx(replace(CLEAN, footer=footer)).findings == ()


def test_a_page_field_at_the_centre_tab_stop():
    footer = page_field_complex(FOOTER_TABS, before="<w:r><w:tab/></w:r>")
    assert check_docx(replace(CLEAN, footer=footer)).findings == ()


def test_no_page_number():
    footer = "<w:p><w:r><w:t>某某有限公司</w:t></w:r></w:p>"
    finding = only_finding(check_docx(replace(CLEAN, footer=footer)), "page_number.missing")
    assert finding.location.part == "页脚"


def test_a_total_page_count_alone_is_not_a_page_number():
    footer = PAGE_FIELD_SIMPLE.replace("PAGE", "NUMPAGES")
    only_finding(check_docx(replace(CLEAN, footer=footer)), "page_number.missing")


def test_a_page_number_on_the_right():
    footer = page_field_complex('<w:pStyle w:val="Footer"/><w:jc w:val="right"/>')
    finding = only_finding(check_docx(replace(CLEAN, footer=footer)), "page_number.position")
    assert "右对齐" in finding.message


def test_a_page_number_at_the_right_tab_stop():
    footer = page_field_complex(FOOTER_TABS, before="<w:r><w:tab/><w:tab/></w:r>")
    finding = only_finding(check_docx(replace(CLEAN, footer=footer)), "page_number.position")
    assert "右对齐" in finding.message


def test_a_page_number_in_the_header():
    report = replace(CLEAN, footer="<w:p/>", header=PAGE_FIELD_SIMPLE)
    finding = only_finding(check_docx(report), "page_number.position")
    assert "页眉" in finding.message and finding.location.part == "页眉"


def test_a_page_number_after_a_centred_positional_tab():
    ptab = '<w:r><w:ptab w:relativeTo="margin" w:alignment="center" w:leader="none"/></w:r>'
    footer = page_field_complex('<w:pStyle w:val="Footer"/><w:jc w:val="left"/>', before=ptab)
    assert check_docx(replace(CLEAN, footer=footer)).findings == ()
