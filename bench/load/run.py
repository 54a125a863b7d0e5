"""Load benchmark: ``manyi serve`` on PostgreSQL with 5,000 applications, 20 concurrent clients.

    .venv/bin/python bench/load/run.py [--applications 5000] [--clients 20] [--seconds 30]
        [--database-url postgres://postgres@127.0.0.1:5432/manyi_load] [--port 8131]
        [--workers 2] [--threads 8] [--json results.json]

What it does (all on this machine, loopback only):

1. drops and recreates the PostgreSQL database named in ``--database-url``, migrates it in a
   fresh data directory and bulk-inserts ``--applications`` applications (``manyi.web.scale``:
   organisations in eight provinces, eight 推进机构, every category and level, states across the
   lifecycle, a submitted version for each one past the draft) plus a secretariat, a 推进机构 and
   an applicant account;
2. counts the SQL queries of every page once, in-process (Django test client);
3. starts ``manyi serve`` with the production settings (DEBUG off, static files from the
   manifest, persistent database connections) behind a pretend TLS proxy
   (``X-Forwarded-Proto: https`` from 127.0.0.1, which ``MANYI_TRUSTED_PROXY`` trusts);
4. runs ``--clients`` closed-loop clients for ``--seconds`` seconds, each with its own keep-alive
   connection and session, cycling through the applicant's, the secretariat's and the public
   pages; prints requests per second and p50/p95/p99 latency overall and per page.

Every request is bounded in count and time and goes to 127.0.0.1 only; the server is stopped at
the end. The figures in docs/load.md come from this script.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "bench-load-Zq8-pass"
MAX_REQUESTS_PER_CLIENT = 100_000

SETUP = r"""
import json, sys, datetime, django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from manyi.web.accounts.models import Role
from manyi.web.accounts.services import staff_user_create
from manyi.web.applications.models import Application
from manyi.web.campaigns.services import campaign_create, campaign_open
from manyi.web.scale import scale_seed, scale_users

from manyi.web.accounts.models import User
from manyi.web.campaigns.models import Campaign

count, password = int(sys.argv[1]), sys.argv[2]
owner = User.objects.filter(username="bench-owner").first() or staff_user_create(actor=None,
    username="bench-owner", password=password, role=Role.SECRETARIAT, full_name="基准")
campaign = Campaign.objects.filter(year=2025).first() or campaign_open(actor=None,
    campaign=campaign_create(actor=None, year=2025, opens_on=datetime.date(2025, 3, 1),
    closes_on=datetime.date.today() + datetime.timedelta(90)))
scaled = scale_seed(count, campaign=campaign, created_by=owner, seed=count)
users = scale_users(scaled, password)

def session_for(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

own = Application.objects.filter(organisation=users["applicant"].organisation).first()
assert own is not None
some = Application.objects.filter(state="recommended").order_by("pk").first()
print(json.dumps({
    "sessions": {name: session_for(user) for name, user in users.items()},
    "own": own.pk, "reviewed": some.pk,
}))
"""

QUERIES = r"""
import json, sys, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from manyi.web.accounts.models import User

pages = json.loads(sys.argv[1])
result = {}
for who, path in pages:
    client = Client(HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="127.0.0.1")
    if who != "public":
        client.force_login(User.objects.get(username=f"scale-{who}"))
    client.get(path)  # warm the caches (scheme, templates)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    result[f"{who} {path}"] = {"status": status, "queries": len(captured)}
print(json.dumps(result))
"""


def pages(own: int, reviewed: int) -> list[tuple[str, str]]:
    return [
        ("applicant", "/applications/"),
        ("applicant", f"/applications/{own}/"),
        ("applicant", "/dashboard/"),
        ("secretariat", "/applications/"),
        ("secretariat", "/applications/?state=recommended&province=福建省"),
        ("secretariat", "/applications/?q=示范00042"),
        ("secretariat", "/review/formal/"),
        ("secretariat", f"/review/applications/{reviewed}/formal/"),
        ("promoter", "/review/promoter/"),
        ("public", "/"),
        ("public", "/publicity/"),
        ("public", "/publicity/certificates/"),
    ]


def environment(data_dir: Path, database_url: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("MANYI_", "DJANGO_"))}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "manyi.web.settings.production",
        "MANYI_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "MANYI_DB_CONN_MAX_AGE": "300",
        "MANYI_SECRET_KEY": "bench-load-secret-" * 4,
        "MANYI_AUDIT_KEY": "bench-load-audit-key-" * 2,
        "MANYI_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "MANYI_TRUSTED_PROXY": "127.0.0.1",
        "MANYI_LOG_LEVEL": "WARNING",
        # The bench is one address; the public lookups' per-address limit would stop it.
        "MANYI_LOOKUP_RATE": "1000000",
    }


def run(cmd: list[str], env: dict[str, str], **kwargs) -> str:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def recreate_database(database_url: str) -> None:
    url = urlparse(database_url)
    name = url.path.lstrip("/")
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


SMALL = 100
ANALYZE = "from django.db import connection; connection.cursor().execute('ANALYZE')"


def seed(count: int, env) -> dict:
    started = time.perf_counter()
    output = run([sys.executable, "-c", SETUP, str(count), PASSWORD], env)
    print(f"已插入 {count} 份申报（{time.perf_counter() - started:.1f} s）")
    return json.loads(output.splitlines()[-1])


def count_queries(plan, env) -> dict:
    """Every query a page makes, with the filter counts read fresh (not from the cache)."""
    fresh = {**env, "MANYI_LIST_COUNT_SECONDS": "0"}
    return json.loads(run([sys.executable, "-c", QUERIES, json.dumps(plan)], fresh))


def prepare(args, env) -> tuple[dict, dict]:
    """Seed a small campaign, count each page's queries, grow it to full size, count again."""
    recreate_database(args.database_url)
    manyi = [sys.executable, "-m", "manyi.cli"]
    run([*manyi, "manage", "migrate", "--noinput"], env)
    run([*manyi, "manage", "collectstatic", "--noinput"], env)
    created = seed(SMALL, env)
    small = count_queries(pages(created["own"], created["reviewed"]), env)
    # The second call resets the accounts' passwords: only its sessions are valid.
    full = seed(args.applications - SMALL, env)
    # Table statistics as autovacuum keeps them in a running system; right after a bulk insert
    # the planner would otherwise guess a handful of rows and sort instead of using an index.
    run([*manyi, "manage", "shell", "-c", ANALYZE], env)
    return full, small


def start_server(args, env) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "manyi.cli", "serve", "--no-migrate"]
    cmd += ["--port", str(args.port), "--threads", str(args.threads)]
    cmd += ["--workers", str(args.workers)]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            connection.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
            connection.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("manyi serve 没有启动")


