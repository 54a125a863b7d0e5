"""No document crashes the checker: each check runs behind its own boundary.

A part that a relationship names but that is missing or of the wrong kind is skipped with a
finding "无法完整检查：<what>（<why>）" (a warning), and the findings that would rest on it only
warn; an error inside one check becomes such a finding and the other checks still run.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

import manyi.practice_report.pdf_reader as pdf_reader
from manyi.practice_report import ReportReadError
from manyi.practice_report.findings import INCOMPLETE
from tests.practice_report.conftest import check, check_docx, codes, only_finding
from tests.practice_report.corpus import outline_report, to_docx
from tests.practice_report.word_corpus import with_even_footer_reference

CLEAN = outline_report()
BODY = CLEAN.body(3).text
PDF = Path(__file__).parent / "fixtures" / "weasyprint-page-number-defects.pdf"


def test_an_even_page_footer_reference_to_a_part_that_is_not_a_footer_is_skipped():
    result = check_docx(with_even_footer_reference(CLEAN, "styles.xml"))
    finding = only_finding(result, INCOMPLETE)
    assert finding.message == (
        "无法完整检查：偶数页页脚（关系 rIdOdd 指向的 word/styles.xml 不是页脚）"
    )
    assert finding.status == "warn" and finding.source == "advice" and finding.reason
    assert result.ok


def test_a_footer_reference_to_a_missing_part_is_skipped():
    result = check_docx(with_even_footer_reference(CLEAN, "footer9.xml"))
    assert "word/footer9.xml 不存在" in only_finding(result, INCOMPLETE).message


def test_a_footer_reference_through_a_relationship_of_another_type_is_skipped():
    image = {"word/media/image1.png": ("image/png", "")}
    report = with_even_footer_reference(CLEAN, "media/image1.png", "image", parts=image)
    assert "类型不是页脚" in only_finding(check_docx(report), INCOMPLETE).message


def _edited(data: bytes, name: str, old: str, new: str) -> bytes:
    """The package with one text replaced in one part."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == name:
                assert old.encode() in blob
                blob = blob.replace(old.encode(), new.encode())
            target.writestr(info, blob)
    return out.getvalue()


def test_format_findings_resting_on_an_unreadable_styles_part_only_warn():
    # The styles relationship leads to the theme: formats are Word's defaults, a guess.
    data = _edited(
        to_docx(CLEAN),
        "word/_rels/document.xml.rels",
        'Target="styles.xml"',
        'Target="theme/theme1.xml"',
    )
    result = check(data, "报告.docx")
    assert result.ok
    incomplete = next(f for f in result.findings if f.code == INCOMPLETE)
    assert incomplete.message.startswith("无法完整检查：样式（")
    body = [f for f in result.findings if f.code.startswith("body.")]
    assert body and all(f.status == "warn" and "样式无法读取" in f.reason for f in body)


def test_a_check_that_breaks_is_reported_and_the_others_still_run(monkeypatch, caplog):
    monkeypatch.setattr(
        "manyi.practice_report.api.numbering_findings", _raises(ValueError("unexpected"))
    )
    report = CLEAN.replace_item(BODY, ppr='<w:jc w:val="left"/>')
    with caplog.at_level(logging.ERROR, logger="manyi.practice_report.api"):
        result = check_docx(report)
    assert set(codes(result)) == {"body.align", INCOMPLETE}
    finding = next(f for f in result.findings if f.code == INCOMPLETE)
    assert finding.message == "无法完整检查：标题编号（读取时出错：ValueError：unexpected）"
    assert "标题编号" in caplog.text  # the error is logged with its traceback


def test_a_paragraph_that_breaks_a_format_check_is_named_and_the_rest_are_checked(monkeypatch):
    import manyi.practice_report.docx_checks as docx_checks

    real = docx_checks._text_checks

    def breaks_on_one(kind, block, *args, **kwargs):
        if block.text == BODY:
            raise KeyError("w:val")
        return real(kind, block, *args, **kwargs)

    monkeypatch.setattr(docx_checks, "_text_checks", breaks_on_one)
    report = CLEAN.replace_item(CLEAN.body(5).text, ppr='<w:jc w:val="left"/>')
    result = check_docx(report)
    incomplete = next(f for f in result.findings if f.code == INCOMPLETE)
    assert incomplete.location.paragraph == CLEAN.index_of(BODY)
    assert "body.align" in codes(result)


def _raises(error: Exception):
    def broken(*args, **kwargs):
        raise error

    return broken


def test_when_the_structure_cannot_be_found_the_page_numbers_are_still_checked(monkeypatch):
    monkeypatch.setattr("manyi.practice_report.api.find_structure", _raises(IndexError()))
    result = check_docx(replace(CLEAN, footer="<w:p/>"))
    assert set(codes(result)) == {INCOMPLETE, "page_number.missing"}
    finding = next(f for f in result.findings if f.code == INCOMPLETE)
    assert finding.message.startswith("无法完整检查：标题、章节和字数（")


@pytest.mark.parametrize(
    ("name", "why"),
    [("word/numbering.xml", "编号定义"), ("word/settings.xml", "文档设置")],
)
def test_a_related_part_that_is_not_well_formed_is_skipped(name, why):
    from tests.practice_report.corpus import package

    parts = {
        "word/document.xml": to_docx_part(CLEAN),
        name: "<w:broken",
    }
    result = check(package(parts), "报告.docx")
    finding = next(f for f in result.findings if f.code == INCOMPLETE)
    assert why in finding.message and "XML 格式错误" in finding.message


def to_docx_part(report) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(to_docx(report))) as archive:
        return archive.read("word/document.xml").decode().split("?>", 1)[1]


def test_a_pdf_page_that_cannot_be_read_is_named_and_the_others_are_checked(monkeypatch):
    real = pdf_reader._page

    def second_page_breaks(number, *args):
        if number == 2:
            raise KeyError("/Font")
        return real(number, *args)

    monkeypatch.setattr(pdf_reader, "_page", second_page_breaks)
    result = check(PDF.read_bytes(), "报告.pdf")
    incomplete = [f for f in result.findings if f.code == INCOMPLETE]
    assert [f.message for f in incomplete] == ["无法完整检查：第 2 页（读取时出错：KeyError）"]
    assert incomplete[0].location.page == 2
    assert {f.location.page for f in result.findings if f.code == "page_number.position"} == {
        3,
        4,
    }


def test_a_pdf_none_of_whose_pages_can_be_read_is_unreadable(monkeypatch):
    monkeypatch.setattr(pdf_reader, "_page", _raises(KeyError("/Font")))
    with pytest.raises(ReportReadError, match="PDF 内容已损坏"):
        check(PDF.read_bytes(), "报告.pdf")
