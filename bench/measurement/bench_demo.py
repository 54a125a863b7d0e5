"""Benchmark: ``manyi demo`` on a fresh data directory, then the background work-off.

    .venv/bin/python bench/measurement/bench_demo.py [--port 8120]

1. ``manyi demo`` in a new, empty ``MANYI_DATA_DIR`` (migrations included), wall-clock and CPU
   time of the command. The survey analyses the demo queues are left to the server.
2. ``manyi serve`` on that directory: the time from its start until its background runner
   has finished every queued survey analysis (2,000 bootstrap resamples each), read from the
   database; the server is stopped afterwards.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MANYI = [sys.executable, "-m", "manyi.cli"]


def _environment(data_dir: str) -> dict[str, str]:
    env = {**os.environ, "MANYI_DATA_DIR": data_dir, "DATABASE_URL": ""}
    env.pop("MANYI_BROKER_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "manyi.web.settings.base"
    return env


def run_demo(env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*MANYI, "demo"], env=env, check=True, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _counts(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database) as connection:
        rows = dict(
            connection.execute(
                "select status, count(*) from surveys_surveyanalysis group by status"
            ).fetchall()
        )
    waiting = rows.get("queued", 0) + rows.get("running", 0)
    return waiting, sum(rows.values())


def work_off(env: dict[str, str], data_dir: str, port: int) -> tuple[float, int]:
    database = Path(data_dir) / "db.sqlite3"
    server = subprocess.Popen(
        [*MANYI, "serve", "--port", str(port), "--no-migrate"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.perf_counter()
    try:
        while True:
            waiting, total = _counts(database)
            if not waiting:
                return time.perf_counter() - started, total
            if server.poll() is not None:
                raise RuntimeError("manyi serve stopped early")
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="manyi-demo-bench-") as data_dir:
        env = _environment(data_dir)
        wall, cpu = run_demo(env)
        print(f"manyi demo（全新数据目录，含迁移）：墙钟 {wall:.1f} 秒，CPU {cpu:.1f} 秒")
        seconds, analyses = work_off(env, data_dir, args.port)
        print(
            f"manyi serve 启动后，后台完成 {analyses} 次排队的满意度复核：{seconds:.1f} 秒"
            "（自助法 2000 次，页面在此期间显示进度）"
        )
    print(f"机器负载（1/5/15 分钟）：{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
