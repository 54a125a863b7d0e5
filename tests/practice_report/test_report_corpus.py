"""The committed corpus (``fixtures/``, made by ``make_fixtures.py``): files from LibreOffice
and WeasyPrint, checked for their exact findings.

The files are committed because another LibreOffice, WeasyPrint or font version lays pages
out differently; these tests must give the same outcome on every machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from manyi.practice_report.pdf_reader import read_pdf
from tests.practice_report.conftest import SCHEME, check, check_docx, codes, only_finding
from tests.practice_report.corpus import outline_report
from tests.practice_report.make_fixtures import DEFECTS, DROPPED, FRAMED, MAKERS

FIXTURES = Path(__file__).parent / "fixtures"
ORGANISATION = "某某有限公司"
CLEAN = outline_report()


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def check_pdf(name: str, category: str = "enterprise"):
    """The fixture checked as the submitted PDF, correctly named."""
    filename = SCHEME.report_filename(ORGANISATION, category)
    return check(fixture(name), filename, category, organisation_name=ORGANISATION)


def page_numbers(name: str) -> list[str | None]:
    return [p.page_number.text if p.page_number else None for p in read_pdf(fixture(name)).pages]


def test_every_fixture_the_script_makes_is_committed():
    assert sorted(MAKERS) == sorted(p.name for p in FIXTURES.iterdir() if p.name != "README.md")


# ---------------------------------------------------------------------------------------------
# LibreOffice


@pytest.mark.parametrize("category", ["enterprise", "team"])
def test_the_template_as_a_libreoffice_pdf_passes(category):
    result = check_pdf(f"libreoffice-template-{category}.pdf", category)
    assert result.findings == ()


def test_a_libreoffice_pdf_counts_the_same_characters_as_the_template():
    from manyi.practice_report import build_template

    docx = check(build_template("enterprise", scheme=SCHEME), "模板.docx")
    assert check_pdf("libreoffice-template-enterprise.pdf").chars == docx.chars


def test_a_docx_written_by_libreoffice_from_opendocument_passes():
    result = check(fixture("libreoffice-from-odt.docx"), "报告.docx")
    assert result.findings == ()
    assert result.chars == check_docx(CLEAN).chars


def test_its_pdf_with_page_x_of_y_footers_passes():
    assert check_pdf("libreoffice-from-odt.pdf").findings == ()
    assert page_numbers("libreoffice-from-odt.pdf")[:2] == ["第1页共6页", "第2页共6页"]


def test_a_docx_libreoffice_made_from_html_has_no_indent_and_no_page_numbers():
    # LibreOffice drops "text-indent: 2em" and an HTML page has no footer.
    result = check(fixture("libreoffice-from-html.docx"), "报告.docx")
    assert codes(result) == ["body.indent", "page_number.missing"]
    indent = result.findings[0]
    assert indent.count == sum(item.kind == "body" for item in CLEAN.items)
    assert "（来自文档默认格式）" in indent.message
    assert all(f.status == "fail" and f.source == "seed" for f in result.findings)


def test_odd_and_even_footers_and_an_unnumbered_cover_from_libreoffice_pass():
    result = check_pdf("libreoffice-word-features.pdf")
    finding = only_finding(result, "page_number.missing")
    assert finding.location.page == 1 and finding.status == "warn"  # the cover
    numbers = page_numbers("libreoffice-word-features.pdf")
    assert numbers[0] is None
    assert numbers[1].startswith("第1页共") and numbers[2] == "-2-"


def test_song_replaced_by_a_sans_face_on_export_fails_and_says_why():
    result = check_pdf("libreoffice-song-substituted.pdf")
    assert codes(result) == ["title.font", "page_number.missing", "body.font"]
    body = result.findings[2]
    assert body.status == "fail" and "Sans" in body.message
    assert "导出 PDF 的电脑没有宋体" in body.fix


# ---------------------------------------------------------------------------------------------
# WeasyPrint


def test_page_numbers_in_every_usual_form_at_the_bottom_centre_pass():
    assert check_pdf("weasyprint-page-number-forms.pdf").findings == ()
    assert page_numbers("weasyprint-page-number-forms.pdf") == [
        "I",
        "ii",
        "3",
        "-4-",
        "—5—",
        "第6页",
        "第7页共10页",
        "第8页（共10页）",
        "第9页，共10页",
        "10/10",
    ]


def test_a_cover_without_a_number_warns_and_misplaced_numbers_fail():
    result = check_pdf("weasyprint-page-number-defects.pdf")
    assert [(f.code, f.status, f.location.page) for f in result.findings] == [
        ("page_number.missing", "warn", 1),
        ("page_number.position", "fail", 3),
        ("page_number.position", "fail", 4),
    ]
    cover, right, top = result.findings
    assert "封面" in cover.reason
    assert "第 3 页的页码不居中" in right.message
    assert "第 4 页的页码在页面上方" in top.message and top.location.part == "页眉"


DEFECTS_PDF = "weasyprint-format-defects.pdf"


@pytest.fixture(scope="module")
def defects():
    return check_pdf(DEFECTS_PDF)


def _at(finding, name: str) -> bool:
    """The finding is located at the paragraph given defect ``name``."""
    return finding.location.excerpt.startswith(DEFECTS[name][1][:12])


def _finding(result, code: str, name: str | None = None):
    (found,) = [f for f in result.findings if f.code == code and (name is None or _at(f, name))]
    return found


def test_the_format_defects_pdf_has_exactly_its_defects(defects):
    assert codes(defects) == [
        "title.align",
        "title.bold",
        "title.size",
        "heading.bold",
        "body.font",
        "body.font",
        "body.size",
        "page_number.missing",
        "body.indent",
        "outline.missing",
        "body.line_spacing",
        "body.align",
    ]


def test_a_left_small_plain_title(defects):
    for code in ("title.align", "title.bold", "title.size"):
        assert _finding(defects, code).location.paragraph == 1
    assert "三号（16 磅）" in _finding(defects, "title.size").message


def test_level_one_headings_not_bold(defects):
    assert _finding(defects, "heading.bold").count == 3


def test_a_sans_body_paragraph_fails(defects):
    finding = _finding(defects, "body.font", "sans")
    assert "Sans" in finding.message and finding.status == "fail"


def test_body_text_framed_in_a_one_cell_table_is_checked_and_a_data_table_is_not(defects):
    (framed,) = [f for f in defects.findings if f.location.excerpt.startswith(FRAMED[:12])]
    assert framed.code == "body.font" and "Mono" in framed.message
    assert not [f for f in defects.findings if f.location.excerpt.startswith("指标")]


def test_a_body_paragraph_in_the_wrong_size(defects):
    finding = _finding(defects, "body.size", "small")
    assert "小四（12 磅）" in finding.message


def test_a_paragraph_without_first_line_indent_under_its_heading(defects):
    finding = _finding(defects, "body.indent", "unindented")
    assert finding.location.heading == "（1）开展调研分析" and finding.location.page == 2


def test_single_line_spacing_in_a_pdf_only_warns(defects):
    finding = _finding(defects, "body.line_spacing", "single")
    assert finding.status == "warn" and finding.source == "advice" and "估计" in finding.reason


def test_a_centred_body_paragraph(defects):
    finding = _finding(defects, "body.align", "centred")
    assert "居中" in finding.message and finding.status == "fail"


def test_a_missing_section_in_a_pdf(defects):
    assert f"「{DROPPED}」" in _finding(defects, "outline.missing").message


def test_no_page_numbers_at_all_fails(defects):
    finding = _finding(defects, "page_number.missing")
    assert finding.status == "fail" and finding.count == len(read_pdf(fixture(DEFECTS_PDF)).pages)


# ---------------------------------------------------------------------------------------------
# The file name of the submitted PDF


def test_a_pdf_named_otherwise_fails_quoting_the_form():
    wrong = check(
        fixture("libreoffice-from-odt.pdf"), "实践报告.pdf", organisation_name=ORGANISATION
    )
    finding = only_finding(wrong, "filename")
    assert finding.status == "fail" and "命名" in finding.quote
    assert "用户满意经营实践报告+某某有限公司+企业类.pdf" in finding.message


def test_a_pdf_name_written_together_is_accepted():
    right = check(
        fixture("libreoffice-from-odt.pdf"),
        "用户满意经营实践报告某某有限公司企业类.pdf",
        organisation_name=ORGANISATION,
    )
    assert right.findings == ()


def test_without_the_organisations_name_the_file_name_only_warns():
    finding = only_finding(check(fixture("libreoffice-from-odt.pdf"), "报告.pdf"), "filename")
    assert finding.status == "warn" and "单位名称" in finding.reason
