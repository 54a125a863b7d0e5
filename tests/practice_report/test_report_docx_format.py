"""DOCX format: title, body and headings are checked as Word shows them.

Each defect report differs from a clean one in one thing and must give exactly one finding,
with its code and location; clean reports give no failure, however they are formatted.
"""

from __future__ import annotations

from dataclasses import replace

from tests.practice_report.conftest import check_docx, codes, only_finding
from tests.practice_report.corpus import (
    BODY_PPR,
    FONTS,
    TITLE_PPR,
    auto_numbered,
    outline_report,
    styled,
)

CLEAN = outline_report()
BODY = CLEAN.body(3).text  # a body paragraph under （2）洞察需求期望


def test_a_report_formatted_through_styles_passes():
    result = check_docx(CLEAN)
    assert result.findings == ()
    assert result.ok and result.summary["fail"] == 0


def test_a_report_formatted_directly_on_every_paragraph_passes():
    assert check_docx(CLEAN, direct=True).findings == ()


def test_a_report_whose_heading_numbers_come_from_word_numbering_passes():
    result = check_docx(auto_numbered(CLEAN))
    assert result.findings == ()


def test_the_chinese_font_may_come_from_the_theme_when_the_theme_font_is_song():
    # Word's default: docDefaults say eastAsiaTheme="minorEastAsia", the theme's Hans font.
    theme_fonts = '<w:rFonts w:eastAsiaTheme="minorEastAsia"/>'
    report = replace(
        CLEAN,
        theme_hans="宋体",
        doc_defaults_rpr=theme_fonts + '<w:sz w:val="28"/>',
        styles={
            "Normal": styled("Normal", default=True, ppr=BODY_PPR, rpr='<w:sz w:val="28"/>'),
            "Title": styled(
                "Title", based_on="Normal", ppr=TITLE_PPR, rpr='<w:b/><w:sz w:val="36"/>'
            ),
        },
    )
    assert check_docx(report).findings == ()
    wrong = check_docx(replace(report, theme_hans="等线"))
    assert codes(wrong) == ["title.font", "body.font"]
    assert "「等线」" in wrong.findings[1].message and "主题字体" in wrong.findings[1].message


# ---------------------------------------------------------------------------------------------
# Body


def test_a_body_size_inherited_from_normal_is_one_finding_for_all_paragraphs():
    small = styled("Normal", default=True, ppr=BODY_PPR, rpr=FONTS + '<w:sz w:val="24"/>')
    result = check_docx(replace(CLEAN, styles={"Normal": small}))
    finding = only_finding(result, "body.size")
    bodies = sum(item.kind == "body" for item in CLEAN.items)
    assert finding.count == bodies
    assert f"共 {bodies} 段" in finding.message
    assert "小四（12 磅）" in finding.message and "四号（14 磅）" in finding.message
    assert "样式「正文」" in finding.message and "样式「正文」" in finding.fix
    assert finding.location.paragraph == CLEAN.index_of(CLEAN.body(0).text)
    assert [loc.paragraph for loc in finding.locations][:2] == [
        CLEAN.index_of(CLEAN.body(0).text),
        CLEAN.index_of(CLEAN.body(1).text),
    ]


def test_three_hundred_paragraphs_with_one_inherited_error_are_not_a_flood():
    extra = [replace(CLEAN.items[2], text="好。")] * (300 - len(CLEAN.items))
    many = CLEAN.edit(lambda items: [*items[:3], *extra, *items[3:]])
    bodies = sum(item.kind == "body" for item in many.items)
    assert bodies > 250
    small = styled("Normal", default=True, ppr=BODY_PPR, rpr=FONTS + '<w:sz w:val="24"/>')
    result = check_docx(replace(many, styles={"Normal": small}))
    size = [f for f in result.findings if f.code == "body.size"]
    assert codes(result) == ["body.size"]
    assert len(size) == 1 and size[0].count == bodies and len(size[0].locations) == 5
    assert f"共 {bodies} 段" in size[0].message


def test_a_wrong_east_asian_font_on_one_paragraph():
    report = CLEAN.replace_item(BODY, rpr='<w:rFonts w:eastAsia="黑体"/>')
    finding = only_finding(check_docx(report), "body.font")
    assert finding.location.paragraph == CLEAN.index_of(BODY)
    assert finding.location.heading == "（2）洞察需求期望"
    assert "「黑体」" in finding.message and "直接格式" in finding.message


