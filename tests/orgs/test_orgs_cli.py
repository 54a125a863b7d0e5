"""``manyi creditcode`` and ``manyi size`` through the real ``manyi.cli.main``."""

from __future__ import annotations

import json

import pytest

import manyi.cli


@pytest.fixture
def run(monkeypatch, capsys):
    # Only this package's commands: the others may need Django or may not exist yet.
    monkeypatch.setattr(manyi.cli, "COMMAND_MODULES", ("manyi.orgs.cli",))

    def invoke(*argv: str) -> tuple[int, str, str]:
        try:
            code = manyi.cli.main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


# ---------------------------------------------------------------------- creditcode


def test_creditcode_prints_the_derived_fields_and_exits_0_for_a_valid_code(run):
    code, out, _ = run("creditcode", "91350100M000100Y43")

    assert code == 0
    assert "有效" in out
    assert "9 工商" in out
    assert "1 企业" in out
    assert "350100 福建省 福州市" in out


def test_creditcode_exits_1_when_only_the_check_character_warning_remains(run):
    code, out, _ = run("creditcode", "91350211M0000XUF46")

    assert code == 1
    assert "[警告]" in out
    assert "人工核实" in out


def test_creditcode_exits_1_and_lists_errors_for_a_refused_code(run):
    code, out, _ = run("creditcode", "91350100MO00100Y43")

    assert code == 1
    assert "无效" in out
    assert "[错误]" in out
    assert "I、O、Z、S、V" in out


def test_creditcode_json_output(run):
    code, out, _ = run("creditcode", "5161 0700 3053 3246 0k", "--json")

    data = json.loads(out)
    assert code == 0
    assert data["code"] == "51610700305332460K"
    assert data["valid"] is True
    assert (data["authority"], data["category"]) == ("民政", "社会团体")
    assert (data["region_code"], data["province"], data["city"]) == ("610700", "陕西省", "汉中市")
    assert data["problems"] == []
    assert "民政" in out  # not escaped: ensure_ascii=False


def test_creditcode_json_lists_problems_as_objects(run):
    code, out, _ = run("creditcode", "91350211M0000XUF46", "--json")

    data = json.loads(out)
    assert code == 1
    assert data["valid"] is False
    assert data["check_char_ok"] is False
    assert data["problems"][0]["code"] == "check_char"
    assert data["problems"][0]["status"] == "warn"


def test_creditcode_without_a_code_is_a_usage_error(run):
    code, _, err = run("creditcode")

    assert code == 2
    assert "CODE" in err


# ---------------------------------------------------------------------- size


def test_size_prints_the_class_and_the_rule(run):
    code, out, _ = run("size", "--industry", "C", "--employees", "350", "--revenue", "1500")

    assert code == 0
    assert "规模：小型" in out
    assert "工业" in out
    assert "≥40000" in out


def test_size_json_output(run):
    code, out, _ = run(
        "size", "--industry", "7010", "--revenue", "200000", "--assets", "10000", "--json"
    )

    data = json.loads(out)
    assert code == 0
    assert data["size"] == "大型"
    assert data["classified"] is True
    assert data["reason"] is None
    assert "房地产开发经营" in data["rule"]


def test_size_of_an_industry_outside_the_rules_is_not_classified_with_exit_0(run):
    code, out, _ = run("size", "--industry", "J", "--employees", "10", "--revenue", "10")

    assert code == 0
    assert "未分类" in out
    assert "金融业" in out


def test_size_json_for_an_industry_outside_the_rules_has_null_size(run):
    code, out, _ = run("size", "--industry", "53", "--employees", "10", "--json")

    data = json.loads(out)
    assert code == 0
    assert data["size"] is None
    assert data["classified"] is False
    assert "铁路" in data["reason"]
    assert data["rule"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--industry", "99", "--employees", "1", "--revenue", "1"], "99"),
        (["--industry", "C", "--employees", "-1", "--revenue", "1"], "从业人员"),
        (["--industry", "C", "--employees", "1", "--revenue", "-1"], "营业收入"),
        (["--industry", "E", "--revenue", "1000"], "资产总额"),
        (["--industry", "70", "--employees", "1"], "702 物业管理"),
    ],
)
def test_size_bad_input_goes_to_stderr_with_exit_2(run, argv, expected):
    code, out, err = run("size", *argv)

    assert code == 2
    assert out == ""
    assert expected in err


def test_size_without_industry_is_a_usage_error(run):
    code, _, err = run("size", "--employees", "10")

    assert code == 2
    assert "--industry" in err
