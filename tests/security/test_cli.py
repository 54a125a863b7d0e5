"""The command line: light start-up, JSON errors on stdout, no traceback for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from manyi import cli

HEAVY = ("numpy", "scipy", "django", "openpyxl", "weasyprint", "pandas")


def _imported_after(argv: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from manyi.cli import main\n"
        f"code = main({argv!r})\n"
        "print('MODULES', ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("MODULES"))
    return set(line.split()[1:])


def test_creditcode_imports_neither_numpy_scipy_nor_django():
    modules = _imported_after(["creditcode", "91350100M000100Y43"])
    assert "stdnum" in modules or "manyi" in modules
    assert not modules & set(HEAVY), modules & set(HEAVY)


def test_help_imports_no_command_module():
    code = (
        "import sys\nfrom manyi.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(m for m in sys.modules if m.startswith('manyi.'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("MODULES"))
    assert line.split()[1:] == ["manyi.cli"]
    assert "creditcode" in result.stdout and "audit" in result.stdout


def test_every_command_is_listed_with_the_module_that_registers_it():
    parser = cli.build_parser()
    registered = next(a for a in parser._actions if getattr(a, "choices", None)).choices
    assert set(registered) == set(cli.COMMANDS)


@pytest.mark.parametrize(
    "argv",
    [
        ["creditcode", "--json"],
        ["scheme", "check", "/no/such/scheme.toml", "--json"],
        ["survey", "check", "/no/such/data.xlsx", "--json"],
        ["report", "check", "/no/such/report.docx", "--category", "enterprise", "--json"],
        ["csi", "estimate", "/no/such/data.xlsx", "--json"],
        ["size", "--industry", "zz", "--employees", "1", "--revenue", "1", "--json"],
    ],
)
def test_json_errors_are_one_object_on_stdout_with_a_non_zero_exit(argv, capsys):
    code = cli.main(argv)
    out = capsys.readouterr().out
    assert code != 0
    error = json.loads(out)
    assert error["ok"] is False and error["exit_code"] == code and error["error"]


def test_a_json_result_that_reports_problems_is_left_as_it_is(capsys):
    code = cli.main(["creditcode", "91350211M0000XUF46", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 1 and "exit_code" not in result


def test_an_unexpected_error_is_one_sentence_not_a_traceback(monkeypatch, capsys):
    from manyi.orgs import cli as orgs_cli

    def broken(args):
        raise RuntimeError("磁盘坏了")

    monkeypatch.delenv("MANYI_DEBUG", raising=False)
    monkeypatch.setattr(orgs_cli, "run_creditcode", broken)
    code = cli.main(["creditcode", "91350100M000100Y43"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_INTERNAL_ERROR
    assert "命令未能完成：RuntimeError: 磁盘坏了" in err and "Traceback" not in err


def test_the_web_process_starts_without_the_heavy_engines(tmp_path):
    code = (
        "import sys\n"
        "from manyi.web.wsgi import application\n"
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        "print('MODULES', ' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "MANYI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    line = next(line for line in result.stdout.splitlines() if line.startswith("MODULES"))
    modules = set(line.split()[1:])
    assert "django" in modules
    assert not modules & {"numpy", "scipy", "openpyxl", "weasyprint"}
