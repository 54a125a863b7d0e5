"""``manyi survey check`` and ``manyi csi estimate`` end to end."""

from __future__ import annotations

import argparse
import json

import pytest

import manyi.cli
from manyi.measurement.cli import register

from .helpers import CODEBOOK, MODEL, csv_bytes, survey_rows


def run(argv):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.handler(args)


@pytest.fixture()
def files(tmp_path):
    (tmp_path / "codebook.toml").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "model.toml").write_text(MODEL, encoding="utf-8")
    (tmp_path / "ok.csv").write_bytes(csv_bytes(survey_rows(60)))
    bad = survey_rows(60)
    bad[3][1] = "2024-06-01"
    (tmp_path / "early.csv").write_bytes(csv_bytes(bad))
    (tmp_path / "empty.csv").write_bytes(b"")
    return tmp_path


def test_check_ok(files, capsys):
    assert (
        run(["survey", "check", str(files / "ok.csv"), "--codebook", str(files / "codebook.toml")])
        == 0
    )
    assert "原始样本 60 个" in capsys.readouterr().out


def test_check_fail_and_json(files, capsys):
    code = run(
        [
            "survey",
            "check",
            str(files / "early.csv"),
            "--codebook",
            str(files / "codebook.toml"),
            "--json",
        ]
    )
    assert code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "fail"
    assert data["n_clean"] == 59
    assert any(f["rule"] == "访问日期早于开始日期" for f in data["flags"])


def test_check_unreadable(files, capsys):
    assert (
        run(
            [
                "survey",
                "check",
                str(files / "empty.csv"),
                "--codebook",
                str(files / "codebook.toml"),
            ]
        )
        == 2
    )
    assert "空文件" in capsys.readouterr().err


def test_check_writes_workbook_and_checks_list(files, capsys):
    rows = survey_rows(60)
    names = [["姓名", "联系方式", "编号"]] + [[r[2], r[3], r[0]] for r in rows[1:56]]
    (files / "list.csv").write_bytes(csv_bytes(names))
    out = files / "records.xlsx"
    code = run([
        "survey", "check", str(files / "ok.csv"), "--codebook", str(files / "codebook.toml"),
        "--respondents", str(files / "list.csv"), "--workbook", str(out),
    ])  # fmt: skip
    assert code == 0
    assert out.read_bytes()[:2] == b"PK"
    assert "名单列出 55 人" in capsys.readouterr().out


def test_estimate_json(files, capsys):
    code = run([
        "csi", "estimate", str(files / "ok.csv"), "--codebook", str(files / "codebook.toml"),
        "--model", str(files / "model.toml"), "--bootstrap", "200", "--seed", "4", "--json",
    ])  # fmt: skip
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["paths"][0]["from"] == "IMAG" and data["paths"][0]["to"] == "SAT"
    assert set(data["index"]) == {"IMAG", "SAT"}
    assert 0 < data["index"]["SAT"] < 100
    assert set(data["reliability"]["SAT"]) >= {"alpha", "rho_a", "rho_c", "ave"}
    assert set(data["weights"]) == {"imag1", "imag2", "imag3", "sat1", "sat2", "sat3"}
    assert isinstance(data["gof"], float)
    assert data["quality"]["status"] in ("pass", "warn")
    assert data["bootstrap"]["failed"] == 0
    assert {"from", "to", "estimate", "se", "ci_low", "ci_high"} <= set(
        data["bootstrap"]["paths"][0]
    )
    assert data["segments"]["sizes"] == {"华北": 30, "华东": 30}
    assert "r2" in data and "effects" in data and "loadings" in data


