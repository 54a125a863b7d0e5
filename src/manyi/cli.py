"""The ``manyi`` command line.

Engines (credit code, size classes, scheme rules …) are used directly; commands that need the
database set up Django first. Each engine package contributes its sub-commands through a
``register(subparsers)`` function, so this module stays a thin dispatcher.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Modules that add sub-commands; each exposes ``register(subparsers)``.
COMMAND_MODULES = (
    "manyi.orgs.cli",
    "manyi.rules.cli",
    "manyi.practice_report.cli",
    "manyi.measurement.cli",
    "manyi.web.cli",
    "manyi.web.audit.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="manyi", description="用户满意等级评价系统 (manyi) 命令行工具"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and not getattr(args, "accepts_extra_args", False):
        parser.error("无法识别的参数: " + " ".join(extra))
    if getattr(args, "accepts_extra_args", False):
        args.extra_args = extra
    return int(args.handler(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