def client_loop(port, plan, session_of, stop_at, results, errors) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for n in range(MAX_REQUESTS_PER_CLIENT):
        if time.monotonic() >= stop_at:
            break
        who, path = plan[n % len(plan)]
        headers = {"X-Forwarded-Proto": "https", "Accept-Encoding": "identity"}
        if who != "public":
            headers["Cookie"] = f"sessionid={session_of[who]}"
        started = time.perf_counter()
        try:
            connection.request("GET", quote(path, safe="/?=&"), headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status = 0
        elapsed = time.perf_counter() - started
        results[f"{who} {path}"].append(elapsed)
        if status != 200:
            errors[f"{who} {path} → {status}"] += 1
    connection.close()


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(fields[1])].append(int(stat.parent.name))
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(parents.get(current, []))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server and its worker processes (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for process in _descendants(pid):
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def load(args, created, server_pid: int) -> dict:
    plan = pages(created["own"], created["reviewed"])
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    stop_at = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=client_loop,
            args=(
                args.port,
                plan[n % len(plan) :] + plan[: n % len(plan)],
                created["sessions"],
                stop_at,
                results,
                errors,
            ),
        )
        for n in range(args.clients)
    ]
    cpu_before = cpu_seconds(server_pid)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    server_cpu = cpu_seconds(server_pid) - cpu_before
    every = [t for values in results.values() for t in values]
    return {
        "server_cpu_ms_per_request": round(server_cpu / max(len(every), 1) * 1000, 1),
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "requests": len(every),
        "seconds": round(wall, 1),
        "rps": round(len(every) / wall, 1),
        "p50_ms": round(percentile(every, 50) * 1000),
        "p95_ms": round(percentile(every, 95) * 1000),
        "p99_ms": round(percentile(every, 99) * 1000),
        "errors": dict(errors),
        "pages": {
            page: {
                "n": len(values),
                "p50_ms": round(percentile(values, 50) * 1000),
                "p95_ms": round(percentile(values, 95) * 1000),
                "mean_ms": round(statistics.fmean(values) * 1000),
            }
            for page, values in results.items()
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="manyi serve 的进程数")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/manyi_load_bench"
    )
    parser.add_argument("--json", type=Path, help="也把结果写入此 JSON 文件")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("需要 PostgreSQL：--database-url postgres://…")

    with tempfile.TemporaryDirectory(prefix="manyi-load-") as data_dir:
        env = environment(Path(data_dir), args.database_url)
        created, small = prepare(args, env)
        queries = count_queries(pages(created["own"], created["reviewed"]), env)
        server = start_server(args, env)
        try:
            figures = load(args, created, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    figures["queries"] = queries
    figures["queries_small"] = small
    report(args, figures)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def report(args, figures: dict) -> None:
    print(
        f"\n{args.applications} 份申报 · {args.clients} 个并发客户端 · {figures['seconds']} s · "
        f"manyi serve --workers {args.workers} --threads {args.threads}"
    )
    print(
        f"共 {figures['requests']} 个请求，{figures['rps']} req/s；"
        f"p50 {figures['p50_ms']} ms，p95 {figures['p95_ms']} ms，p99 {figures['p99_ms']} ms；"
        f"非 200 响应 {sum(figures['errors'].values())} 个 {figures['errors'] or ''}"
    )
    cpu = figures["server_cpu_ms_per_request"]
    print(
        f"服务器每个请求耗 CPU {cpu} ms（两核满载约可承受 {2000 / cpu:.0f} req/s）；本机负载"
        f"（1 分钟平均）开始 {figures['load_average'][0]}，结束 {figures['load_average'][1]}"
    )
    print(f"\n{'页面':<58} {'次数':>5} {'p50':>5} {'p95':>5} SQL@{SMALL} SQL@{args.applications}")
    for page, row in figures["pages"].items():
        sql = figures["queries"].get(page, {}).get("queries", "")
        small = figures["queries_small"].get(page, {}).get("queries", "")
        print(f"{page:<58} {row['n']:>5} {row['p50_ms']:>5} {row['p95_ms']:>5} {small:>7} {sql:>8}")


if __name__ == "__main__":
    sys.exit(main())
