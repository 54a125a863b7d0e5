"""The ``manyi`` command line.

Engines (credit code, size classes, scheme rules …) are used directly; commands that need the
database set up Django first. Each engine package contributes its sub-commands through a
``register(subparsers)`` function, so this module stays a thin dispatcher. Only the module of the
command being run is imported: ``manyi creditcode`` never pays for numpy, scipy or Django, and
``manyi --help`` imports none of them.

With ``--json`` a command that fails without printing a result prints one JSON object on stdout
(``{"ok": false, "exit_code": …, "error": "…"}``); its exit code stays non-zero.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import sys
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout

# Each sub-command, the module that registers it (``register(subparsers)``), and its help line.
COMMANDS: dict[str, tuple[str, str]] = {
    "creditcode": (
        "manyi.orgs.cli",
        "检查统一社会信用代码并解析登记管理部门、机构类别和行政区划",
    ),
    "size": ("manyi.orgs.cli", "按《统计上大中小微型企业划分办法（2017）》划分企业规模"),
    "scheme": ("manyi.rules.cli", "评价方案（申请书规则）：查看、检查方案文件"),
    "report": ("manyi.practice_report.cli", "实践报告（附件1-4）：检查格式和提纲、生成模板"),
    "survey": ("manyi.measurement.cli", "满意度调查数据库：校验、查错、清洗记录"),
    "csi": ("manyi.measurement.cli", "顾客满意指数：PLS 路径模型估计、指数与自助法区间"),
    "serve": ("manyi.web.cli", "启动网页服务（默认 SQLite 与本地文件）"),
    "manage": ("manyi.web.cli", "运行 Django 管理命令，例如 manyi manage migrate"),
    "demo": ("manyi.web.cli", "迁移数据库并创建演示数据（可重复运行）"),
    "application": ("manyi.web.cli", "查看申报、运行提交前体检"),
    "package": ("manyi.web.cli", "生成装订好的申报书 PDF"),
    "audit": ("manyi.web.audit.cli", "审计日志：校验哈希链"),
}
# Kept for callers that list the modules (each imported only when one of its commands runs).
COMMAND_MODULES = tuple(dict.fromkeys(module for module, _help in COMMANDS.values()))

EXIT_INTERNAL_ERROR = 3


def _parser() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(
        prog="manyi", description="用户满意等级评价系统 (manyi) 命令行工具"
    )


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with ``command``'s module registered; every module when ``command`` is None."""
    parser = _parser()
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    modules = [COMMANDS[command][0]] if command in COMMANDS else list(COMMAND_MODULES)
    for module_name in modules:
        importlib.import_module(module_name).register(subparsers)
    return parser


def _overview_parser() -> argparse.ArgumentParser:
    """Every command's name and help line, without importing any command module."""
    parser = _parser()
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name, (_module, help_text) in COMMANDS.items():
        subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    return next((arg for arg in argv if not arg.startswith("-")), None)


def _dispatch(argv: list[str]) -> int:
    command = _command_of(argv)
    if command not in COMMANDS:
        _overview_parser().parse_args(argv)  # prints help or a usage error, and exits
        return 2
    parser = build_parser(command)
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "accepts_extra_args", False):
        parser.error("无法识别的参数: " + " ".join(extra))
    if getattr(args, "accepts_extra_args", False):
        args.extra_args = extra
    return int(args.handler(args) or 0)


def _debugging() -> bool:
    return os.environ.get("MANYI_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}


def _guarded(argv: list[str]) -> int:
    """Run the command; an unexpected error is one Chinese sentence, not a traceback."""
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except RecursionError:
        if _debugging():
            raise
        print("输入嵌套层次过深，无法处理，请检查文件内容。", file=sys.stderr)
        return EXIT_INTERNAL_ERROR
    except Exception as exc:
        if _debugging():
            raise
        print(
            f"命令未能完成：{type(exc).__name__}: {exc}（设置 MANYI_DEBUG=true 可查看详细信息）",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR


class _CountingWriter(io.TextIOBase):
    """Passes text through to ``target`` and remembers whether any was written."""

    def __init__(self, target):
        self.target = target
        self.written = False

    def write(self, text: str) -> int:
        if text:
            self.written = True
        return self.target.write(text)

    def flush(self) -> None:
        self.target.flush()


def _run_json(argv: list[str]) -> int:
    out = _CountingWriter(sys.stdout)
    err = io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = _guarded(argv)
        except SystemExit as exc:  # argparse: usage errors (2) and --help (0)
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
            if isinstance(exc.code, str):
                err.write(exc.code)
    message = err.getvalue().strip()
    if code != 0 and not out.written:
        error = {"ok": False, "exit_code": code, "error": message or "命令未能完成"}
        print(json.dumps(error, ensure_ascii=False))
    elif message:
        print(message, file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--json" in argv:
        return _run_json(argv)
    return _guarded(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
