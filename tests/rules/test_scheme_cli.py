"""``manyi scheme show`` and ``manyi scheme check`` through the real ``manyi`` dispatcher."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import manyi.cli


@pytest.fixture(autouse=True)
def only_scheme_commands(monkeypatch):
    # Sibling engines register their own sub-commands and are built in parallel; these tests
    # exercise the dispatcher with the scheme commands alone.
    monkeypatch.setattr(manyi.cli, "COMMAND_MODULES", ("manyi.rules.cli",))


def test_show_summarises_the_2025_scheme_in_chinese(capsys):
    assert manyi.cli.main(["scheme", "show"]) == 0
    out = capsys.readouterr().out
    assert "2025年用户满意等级评价" in out
    assert "产品类：四星（用户满意（四星）级）、三星（用户满意亮诺（三星）级）" in out
    assert (
        "实践报告讲解视频［实践报告］必须：全部类别，五星；"
        "格式 mp4/mov/m4v，不超过 15 分钟，不超过 30 MB" in out
    )
    assert "企业类：28 个标题" in out


def test_show_json_dumps_the_whole_scheme_unescaped(capsys):
    assert manyi.cli.main(["scheme", "show", "--year", "2025", "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["campaign"]["survey_start_date"] == "2025-01-01"
    assert len(data["outlines"]) == 5
    assert "企业类" in out  # ensure_ascii=False


def test_show_for_a_year_without_a_scheme_fails(capsys):
    assert manyi.cli.main(["scheme", "show", "--year", "1999"]) == 1
    assert "没有 1999 年的评价方案" in capsys.readouterr().err


def test_check_accepts_a_valid_file(tmp_path: Path, scheme_text: str, capsys):
    path = tmp_path / "2026.toml"
    path.write_text(scheme_text, encoding="utf-8")
    assert manyi.cli.main(["scheme", "check", str(path)]) == 0
    assert "方案文件有效" in capsys.readouterr().out


def test_check_refuses_a_broken_file_with_the_reason(tmp_path: Path, scheme_text: str, capsys):
    path = tmp_path / "2026.toml"
    path.write_text(scheme_text.replace('version = "2025.1"', "", 1), encoding="utf-8")
    assert manyi.cli.main(["scheme", "check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "2026.toml" in err and "campaign.version：缺少必填的键" in err


def test_check_of_a_missing_file_exits_2(tmp_path: Path, capsys):
    assert manyi.cli.main(["scheme", "check", str(tmp_path / "nope.toml")]) == 2
    assert "文件不存在" in capsys.readouterr().err
