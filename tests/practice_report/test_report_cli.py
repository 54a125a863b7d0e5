"""``manyi report check`` and ``manyi report template`` through the real dispatcher."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import manyi.cli
from manyi.practice_report import build_template
from tests.practice_report.corpus import outline_report, to_docx


@pytest.fixture(autouse=True)
def only_report_commands(monkeypatch):
    # The lead wires the module into COMMAND_MODULES; these tests use it alone.
    monkeypatch.setattr(manyi.cli, "COMMAND_MODULES", ("manyi.practice_report.cli",))


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_clean_report_exits_0(tmp_path, capsys):
    path = _write(tmp_path, "报告.docx", to_docx(outline_report("team")))
    assert manyi.cli.main(["report", "check", path, "--category", "team"]) == 0
    out = capsys.readouterr().out
    assert "不通过 0 项" in out and "没有不通过的项目" in out


def test_a_failing_report_exits_1_and_says_where_and_how_to_fix(tmp_path, capsys):
    report = outline_report().replace_item("一、企业简介", rpr='<w:b w:val="0"/>')
    path = _write(tmp_path, "报告.docx", to_docx(report))
    assert manyi.cli.main(["report", "check", path, "--category", "enterprise"]) == 1
    out = capsys.readouterr().out
    assert "[不通过] heading.bold：一级标题「一、企业简介」未加粗" in out
    assert "位置：第 2 段" in out and "修改：" in out


def test_json_output(tmp_path, capsys):
    report = replace(outline_report(), footer="<w:p/>")
    path = _write(tmp_path, "报告.docx", to_docx(report))
    args = ["report", "check", path, "--category", "enterprise", "--json"]
    assert manyi.cli.main(args) == 1
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["file"] == "报告.docx" and data["category"] == "enterprise"
    assert data["summary"] == {"fail": 1, "warn": 0, "pass": 22}
    assert data["chars"]["total"] > 0 and set(data["chars"]["parts"]) == {
        "企业简介",
        "用户满意经营实践",
        "总结思考",
    }
    (finding,) = data["findings"]
    assert finding["code"] == "page_number.missing" and finding["severity"] == "fail"
    assert {"message", "location", "hint"} <= set(finding)
    assert "页码" in out  # ensure_ascii=False


def test_the_organisation_name_checks_the_file_name(tmp_path, capsys):
    path = _write(tmp_path, "报告.docx", to_docx(outline_report()))
    args = ["report", "check", path, "--category", "enterprise", "--organisation", "某某公司"]
    assert manyi.cli.main(args) == 1
    assert "用户满意经营实践报告+某某公司+企业类.pdf" in capsys.readouterr().out


def test_an_unreadable_file_exits_2_with_the_reason(tmp_path, capsys):
    path = _write(tmp_path, "报告.docx", b"")
    assert manyi.cli.main(["report", "check", path, "--category", "team"]) == 2
    assert "文件为空" in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path, capsys):
    missing = str(tmp_path / "nope.docx")
    assert manyi.cli.main(["report", "check", missing, "--category", "team"]) == 2
    assert "无法读取文件" in capsys.readouterr().err


def test_an_unknown_category_is_refused_by_the_parser(tmp_path):
    with pytest.raises(SystemExit):
        manyi.cli.main(["report", "check", "a.docx", "--category", "shop"])


def test_template_writes_the_category_template(tmp_path, capsys):
    out = tmp_path / "模板.docx"
    args = ["report", "template", "--category", "product", "-o", str(out)]
    assert manyi.cli.main(args) == 0
    assert out.read_bytes()[:2] == b"PK"
    assert str(out) in capsys.readouterr().out
    assert len(out.read_bytes()) == len(build_template("product"))


def test_register_works_with_a_plain_argparse_parser(tmp_path):
    import argparse

    from manyi.practice_report.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    path = _write(tmp_path, "报告.docx", to_docx(outline_report()))
    args = parser.parse_args(["report", "check", path, "--category", "enterprise"])
    assert args.handler(args) == 0