def test_estimate_without_codebook_uses_model_bounds(files, capsys):
    code = run(
        ["csi", "estimate", str(files / "ok.csv"), "--model", str(files / "model.toml"), "--json"]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["index"]["SAT"] is not None


def test_estimate_reference_data(reference_dir, capsys):
    code = run(
        ["csi", "estimate", str(reference_dir / "satisfaction.csv"), "--model", "ecsi", "--json"]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["gof"] == pytest.approx(0.609741624338411, abs=1e-9)
    assert data["r2"]["SAT"] == pytest.approx(0.707320950, abs=1e-9)


def test_estimate_default_model_with_scale(reference_dir, capsys):
    code = run(
        [
            "csi",
            "estimate",
            str(reference_dir / "satisfaction.csv"),
            "--scale",
            "0",
            "10",
            "--weighting",
            "path",
            "--stop",
            "strict",
            "--scaled",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "中国顾客满意指数模型" in out and "顾客满意度指数" in out


def test_estimate_errors(files, capsys):
    assert (
        run(["csi", "estimate", str(files / "empty.csv"), "--model", str(files / "model.toml")])
        == 2
    )
    (files / "cycle.toml").write_text(MODEL + 'SAT = ["IMAG"]\n', encoding="utf-8")
    assert (
        run(["csi", "estimate", str(files / "ok.csv"), "--model", str(files / "cycle.toml")]) == 2
    )
    assert "环" in capsys.readouterr().err
    (files / "few.csv").write_bytes(csv_bytes(survey_rows(8)))
    few = ["csi", "estimate", str(files / "few.csv"), "--codebook", str(files / "codebook.toml")]
    assert run([*few, "--model", str(files / "model.toml")]) == 1
    assert "至少需要 10 个" in capsys.readouterr().err


def test_an_item_everyone_answered_alike_is_listed_and_the_estimate_goes_on(files, capsys):
    rows = survey_rows(60)
    for row in rows[1:]:
        row[8] = 5
    (files / "flat.csv").write_bytes(csv_bytes(rows))
    code = run([
        "csi", "estimate", str(files / "flat.csv"), "--codebook", str(files / "codebook.toml"),
        "--model", str(files / "model.toml"),
    ])  # fmt: skip
    assert code == 0
    assert "sat1 —— 所有人答案相同（无差异），已从估计中去掉" in capsys.readouterr().out


def test_a_reverse_worded_item_left_unreversed_gives_no_index_and_exit_1(files, capsys):
    rows = survey_rows(60)
    for row in rows[1:]:
        row[10] = 11 - row[10]  # sat3 asked the other way round
    (files / "turned.csv").write_bytes(csv_bytes(rows))
    command = [
        "csi", "estimate", str(files / "turned.csv"), "--codebook", str(files / "codebook.toml"),
        "--model", str(files / "model.toml"),
    ]  # fmt: skip
    assert run(command) == 1
    captured = capsys.readouterr()
    assert "题项可能需要反向计分：「sat3」" in captured.err
    assert "SAT指数：不成立" in captured.out
    (files / "model_reverse.toml").write_text(
        MODEL.replace(
            'items = ["sat1", "sat2", "sat3"]',
            'items = ["sat1", "sat2", "sat3"]\nreverse = ["sat3"]',
        ),
        encoding="utf-8",
    )
    command[-1] = str(files / "model_reverse.toml")
    assert run(command) == 0


def test_estimate_report(files):
    out = files / "report.html"
    run(
        [
            "csi",
            "estimate",
            str(files / "ok.csv"),
            "--codebook",
            str(files / "codebook.toml"),
            "--model",
            str(files / "model.toml"),
            "--report",
            str(out),
            "--declared",
            "70",
        ]
    )
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "申报的满意度 70.0" in html


def test_through_manyi_main(files, monkeypatch, capsys):
    monkeypatch.setattr(manyi.cli, "COMMAND_MODULES", ("manyi.measurement.cli",))
    code = manyi.cli.main(
        ["survey", "check", str(files / "ok.csv"), "--codebook", str(files / "codebook.toml")]
    )
    assert code == 0


def test_25_respondents_with_a_constant_item_pass_survey_check_with_warnings(files, capsys):
    rows = survey_rows(25)
    for row in rows[1:]:
        row[7] = 9  # imag3: everybody the same
    (files / "small.csv").write_bytes(csv_bytes(rows))
    code = run(
        ["survey", "check", str(files / "small.csv"), "--codebook", str(files / "codebook.toml")]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "[警告] 题项「imag3」清洗后所有人答案相同（9），已从估计中去掉" in out
    assert "[警告] 清洗后有效样本 25 个，少于建议的 30 个" in out
    assert "系统建议" in out and "不通过" not in out