def test_wrong_font_and_wrong_size_in_one_paragraph_are_two_findings():
    report = CLEAN.replace_item(BODY, rpr='<w:rFonts w:eastAsia="楷体"/><w:sz w:val="32"/>')
    result = check_docx(report)
    assert codes(result) == ["body.font", "body.size"]
    assert {f.location.paragraph for f in result.findings} == {CLEAN.index_of(BODY)}


def test_exactly_28_points_is_not_one_and_a_half_lines():
    report = CLEAN.replace_item(BODY, ppr='<w:spacing w:line="560" w:lineRule="exact"/>')
    finding = only_finding(check_docx(report), "body.line_spacing")
    assert finding.location.paragraph == CLEAN.index_of(BODY)
    assert "固定值 28 磅" in finding.message and "1.5 倍行距" in finding.message


def test_a_paragraph_without_first_line_indent():
    report = CLEAN.replace_item(BODY, ppr='<w:ind w:firstLineChars="0" w:firstLine="0"/>')
    finding = only_finding(check_docx(report), "body.indent")
    assert finding.location.paragraph == CLEAN.index_of(BODY)
    assert "无首行缩进" in finding.message


def test_indent_in_characters_wins_over_twips_as_in_word():
    # firstLineChars="200" is what Word shows, whatever the twips fallback says.
    report = CLEAN.replace_item(BODY, ppr='<w:ind w:firstLineChars="200" w:firstLine="100"/>')
    assert check_docx(report).findings == ()


def test_indent_in_twips_only_counts_at_the_body_size():
    fine = CLEAN.replace_item(BODY, ppr='<w:ind w:firstLineChars="0" w:firstLine="560"/>')
    assert check_docx(fine).findings == ()
    wide = CLEAN.replace_item(BODY, ppr='<w:ind w:firstLineChars="0" w:firstLine="840"/>')
    assert "首行缩进 3 字符" in only_finding(check_docx(wide), "body.indent").message


def test_two_typed_full_width_spaces_count_as_the_indent():
    report = CLEAN.replace_item(
        BODY, text="\u3000\u3000" + BODY, ppr='<w:ind w:firstLineChars="0" w:firstLine="0"/>'
    )
    assert check_docx(report).findings == ()


def test_a_left_aligned_body_paragraph():
    report = CLEAN.replace_item(BODY, ppr='<w:jc w:val="left"/>')
    finding = only_finding(check_docx(report), "body.align")
    assert finding.location.paragraph == CLEAN.index_of(BODY)
    assert "左对齐" in finding.message and "两端对齐" in finding.message


def test_distributed_alignment_is_not_justified():
    report = CLEAN.replace_item(BODY, ppr='<w:jc w:val="distribute"/>')
    assert "分散对齐" in only_finding(check_docx(report), "body.align").message


def test_an_indent_of_typed_no_break_spaces_is_blamed_on_the_spaces():
    # Four no-break spaces before the text on top of the style's 2-character indent.
    report = CLEAN.replace_item(BODY, text="\u00a0" * 4 + BODY)
    finding = only_finding(check_docx(report), "body.indent")
    assert "首行缩进 4 字符" in finding.message
    assert "来自段首输入的空格" in finding.message and "样式" not in finding.message
    assert finding.fix.startswith("删除段首手动输入的空格（首行缩进已由段落格式设好）")


def test_typed_spaces_instead_of_an_indent_are_named_with_the_right_fix():
    report = CLEAN.replace_item(
        BODY, text="\u3000" + BODY, ppr='<w:ind w:firstLineChars="0" w:firstLine="0"/>'
    )
    finding = only_finding(check_docx(report), "body.indent")
    assert "首行缩进 1 字符" in finding.message and "来自段首输入的空格" in finding.message
    assert "改为在“段落”中将特殊格式设为首行缩进 2 字符" in finding.fix


def test_an_indent_from_direct_formatting_is_named_as_direct_formatting():
    report = CLEAN.replace_item(BODY, ppr='<w:ind w:firstLineChars="100" w:firstLine="280"/>')
    finding = only_finding(check_docx(report), "body.indent")
    assert finding.message == "正文首行缩进 1 字符，应为首行缩进 2 字符（来自直接格式）"
    assert finding.fix.startswith("选中这些段落")


