"""Sub-commands that need Django: ``serve``, ``manage`` and ``demo``."""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_SETTINGS = "manyi.web.settings.base"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def _manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manyi manage", *args.extra_args])
    return 0


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _serve(args: argparse.Namespace) -> int:
    setup_django()
    if not args.no_migrate:
        _migrate()
    from django.conf import settings
    from waitress import serve

    from manyi.web.wsgi import application

    print(f"manyi 已启动：http://{args.host}:{args.port}/  （数据目录 {settings.DATA_DIR}）")
    print("按 Ctrl+C 停止。")
    serve(application, host=args.host, port=args.port, threads=args.threads, ident="manyi")
    return 0


def _demo(args: argparse.Namespace) -> int:
    setup_django()
    _migrate()
    from manyi.web.demo import DemoError, demo_load

    try:
        summary = demo_load(password=args.password)
    except DemoError as exc:
        print(f"演示数据未创建：{exc}", file=sys.stderr)
        return 1
    print(summary)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="启动网页服务（默认 SQLite 与本地文件）")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument("--no-migrate", action="store_true", help="启动前不自动迁移数据库")
    serve.set_defaults(handler=_serve)

    manage = subparsers.add_parser(
        "manage", help="运行 Django 管理命令，例如 manyi manage migrate", add_help=False
    )
    manage.set_defaults(handler=_manage, accepts_extra_args=True)

    demo = subparsers.add_parser("demo", help="迁移数据库并创建演示数据（可重复运行）")
    demo.add_argument("--password", default="manyi-demo-2025", help="所有演示账号的密码")
    demo.set_defaults(handler=_demo)
