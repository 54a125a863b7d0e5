"""PDF: fonts and sizes from the characters, centring and indentation from their positions,
page numbers from the bottom line of each page, outline and length from the text.

A substitute Song-style face (Noto Serif CJK) is accepted for 宋体; sans faces are not.
"""

from __future__ import annotations

import io
import os
from functools import cache

import pytest
from pypdf import PdfReader

from manyi.practice_report import ReportCheck, check_report
from manyi.practice_report.typography import classify_face, decode_font_name
from tests.practice_report.conftest import check_docx, codes, only_finding
from tests.practice_report.corpus import drop_section, outline_report
from tests.practice_report.pdf_corpus import FILENAME, song_font_installed, to_pdf

pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not song_font_installed(),
    reason="Noto Serif CJK SC 未安装（Debian fonts-noto-cjk）；CI 中必须运行",
)

CLEAN = outline_report()
BODY = CLEAN.body(3).text


@cache
def check_pdf(css: str = "", page: str | None = None, filename: str = FILENAME) -> ReportCheck:
    pdf = to_pdf(CLEAN, css) if page is None else to_pdf(CLEAN, css, page)
    return check_report(pdf, filename, "enterprise")


def _nth(prefix: str) -> str:
    return f"#p{CLEAN.index_of(prefix)}"


def test_a_clean_pdf_passes_with_a_song_style_substitute_face():
    result = check_pdf()
    assert result.findings == ()
    assert result.kind == "pdf"


def test_the_pdf_counts_the_same_characters_as_the_docx():
    assert check_pdf().chars == check_docx(CLEAN).chars


def test_paragraphs_are_rebuilt_with_the_documents_numbering():
    finding = only_finding(check_pdf(f"{_nth(BODY)} {{ text-indent: 0 }}"), "body.indent")
    assert finding.location.paragraph == CLEAN.index_of(BODY)
    assert finding.location.page is not None
    assert finding.location.heading == "（2）洞察需求期望"


def test_a_sans_body_font_fails():
    result = check_pdf(".body { font-family: 'Noto Sans CJK SC'; }")
    finding = only_finding(result, "body.font")
    assert finding.count == sum(item.kind == "body" for item in CLEAN.items)
    assert "Sans" in finding.message


def test_a_body_in_the_wrong_size():
    finding = only_finding(check_pdf(".body { font-size: 12pt; line-height: 26pt; }"), "body.size")
    assert "小四（12 磅）" in finding.message


def test_a_centred_body_paragraph():
    report = CLEAN.replace_item(BODY, text="本段文字居中排列，不符合要求。")
    css = f"#p{CLEAN.index_of(BODY)} {{ text-align: center; text-indent: 0 }}"
    result = check_report(to_pdf(report, css), FILENAME, "enterprise")
    finding = only_finding(result, "body.align")
    assert finding.location.paragraph == CLEAN.index_of(BODY)
    assert "居中" in finding.message


def test_single_line_spacing_is_a_warning():
    finding = only_finding(check_pdf(".body { line-height: 1.25; }"), "body.line_spacing")
    assert finding.status == "warn"


def test_a_title_that_is_left_aligned_small_and_not_bold():
    result = check_pdf("p.title { text-align: left; font-size: 16pt; font-weight: normal; }")
    assert codes(result) == ["title.align", "title.bold", "title.size"]
    assert {f.location.paragraph for f in result.findings} == {1}


def test_level_one_headings_not_bold():
    finding = only_finding(check_pdf("p.h1 { font-weight: normal; }"), "heading.bold")
    assert finding.count == 3


def test_no_page_numbers():
    pdf = to_pdf(CLEAN, page="")
    finding = only_finding(check_report(pdf, FILENAME, "enterprise"), "page_number.missing")
    assert finding.status == "fail"
    assert finding.count == len(PdfReader(io.BytesIO(pdf)).pages) > 1
    assert finding.location.page == 1


def test_page_numbers_on_the_right():
    page = "@bottom-right { content: counter(page); }"
    finding = only_finding(check_pdf(page=page), "page_number.position")
    assert "不居中" in finding.message


def test_page_numbers_at_the_top():
    page = "@top-center { content: counter(page); }"
    finding = only_finding(check_pdf(page=page), "page_number.position")
    assert "上方" in finding.message


def test_a_missing_section_in_a_pdf():
    report = CLEAN.edit(lambda items: drop_section(items, "3.目标计划"))
    result = check_report(to_pdf(report), FILENAME, "enterprise")
    finding = only_finding(result, "outline.missing")
    assert "3.目标计划" in finding.message


def test_the_file_name_rule():
    wrong = check_report(
        to_pdf(CLEAN), "实践报告.pdf", "enterprise", organisation_name="某某有限公司"
    )
    finding = only_finding(wrong, "filename")
    assert finding.status == "fail"
    assert "用户满意经营实践报告+某某有限公司+企业类.pdf" in finding.message
    right = check_report(
        to_pdf(CLEAN),
        "用户满意经营实践报告某某有限公司企业类.pdf",
        "enterprise",
        organisation_name="某某有限公司",
    )
    assert right.findings == ()
    unnamed = check_pdf(filename="报告.pdf")
    assert only_finding(unnamed, "filename").status == "warn"


# ---------------------------------------------------------------------------------------------
# Font names as PDFs carry them


@pytest.mark.parametrize(
    ("raw", "name", "kind"),
    [
        ("ABCDEF+SimSun", "SimSun", "song"),
        ("SimSun,Bold", "SimSun,Bold", "song"),
        ("ËÎÌå", "宋体", "song"),  # GBK bytes shown as Latin-1
        ("b'\\xcb\\xce\\xcc\\xe5'", "宋体", "song"),  # GBK bytes as pdfminer's repr
        ("BAAAAA+NotoSerifCJKjp-Regular-VKana", "NotoSerifCJKjp-Regular-VKana", "song"),
        ("ARPLUMingCN", "ARPLUMingCN", "song"),
        ("ºÚÌå", "黑体", "other"),
        ("FangSong_GB2312", "FangSong_GB2312", "other"),
        ("KaiTi", "KaiTi", "other"),
        ("NotoSansCJKsc-Regular", "NotoSansCJKsc-Regular", "other"),
        ("Microsoft YaHei", "Microsoft YaHei", "other"),
        ("TimesNewRomanPSMT", "TimesNewRomanPSMT", "unknown"),
    ],
)
def test_font_names_are_decoded_and_classified(raw, name, kind):
    assert decode_font_name(raw) == name
    assert classify_face(raw) == kind
