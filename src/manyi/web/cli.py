"""Sub-commands that need Django: ``serve``, ``manage`` and ``demo``."""

from __future__ import annotations

import argparse
import contextlib
import json
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

    from manyi.web import tasks_runner
    from manyi.web.security.limits import request_body_limit
    from manyi.web.wsgi import application

    tasks_runner.start()  # long work (survey analyses) runs beside the server, not in requests

    print(f"manyi 已启动：http://{args.host}:{args.port}/  （数据目录 {settings.DATA_DIR}）")
    if settings.DEBUG:
        print(
            "注意：调试模式已开启（MANYI_DEBUG=true），出错页面会显示内部信息，不要对外提供服务。"
        )
    if settings.MANYI_TRUSTED_PROXY:
        print(
            f"信任以下反向代理的 X-Forwarded-For/-Proto：{', '.join(settings.MANYI_TRUSTED_PROXY)}"
        )
    print("按 Ctrl+C 停止。")
    options = {
        "threads": args.threads,
        "ident": "manyi",
        # A larger body is answered 413 from its Content-Length, before it is received.
        "max_request_body_size": request_body_limit(),
        # Forwarded headers reach Django, whose TrustedProxyMiddleware believes them only from
        # MANYI_TRUSTED_PROXY and drops them from anyone else.
        "clear_untrusted_proxy_headers": False,
    }
    if args.workers <= 1:
        serve(application, host=args.host, port=args.port, **options)
        return 0
    return _serve_workers(application, args, options)


def _serve_workers(application, args: argparse.Namespace, options: dict) -> int:
    """``--workers`` processes accepting on one socket: more cores for the Python work."""
    import signal
    import socket

    from django.db import connections
    from waitress import serve

    listener = socket.create_server((args.host, args.port), backlog=1024)
    connections.close_all()  # no connection may be shared across the fork
    children = []
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            serve(application, sockets=[listener], **options)
            os._exit(0)
        children.append(pid)

    def stop(signum, frame) -> None:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for pid in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
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


def _application_list(args: argparse.Namespace) -> int:
    setup_django()
    from manyi.web.applications.selectors import application_rows

    rows = application_rows()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(
            f"{row['id']:>5}  {row['state']:<10} {row['category']:<12} {row['level']}星  "
            f"{row['organisation']}"
        )
    if not rows:
        print("还没有申报。")
    return 0


def _application_check(args: argparse.Namespace) -> int:
    setup_django()
    from manyi.web.applications.models import Application
    from manyi.web.applications.precheck import run_precheck

    application = Application.objects.filter(pk=args.id).first()
    if application is None:
        print(f"没有编号为 {args.id} 的申报。", file=sys.stderr)
        return 2
    report = run_precheck(application)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        labels = {"fail": "未通过", "warn": "警告", "pass": "通过"}
        summary = report.summary
        print(f"申报 {application.pk}：{application}")
        print(f"未通过 {summary['fail']} 项，警告 {summary['warn']} 项，通过 {summary['pass']} 项")
        for item in report.items:
            if item.status != "pass" or args.all:
                fix = f"  → {item.fix}" if item.fix else ""
                print(f"[{labels[item.status]}] {item.message}{fix}")
    return 0 if report.can_submit else 1


def _package_build(args: argparse.Namespace) -> int:
    setup_django()
    from manyi.web.applications.documents import PackageError, package_write
    from manyi.web.applications.models import Application

    application = Application.objects.filter(pk=args.id).first()
    if application is None:
        print(f"没有编号为 {args.id} 的申报。", file=sys.stderr)
        return 2
    try:
        pages = package_write(application, args.output)
    except PackageError as exc:
        print(f"无法生成申报书：{exc}", file=sys.stderr)
        return 1
    print(f"已生成 {args.output}（{pages} 页）")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="启动网页服务（默认 SQLite 与本地文件）")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8, help="每个进程的线程数")
    serve.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("MANYI_WORKERS", "1")),
        help="进程数（默认 1；多核机器可设为核数，限流计数请配 MANYI_CACHE_URL 共享）",
    )
    serve.add_argument("--no-migrate", action="store_true", help="启动前不自动迁移数据库")
    serve.set_defaults(handler=_serve)

    manage = subparsers.add_parser(
        "manage", help="运行 Django 管理命令，例如 manyi manage migrate", add_help=False
    )
    manage.set_defaults(handler=_manage, accepts_extra_args=True)

    demo = subparsers.add_parser("demo", help="迁移数据库并创建演示数据（可重复运行）")
    demo.add_argument("--password", default="manyi-demo-2025", help="所有演示账号的密码")
    demo.set_defaults(handler=_demo)

    application = subparsers.add_parser("application", help="查看申报、运行提交前体检")
    application_commands = application.add_subparsers(dest="application_command", required=True)
    listing = application_commands.add_parser("list", help="列出全部申报")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_application_list)
    check = application_commands.add_parser("check", help="运行提交前体检")
    check.add_argument("id", type=int)
    check.add_argument("--json", action="store_true")
    check.add_argument("--all", action="store_true", help="也列出通过的检查项")
    check.set_defaults(handler=_application_check)

    package = subparsers.add_parser("package", help="生成装订好的申报书 PDF")
    package_commands = package.add_subparsers(dest="package_command", required=True)
    build = package_commands.add_parser("build", help="按装订顺序生成一个 PDF")
    build.add_argument("id", type=int)
    build.add_argument("-o", "--output", required=True)
    build.set_defaults(handler=_package_build)
