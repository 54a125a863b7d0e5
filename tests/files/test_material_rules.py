"""The per-material rules of the scheme: accepted formats by detected kind, size, the report's
file name, how many files, and whether the material belongs to the application at all."""

from __future__ import annotations

import pytest

from manyi.documents import samples
from manyi.files import inspect_file

from .conftest import ORGANISATION, codes


@pytest.mark.parametrize(
    "filename",
    [
        f"用户满意经营实践报告+{ORGANISATION}+企业类.pdf",
        f"用户满意经营实践报告＋{ORGANISATION}＋企业类.pdf",
        f"用户满意经营实践报告{ORGANISATION}企业类.PDF",
    ],
)
def test_report_file_names_that_follow_the_rule(check, filename):
    info = inspect_file(samples.sample_pdf(2), filename)
    assert check(info, "practice_report") == []


def test_a_report_with_another_name_is_refused_with_the_right_name(check):
    info = inspect_file(samples.sample_pdf(2), "实践报告-终稿.pdf")
    [finding] = check(info, "practice_report")
    assert finding.code == "report_filename"
    assert finding.message == (
        f"文件名应为「用户满意经营实践报告+{ORGANISATION}+企业类.pdf」，"
        "当前为「实践报告-终稿.pdf」，请改名后重新上传"
    )


def test_the_report_name_uses_the_category_applied_for(check):
    info = inspect_file(samples.sample_pdf(2), f"用户满意经营实践报告+{ORGANISATION}+企业类.pdf")
    [finding] = check(info, "practice_report", category="service")
    assert "服务类.pdf" in finding.message


def test_a_format_the_material_does_not_take(check):
    info = inspect_file(samples.sample_docx(), "用户满意经营实践报告.docx")
    findings = check(info, "practice_report")
    assert findings[0].code == "format_not_accepted"
    assert findings[0].message == (
        "「用户满意经营实践报告（PDF版本）」只接受 PDF 格式，这个文件是 Word 文档（DOCX），"
        "请转换为 PDF 后重新上传"
    )


def test_scans_may_be_pdf_jpg_or_png(check):
    for data, name in [
        (samples.sample_pdf(1), "营业执照.pdf"),
        (samples.sample_jpg(), "营业执照.jpg"),
        (samples.sample_jpg(), "营业执照.jpeg"),
        (samples.sample_png(), "营业执照.png"),
    ]:
        assert check(inspect_file(data, name), "business_licence") == [], name


def test_a_mislabelled_file_inspected_leniently_is_still_refused(check):
    info = inspect_file(samples.sample_png(), "营业执照.pdf", allow_mislabelled=True)
    assert info.kind == "png"
    [finding] = check(info, "business_licence")
    assert finding.code == "mislabelled"
    assert finding.message.startswith("文件内容是 PNG 图片，但扩展名是 .pdf")


def test_a_known_kind_without_a_usable_extension(check):
    info = inspect_file(samples.sample_jpg(), "营业执照")
    [finding] = check(info, "business_licence")
    assert finding.code == "extension_not_accepted"
    assert finding.message == (
        "文件没有扩展名，不是「有效期内年检合格营业执照复印件」可接受的格式（PDF、JPG、PNG）；"
        "文件内容是 JPG 图片，请把文件名改为以 .jpg 结尾后重新上传"
    )


def test_survey_databases_in_xlsx_or_csv(check):
    assert check(inspect_file(samples.sample_xlsx(), "数据库.xlsx"), "survey_database") == []
    assert check(inspect_file(samples.sample_csv(), "数据库.csv"), "survey_database") == []


def test_a_file_larger_than_the_material_allows(check, scheme):
    limit = scheme.material("business_licence").max_size_bytes
    info = inspect_file(samples.sample_jpg(), "营业执照.jpg")
    oversized = type(info)(**{**info.__dict__, "size": limit + 5 * 1024 * 1024})
    assert codes(check(oversized, "business_licence")) == ["too_large"]


def test_category_specific_materials(check):
    info = inspect_file(samples.sample_pdf(1), "检测报告.pdf")
    assert check(info, "product_test_report", category="product", level="four") == []
    [finding] = check(info, "product_test_report", category="enterprise", level="four")
    assert finding.code == "not_applicable"