def test_an_indent_from_the_style_is_named_as_the_style():
    normal = styled(
        "Normal",
        default=True,
        ppr=BODY_PPR.replace('w:firstLineChars="200" w:firstLine="560"', 'w:firstLineChars="0"'),
        rpr=FONTS + '<w:sz w:val="28"/>',
    )
    finding = only_finding(check_docx(replace(CLEAN, styles={"Normal": normal})), "body.indent")
    assert "无首行缩进，应为首行缩进 2 字符（来自样式「正文」）" in finding.message
    assert "在“样式”中修改样式「正文」" in finding.fix


def test_no_indent_anywhere_is_named_as_the_document_default():
    normal = styled(
        "Normal",
        default=True,
        ppr='<w:spacing w:line="360" w:lineRule="auto"/><w:jc w:val="both"/>',
        rpr=FONTS + '<w:sz w:val="28"/>',
    )
    finding = only_finding(check_docx(replace(CLEAN, styles={"Normal": normal})), "body.indent")
    assert "（来自文档默认格式）" in finding.message


def test_a_body_font_left_unset_only_warns():
    report = replace(CLEAN, doc_defaults_rpr='<w:sz w:val="28"/>', theme_hans="")
    normal = styled("Normal", default=True, ppr=BODY_PPR, rpr='<w:sz w:val="28"/>')
    result = check_docx(replace(report, styles={"Normal": normal}))
    finding = next(f for f in result.findings if f.code == "body.font")
    assert finding.status == "warn" and finding.source == "advice"
    assert "没有指定中文字体" in finding.message and "Word 的版本" in finding.reason


# ---------------------------------------------------------------------------------------------
# Title and headings


def test_a_title_in_the_wrong_size():
    report = CLEAN.replace_item(CLEAN.items[0].text, rpr='<w:sz w:val="32"/>')
    finding = only_finding(check_docx(report), "title.size")
    assert finding.location.paragraph == 1
    assert "三号（16 磅）" in finding.message and "小二（18 磅）" in finding.message


def test_a_title_not_centred_not_bold_and_one_and_a_half_spaced():
    report = CLEAN.replace_item(
        CLEAN.items[0].text,
        ppr='<w:spacing w:line="360" w:lineRule="auto"/><w:jc w:val="left"/>',
        rpr='<w:b w:val="0"/>',
    )
    assert codes(check_docx(report)) == ["title.align", "title.bold", "title.line_spacing"]


def test_a_report_without_a_title():
    report = CLEAN.edit(lambda items: items[1:])
    finding = only_finding(check_docx(report), "title.missing")
    assert finding.location.paragraph == 1


def test_bold_cancelled_by_a_bold_character_style():
    # 标题 1 is bold and so is the character style 要点 (Strong): toggles cancel, not bold.
    def strong(items):
        return [
            replace(item, runs=[(item.text, '<w:rStyle w:val="Strong"/>')])
            if item.kind == "heading" and item.level == 1
            else item
            for item in items
        ]

    finding = only_finding(check_docx(CLEAN.edit(strong)), "heading.bold")
    assert finding.count == 3
    assert finding.location.paragraph == CLEAN.index_of("一、企业简介")
    assert "样式「要点」" in finding.message


def test_direct_bold_off_beats_a_bold_heading_style():
    report = CLEAN.replace_item("三、总结思考", rpr='<w:b w:val="0"/>')
    finding = only_finding(check_docx(report), "heading.bold")
    assert finding.location.paragraph == CLEAN.index_of("三、总结思考")


def test_lower_headings_need_not_be_bold():
    report = CLEAN.replace_item("（一）策划", rpr="<w:b/>")
    assert check_docx(report).findings == ()


def test_the_page_comes_from_words_last_layout_when_saved():
    # Word records where pages broke when it saved (w:lastRenderedPageBreak).
    raw = (
        '<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:lastRenderedPageBreak/>'
        f"<w:t>{BODY}</w:t></w:r></w:p>"
    )
    finding = only_finding(check_docx(CLEAN.replace_item(BODY, raw=raw)), "body.align")
    assert finding.location.page == 2
    assert finding.location.paragraph == CLEAN.index_of(BODY)
