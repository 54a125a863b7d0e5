"""The cover and the two commitment letters: laid out like the official ones, text from the
scheme, the applicant's choices ticked and its name filled in — and the Chinese text can be
extracted again, so the fonts are embedded properly."""

from __future__ import annotations

import re

import pytest

from manyi.documents import render_commitment_letter, render_cover

from .conftest import ORGANISATION
from .pdfhelpers import all_text, embedded_fonts, page_texts, reader


def cover(scheme, fill_date, category="team", level="four") -> bytes:
    return render_cover(
        scheme,
        category=category,
        level=level,
        values={
            "enterprise_name": ORGANISATION,
            "promoting_body": "福建省质量协会",
            "fill_date": fill_date,
        },
    )


def test_the_cover_says_what_the_official_one_says(scheme, fill_date):
    pdf = cover(scheme, fill_date)
    [text] = page_texts(pdf)
    assert "附件1" in text
    assert "2025年用户满意等级评价申请书" in text
    assert f"企业名称： {ORGANISATION} （盖章）" in text
    assert "推进机构： 福建省质量协会" in text
    assert "填表日期　2025年3月1日" in text


def test_the_cover_ticks_the_chosen_category_and_level_only(scheme, fill_date):
    text = page_texts(cover(scheme, fill_date, "team", "four"))[0]
    ticked = re.findall(r"☑\s*(\S+)", text)
    unticked = re.findall(r"☐\s*(\S+)", text)
    assert ticked == ["班组类", "用户满意级"]
    assert unticked == ["企业类", "服务类", "产品类", "工程类", "标杆级", "满意亮诺级"]


def test_the_cover_is_one_a4_page_with_its_fonts_embedded(scheme, fill_date):
    document = reader(cover(scheme, fill_date))
    assert len(document.pages) == 1
    box = document.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = embedded_fonts(document.pages[0])
    assert any("Noto-Serif-CJK-SC" in name for name in fonts), fonts
    assert all(fonts.values()), fonts


def test_a_cover_without_date_leaves_blanks_to_write_by_hand(scheme):
    pdf = render_cover(scheme, category="enterprise", level="five", values={})
    assert "填表日期　　　　　年　　月　　日" in page_texts(pdf)[0]


def test_the_operation_letter_1_1_is_prefilled_for_sealing(scheme):
    letter = scheme.commitment_letter("operation")
    pdf = render_commitment_letter(scheme, "operation", organisation_name=ORGANISATION)
    text = all_text(pdf)
    assert "附件1-1" in text
    for line in [letter.title, letter.preamble, *(c.number + c.text for c in letter.clauses)]:
        assert re.sub(r"\s+", "", line) in text
    assert f"承诺企业（盖章）：{ORGANISATION}" in text
    assert text.endswith("年月日")  # the date stays blank for the seal


def test_the_application_letter_1_2_names_the_unit_and_leaves_room_to_sign(scheme):
    pdf = render_commitment_letter(scheme, "application", organisation_name=ORGANISATION)
    text = all_text(pdf)
    assert "附件1-2" in text and "用户满意等级评价申报承诺书" in text
    assert "本单位对上述条款做出郑重承诺，并在申报过程中严格遵守。" in text
    assert f"单位名称：{ORGANISATION}（盖章）" in text
    assert "主要负责人签字：" in text
    assert "愿意接受中国质量协会的现场抽查" in text


def test_each_letter_fits_on_one_page_even_with_a_long_name(scheme):
    long_name = "福州示例电力集团有限责任公司第一分公司"
    for key in ("operation", "application"):
        pdf = render_commitment_letter(scheme, key, organisation_name=long_name)
        assert len(reader(pdf).pages) == 1, key


def test_a_category_cannot_be_printed_with_a_level_it_may_not_apply_for(scheme):
    with pytest.raises(ValueError, match="产品类不能申请用户满意标杆（五星）级"):
        render_cover(scheme, category="product", level="five", values={})


def test_a_letter_may_be_dated(scheme, fill_date):
    pdf = render_commitment_letter(
        scheme, "operation", organisation_name=ORGANISATION, signed_on=fill_date
    )
    assert all_text(pdf).endswith("2025年3月1日")
