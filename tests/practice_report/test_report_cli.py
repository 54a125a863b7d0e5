"""``manyi report check`` and ``manyi report template`` through the real dispatcher.

Exit codes of ``check``: 0 nothing fails, 1 something fails, 2 the file (or the scheme) cannot
be read — never 1 for a crash.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest

import manyi.cli
from manyi.practice_report import build_template, check_report
from manyi.rules import load_scheme, load_scheme_file
from manyi.rules.loader import newest_year
from tests.practice_report.conftest import SCHEME
from tests.practice_report.corpus import outline_report, to_docx
from tests.practice_report.word_corpus import with_even_footer_reference

RENAMED = ('title = "满意理念"', 'title = "用户满意理念体系"')


@pytest.fixture(autouse=True)
def only_report_commands(monkeypatch):
    monkeypatch.setattr(manyi.cli, "COMMAND_MODULES", ("manyi.practice_report.cli",))


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _check(*args: str) -> int:
    return manyi.cli.main(["report", "check", *args])


def test_a_clean_report_exits_0(tmp_path, capsys):
    path = _write(tmp_path, "报告.docx", to_docx(outline_report("team")))
    assert _check(path, "--category", "team") == 0
    out = capsys.readouterr().out
    assert "不通过 0 项" in out and "没有不通过的项目" in out


def test_a_failing_report_exits_1_and_says_where_how_to_fix_and_why(tmp_path, capsys):
    report = outline_report().replace_item("一、企业简介", rpr='<w:b w:val="0"/>')
    path = _write(tmp_path, "报告.docx", to_docx(report))
    assert _check(path, "--category", "enterprise") == 1
    out = capsys.readouterr().out
    assert "[不通过] heading.bold：一级标题「一、企业简介」未加粗" in out
    assert "位置：第 2 段" in out and "修改：" in out
    assert "依据：申请书要求：一级标题加粗" in out


def test_warnings_alone_exit_0(tmp_path, capsys):
    report = outline_report(part_chars={"总结思考": 1200})
    path = _write(tmp_path, "报告.docx", to_docx(report))
    assert _check(path, "--category", "enterprise") == 0
    assert "[警告] length.part" in capsys.readouterr().out


def test_json_output_has_the_common_finding_shape(tmp_path, capsys):
    report = replace(outline_report(), footer="<w:p/>")
    path = _write(tmp_path, "报告.docx", to_docx(report))
    assert _check(path, "--category", "enterprise", "--json") == 1
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["file"] == "报告.docx" and data["category"] == "enterprise"
    assert data["summary"] == {"fail": 1, "warn": 0, "pass": 23}
    assert set(data["chars"]["parts"]) == {"企业简介", "用户满意经营实践", "总结思考"}
    (finding,) = data["findings"]
    assert finding["code"] == "page_number.missing" and finding["status"] == "fail"
    assert finding["source"] == "seed" and finding["quote"] == "页码在下方居中"
    assert {"message", "where", "fix", "reason", "location", "count"} <= set(finding)
    assert "页码" in out  # ensure_ascii=False


def test_the_organisation_name_checks_a_pdfs_file_name_only(tmp_path, capsys):
    docx = _write(tmp_path, "报告.docx", to_docx(outline_report()))
    args = ["--category", "enterprise", "--organisation", "某某公司"]
    assert _check(docx, *args) == 0  # a Word draft is not yet the named PDF
    assert "filename" not in capsys.readouterr().out


def test_an_unreadable_file_exits_2_with_the_reason(tmp_path, capsys):
    path = _write(tmp_path, "报告.docx", b"")
    assert _check(path, "--category", "team") == 2
    assert "文件为空" in capsys.readouterr().err


def test_a_pdf_without_pages_exits_2_saying_so(tmp_path, capsys):
    import io

    from pypdf import PdfWriter

    out = io.BytesIO()
    PdfWriter().write(out)
    path = _write(tmp_path, "报告.pdf", out.getvalue())
    assert _check(path, "--category", "team") == 2
    assert "PDF 没有页面" in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path, capsys):
    assert _check(str(tmp_path / "nope.docx"), "--category", "team") == 2
    assert "无法读取文件" in capsys.readouterr().err


def test_an_unknown_category_exits_2_naming_the_schemes_categories(tmp_path, capsys):
    path = _write(tmp_path, "报告.docx", to_docx(outline_report()))
    assert _check(path, "--category", "shop") == 2
    assert "未知的申请类别 shop" in capsys.readouterr().err


def test_a_footer_that_is_not_a_footer_is_a_warning_not_a_crash(tmp_path, capsys):
    # The even-page footer reference leads to the styles part: skipped, said, exit 0.
    report = with_even_footer_reference(outline_report(), "styles.xml")
    path = _write(tmp_path, "报告.docx", to_docx(report))
    assert _check(path, "--category", "enterprise") == 0
    out = capsys.readouterr().out
    assert "[警告] check.incomplete：无法完整检查：偶数页页脚" in out


def test_a_crash_inside_the_checker_exits_2_not_1(tmp_path, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("manyi.practice_report.cli.check_report", broken)
    path = _write(tmp_path, "报告.docx", to_docx(outline_report()))
    assert _check(path, "--category", "enterprise") == 2
    assert "检查器出错" in capsys.readouterr().err


def same_document(a: bytes, b: bytes) -> bool:
    """Two DOCX files with the same parts (the zip's own timestamps may differ by a second)."""
    with zipfile.ZipFile(io.BytesIO(a)) as first, zipfile.ZipFile(io.BytesIO(b)) as second:
        names = first.namelist()
        return names == second.namelist() and all(
            first.read(name) == second.read(name) for name in names
        )


def test_the_default_scheme_is_the_newest_year(tmp_path):
    out = tmp_path / "模板.docx"
    assert manyi.cli.main(["report", "template", "--category", "product", "-o", str(out)]) == 0
    newest = load_scheme(newest_year())
    assert same_document(out.read_bytes(), build_template("product", scheme=newest))


def test_template_writes_the_category_template(tmp_path, capsys):
    out = tmp_path / "模板.docx"
    args = ["report", "template", "--category", "product", "--year", "2025", "-o", str(out)]
    assert manyi.cli.main(args) == 0
    assert str(out) in capsys.readouterr().out
    assert same_document(out.read_bytes(), build_template("product", scheme=SCHEME))


def test_an_unknown_year_exits_2(tmp_path, capsys):
    out = tmp_path / "模板.docx"
    args = ["report", "template", "--category", "team", "--year", "1999", "-o", str(out)]
    assert manyi.cli.main(args) == 2
    assert "1999" in capsys.readouterr().err


def test_register_works_with_a_plain_argparse_parser(tmp_path):
    import argparse

    from manyi.practice_report.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    path = _write(tmp_path, "报告.docx", to_docx(outline_report()))
    args = parser.parse_args(["report", "check", path, "--category", "enterprise"])
    assert args.handler(args) == 0


# ---------------------------------------------------------------------------------------------
# A new year is a scheme file: a 2026 draft with one heading renamed


@pytest.fixture
def scheme_2026(tmp_path) -> Path:
    text = resources.files("manyi.rules").joinpath("schemes/2025.toml").read_text("utf-8")
    assert text.count(RENAMED[0]) >= 1
    text = text.replace(RENAMED[0], RENAMED[1], 1)
    text = text.replace("year = 2025\n", "year = 2026\n", 1)
    text = text.replace("data_year = 2024", "data_year = 2025", 1)
    path = tmp_path / "2026.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_2026_scheme_with_a_renamed_heading_passes_its_own_template(scheme_2026):
    scheme = load_scheme_file(scheme_2026)
    template = build_template("enterprise", scheme=scheme)
    assert check_report(template, "模板.docx", "enterprise", scheme=scheme).findings == ()
    against_2025 = check_report(template, "模板.docx", "enterprise", scheme=SCHEME)
    missing = [f for f in against_2025.findings if f.code == "outline.missing"]
    assert len(missing) == 1 and "满意理念" in missing[0].message
    assert not against_2025.ok


def test_the_command_line_checks_against_the_scheme_file_it_is_given(scheme_2026, tmp_path, capsys):
    template = tmp_path / "模板.docx"
    make = ["report", "template", "--category", "enterprise", "--scheme", str(scheme_2026)]
    assert manyi.cli.main([*make, "-o", str(template)]) == 0
    assert _check(str(template), "--category", "enterprise", "--scheme", str(scheme_2026)) == 0
    assert _check(str(template), "--category", "enterprise", "--year", "2025") == 1
    assert "用户满意理念体系" in capsys.readouterr().out


def test_a_broken_scheme_file_exits_2(tmp_path, capsys):
    broken = tmp_path / "2026.toml"
    broken.write_text("schema_version = 1\n", encoding="utf-8")
    path = _write(tmp_path, "报告.docx", to_docx(outline_report()))
    assert _check(path, "--category", "team", "--scheme", str(broken)) == 2
    assert "2026.toml" in capsys.readouterr().err
