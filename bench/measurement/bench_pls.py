"""Benchmark: manyi.measurement against the Python ``plspm`` package, side by side in one run.

    .venv/bin/python bench/measurement/bench_pls.py [--peer-resamples 100,300] [--rows 100000]

The peer (GPL, PyPI ``plspm`` 0.5.7 with pandas < 3) lives in its own virtualenv, never in the
project's: ``$MANYI_PLSPM_PYTHON`` (its interpreter) or ``$MANYI_PLSPM_VENV`` (default
/tmp/plspm-venv, created with ``python3.11 -m venv`` + ``pip install plspm 'pandas<3'`` when
missing). Each task runs in a fresh child process for each side, timed inside the child (data
loading excluded; repeated runs report the fastest, as other work may share the machine) with the
child's peak resident memory (ru_maxrss, its own children included).

Tasks: one estimate of the ECSI satisfaction model (fastest of 20 runs); a 5,000-resample
bootstrap (the peer is too slow for 5,000 in a few minutes: it runs at the ``--peer-resamples``
sizes and its time t = a + b·B, fitted to them, is extrapolated to 5,000 — its start-up cost a is
not multiplied); one estimate on synthetic 100,000 × 30 data.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("MANYI_SHARED_DIR", ROOT.parent / "shared"))
SATISFACTION = SHARED / "data" / "ecsi-satisfaction" / "satisfaction.csv"
CONSTRUCTS = ("IMAG", "EXPE", "QUAL", "VAL", "SAT", "LOY")
ECSI_PATHS = {
    "IMAG": ["EXPE", "SAT", "LOY"],
    "EXPE": ["QUAL", "VAL", "SAT"],
    "QUAL": ["VAL", "SAT"],
}
ECSI_PATHS |= {"VAL": ["SAT"], "SAT": ["LOY"]}
CSI_PATHS = {"IMAG": ["EXPE", "QUAL", "VAL", "SAT"], "EXPE": ["QUAL", "VAL", "SAT"]}
CSI_PATHS |= {"QUAL": ["VAL", "SAT"], "VAL": ["SAT"], "SAT": ["LOY"]}

COMMON = textwrap.dedent(
    """
    import json, resource, sys, time
    import numpy as np

    def peak_kb():
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return max(own, kids)

    def load(work, name):
        meta = json.loads(open(f"{work}/{name}.json", encoding="utf-8").read())
        return np.load(f"{work}/{name}.npy"), meta
    """
)

OURS = COMMON + textwrap.dedent(
    """
    from manyi.measurement import bootstrap, estimate, parse_model

    def model(meta):
        lines = [f"scale = [{meta['low']}, {meta['high']}]"]
        for key, items in meta["blocks"].items():
            lines += [f"[construct.{key}]", "items = " + json.dumps(items)]
        lines.append("[paths]")
        lines += [f"{k} = " + json.dumps(v) for k, v in meta["paths"].items()]
        return parse_model("\\n".join(lines))

    def run(task, work, resamples):
        name = "big" if task == "big" else "satisfaction"
        data, meta = load(work, name)
        m = model(meta)
        columns = meta["columns"]
        if task == "estimate":
            times = []
            for _ in range(20):
                start = time.perf_counter()
                result = estimate(data, m, columns=columns)
                times.append(time.perf_counter() - start)
            seconds = min(times)
        elif task == "bootstrap":
            result = estimate(data, m, columns=columns)
            times = []
            for _ in range(3):
                start = time.perf_counter()
                boot = bootstrap(result, resamples, seed=1)
                times.append(time.perf_counter() - start)
            seconds = min(times)
            assert boot.failed == 0
        else:
            times = []
            for _ in range(3):
                start = time.perf_counter()
                result = estimate(data, m, columns=columns)
                times.append(time.perf_counter() - start)
            seconds = min(times)
        paths = {f"{p.source}->{p.target}": p.estimate for p in result.paths}
        return {"seconds": seconds, "peak_kb": peak_kb(), "paths": paths, "resamples": resamples}

    print(json.dumps(run(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
    """
)

PEER = COMMON + textwrap.dedent(
    """
    import pandas as pd
    import plspm.config as c
    from plspm.mode import Mode
    from plspm.plspm import Plspm
    from plspm.scheme import Scheme

    def config(frame, meta):
        structure = c.Structure()
        for source, targets in meta["paths"].items():
            structure.add_path([source], targets)
        cfg = c.Config(structure.path(), scaled=False)
        for key, items in meta["blocks"].items():
            cfg.add_lv(key, Mode.A, *[c.MV(i) for i in items])
        return cfg

    def run(task, work, resamples):
        name = "big" if task == "big" else "satisfaction"
        data, meta = load(work, name)
        frame = pd.DataFrame(data, columns=meta["columns"])
        cfg = config(frame, meta)
        if task == "estimate":
            times = []
            for _ in range(20):
                start = time.perf_counter()
                model = Plspm(frame, cfg, Scheme.CENTROID)
                times.append(time.perf_counter() - start)
            seconds = min(times)
        elif task == "bootstrap":
            start = time.perf_counter()
            model = Plspm(frame, cfg, Scheme.CENTROID, bootstrap=True,
                          bootstrap_iterations=resamples, processes=2)
            model.bootstrap().paths()
            seconds = time.perf_counter() - start
        else:
            times = []
            for _ in range(3):
                start = time.perf_counter()
                model = Plspm(frame, cfg, Scheme.CENTROID)
                times.append(time.perf_counter() - start)
            seconds = min(times)
        table = model.path_coefficients()
        paths = {f"{s}->{t}": float(table.at[t, s]) for s, ts in meta["paths"].items() for t in ts}
        return {"seconds": seconds, "peak_kb": peak_kb(), "paths": paths, "resamples": resamples}

    print(json.dumps(run(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
    """
)


def peer_python() -> Path | None:
    """The peer's interpreter, creating its virtualenv when missing (None if impossible)."""
    if os.environ.get("MANYI_PLSPM_PYTHON"):
        return Path(os.environ["MANYI_PLSPM_PYTHON"])
    venv = Path(os.environ.get("MANYI_PLSPM_VENV", "/tmp/plspm-venv"))
    python = venv / "bin" / "python"
    if python.exists():
        return python
    print(f"创建对照环境 {venv}（plspm + pandas<3）……", flush=True)
    try:
        subprocess.run(["python3.11", "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "pip"), "install", "-q", "plspm", "pandas<3"]
        subprocess.run(pip, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"无法创建对照环境：{exc}；只测 manyi。", flush=True)
        return None
    return python


def write_inputs(work: Path, rows: int) -> None:
    import csv

    with SATISFACTION.open(encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    header = table[0]
    items = [h for h in header if h and h != "gender"]
    data = np.array([[float(r[header.index(i)]) for i in items] for r in table[1:]])
    blocks = {k: [i for i in items if i.startswith(k.lower())] for k in CONSTRUCTS}
    _save(work, "satisfaction", data, items, blocks, ECSI_PATHS, 0, 10)
    big, columns = synthetic(rows)
    blocks = {k: [c for c in columns if c.startswith(k.lower())] for k in CONSTRUCTS}
    _save(work, "big", big, columns, blocks, CSI_PATHS, 1, 10)


def synthetic(rows: int, per_block: int = 5) -> tuple[np.ndarray, list[str]]:
    """Answers on 1–10 to 6 × 5 items from a chain of correlated factors (seed 2025)."""
    rng = np.random.default_rng(2025)
    factors = [rng.normal(size=rows)]
    for _ in CONSTRUCTS[1:]:
        factors.append(0.6 * factors[-1] + 0.2 * factors[0] + rng.normal(scale=0.7, size=rows))
    columns, answers = [], []
    for key, factor in zip(CONSTRUCTS, factors, strict=True):
        for k in range(1, per_block + 1):
            columns.append(f"{key.lower()}{k}")
            raw = 6.5 + 1.5 * factor + rng.normal(size=rows)
            answers.append(np.clip(np.round(raw), 1, 10))
    return np.column_stack(answers), columns


def _save(work, name, data, columns, blocks, paths, low, high) -> None:
    np.save(work / f"{name}.npy", data)
    meta = {"columns": columns, "blocks": blocks, "paths": paths, "low": low, "high": high}
    (work / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")


def child(python: Path, script: Path, task: str, work: Path, resamples: int) -> dict | None:
    command = [str(python), str(script), task, str(work), str(resamples)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=work)
    if done.returncode != 0:
        print(f"  {script.stem} {task} 失败：{done.stderr.strip().splitlines()[-1:]}", flush=True)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resamples", type=int, default=5000)
    parser.add_argument(
        "--peer-resamples", default="100,300", help="对照方的重抽样次数（逗号分隔）"
    )
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    peer_sizes = [int(n) for n in args.peer_resamples.split(",")]
    peer = peer_python()
    rows = []
    with tempfile.TemporaryDirectory(prefix="manyi-bench-") as name:
        work = Path(name)
        write_inputs(work, args.rows)
        (work / "ours.py").write_text(OURS, encoding="utf-8")
        (work / "peer.py").write_text(PEER, encoding="utf-8")
        tasks = [
            ("estimate", "一次估计（250 × 27，20 次取最快）", 0, 0),
            (
                "bootstrap",
                f"自助法 {args.resamples} 次（250 × 27，含 BCa）",
                args.resamples,
                peer_sizes,
            ),
            ("big", f"一次估计（{args.rows:,} × 30，3 次取最快）", 0, 0),
        ]
        for task, label, ours_n, peer_n in tasks:
            print(f"运行：{label} ……", flush=True)
            mine = child(Path(sys.executable), work / "ours.py", task, work, ours_n)
            theirs = None
            if peer and task == "bootstrap":
                runs = [child(peer, work / "peer.py", task, work, n) for n in peer_n]
                theirs = _extrapolate([r for r in runs if r], ours_n)
            elif peer:
                theirs = child(peer, work / "peer.py", task, work, 0)
            rows.append((task, label, mine, theirs, ours_n, peer_n))
    print()
    print(_table(rows))
    return 0


def _extrapolate(runs: list[dict], target: int) -> dict | None:
    """The peer's time at ``target`` resamples from t = a + b·B fitted to its runs."""
    if not runs:
        return None
    sizes = np.array([r["resamples"] for r in runs], dtype=float)
    times = np.array([r["seconds"] for r in runs])
    if len(runs) > 1:
        slope, start = np.polyfit(sizes, times, 1)
    else:
        slope, start = times[0] / sizes[0], 0.0
    result = dict(runs[-1])
    result["seconds"] = float(start + slope * target)
    result["peak_kb"] = max(r["peak_kb"] for r in runs)
    result["measured"] = [(int(n), t) for n, t in zip(sizes, times, strict=True)]
    result["extrapolated"] = True
    return result


def _table(rows) -> str:
    head = (
        "| 任务 | manyi 秒 | plspm 秒 | 倍数 | manyi 峰值内存 MB | plspm 峰值内存 MB "
        "| 路径系数最大差 |"
    )
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|"]
    notes = []
    for _task, label, mine, theirs, ours_n, _peer_n in rows:
        ours_s = mine["seconds"] if mine else float("nan")
        peer_s = theirs["seconds"] if theirs else float("nan")
        peer_text = f"{peer_s:.3f}" if theirs else "—"
        if theirs and theirs.get("extrapolated"):
            peer_text = f"{peer_s:.1f}*"
            measured = "、".join(f"{n} 次 {t:.1f} 秒" for n, t in theirs["measured"])
            notes.append(
                f"* plspm 跑 5000 次需要十分钟左右：实测 {measured}，按 t = a + b·B 外推到 "
                f"{ours_n} 次。"
            )
        diff = "—"
        if mine and theirs:
            diff = f"{max(abs(mine['paths'][k] - theirs['paths'][k]) for k in mine['paths']):.1e}"
        ratio = f"{peer_s / ours_s:.0f}×" if mine and theirs else "—"
        memory = f"{_mb(mine)} | {_mb(theirs)}"
        lines.append(f"| {label} | {ours_s:.3f} | {peer_text} | {ratio} | {memory} | {diff} |")
    return "\n".join([*lines, "", *notes])


def _mb(result: dict | None) -> str:
    return f"{result['peak_kb'] / 1024:.0f}" if result else "—"


if __name__ == "__main__":
    sys.exit(main())
