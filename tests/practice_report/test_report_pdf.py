"""PDF reading: font names as PDFs carry them, and page numbers in the forms footers show.

Whole PDFs with their exact findings are the committed corpus (``test_report_corpus.py``).
"""

from __future__ import annotations

import pytest

from manyi.practice_report.pdf_reader import is_page_number
from manyi.practice_report.typography import classify_face, decode_font_name


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
        ("FZSSK--GBK1-0", "FZSSK--GBK1-0", "unknown"),  # 方正书宋 under its file name
    ],
)
def test_font_names_are_decoded_and_classified(raw, name, kind):
    assert decode_font_name(raw) == name
    assert classify_face(raw) == kind


@pytest.mark.parametrize(
    "text",
    [
        "3",
        "12",
        "- 3 -",
        "— 3 —",
        "-12-",
        "第 3 页",
        "第3页",
        "第 3 页 共 8 页",
        "第 3 页，共 8 页",
        "第 3 页（共 8 页）",
        "第3页/共8页",
        "共 8 页 第 3 页",
        "3 / 8",
        "3/8",
        "Page 3",
        "Page 3 of 8",
        "I",
        "II",
        "iv",
        "xiv",
    ],
)
def test_a_page_number_in_the_usual_forms_is_recognised(text):
    assert is_page_number(text)


@pytest.mark.parametrize(
    "text", ["", "IIII", "MMMM", "iv.", "3.5", "2025年", "第 3 章", "某某有限公司", "10000"]
)
def test_other_footer_text_is_not_a_page_number(text):
    assert not is_page_number(text)
