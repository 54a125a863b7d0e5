"""Benchmark: the whole survey analysis the web runs in the background, stage by stage.

    .venv/bin/python bench/measurement/bench_analysis.py [--runs 7] [--resamples 2000]

The input is the ECSI satisfaction data (250 respondents × 27 items, ``$MANYI_SHARED_DIR``) laid
out as a 问卷星 export (序号, 提交答卷时间 … and "N、题目" headers) in an XLSX file, read with the
model file naming the items by their headers. One process runs the same two calls the
background task makes — ``analyse()`` (read, recognise the layout, check and clean, estimate,
bootstrap) and ``render_outputs()`` (records XLSX, JSON, drawings, IPA, PDF report) — after one
warm-up run; stage times come from the progress callbacks. Reported: per stage the fastest and
the median of the runs, and the total's wall-clock and CPU time (other work may share the
machine; CPU time is what the analysis itself used).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("MANYI_SHARED_DIR", ROOT.parent / "shared"))
SATISFACTION = SHARED / "data" / "ecsi-satisfaction" / "satisfaction.csv"
STAGES = (
    ("读取数据", "导入（读文件、识别版式、码本）"),
    ("校验与清洗", "校验与清洗"),
    ("估计模型", "估计模型"),
    ("自助法", "自助法"),
    ("完成", "分组比较"),
    ("写出复核记录", "复核记录 XLSX、JSON、IPA 与图"),
    ("生成测评报告", "PDF 测评报告"),
)


def ecsi_export() -> tuple[bytes, str]:
    """The ECSI data as a 问卷星 export, and a model naming the items by their headers."""
    import numpy as np
    from tests.measurement.exports import hand_written_model, wjx_export, wjx_headers

    lines = SATISFACTION.read_text(encoding="utf-8").splitlines()
    header = [h.strip('"') for h in lines[0].split(",")]
    rows = [line.split(",") for line in lines[1:]]
    items = [h for h in header if h and h != "gender"]
    data = {h: np.array([float(r[header.index(h)]) for r in rows]) for h in items}
    model = hand_written_model(wjx_headers(items), scale="[0, 10]")
    return wjx_export(data), model


def one_run(export: bytes, model_text: str, resamples: int) -> tuple[dict[str, float], float]:
    from manyi.measurement import QualityRules, analyse, parse_model
    from manyi.measurement.outputs import render_outputs
    from manyi.rules import load_scheme, newest_year

    rules = QualityRules.from_scheme(load_scheme(newest_year()))
    marks: list[tuple[str, float]] = []

    def progress(stage: str, _share: float) -> None:
        if not marks or marks[-1][0] != stage:
            marks.append((stage, time.perf_counter()))

    cpu = time.process_time()
    analysis = analyse(
        export,
        "问卷星数据.xlsx",
        model=parse_model(model_text),
        rules=rules,
        resamples=resamples,
        seed=1,
        progress=progress,
    )
    render_outputs(analysis, organisation="示例公司", declared_score=70.0, progress=progress)
    marks.append(("end", time.perf_counter()))
    cpu = time.process_time() - cpu
    assert analysis.result is not None and analysis.result.satisfaction_index() is not None
    durations = {stage: 0.0 for stage, _ in STAGES}
    for (stage, start), (_next, end) in itertools.pairwise(marks):
        durations[stage] = durations.get(stage, 0.0) + end - start
    return durations, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args()
    if not SATISFACTION.is_file():
        print(f"参考数据不存在：{SATISFACTION}（可用 MANYI_SHARED_DIR 指定）", file=sys.stderr)
        return 2
    export, model = ecsi_export()
    one_run(export, model, args.resamples)  # warm-up: imports, fonts, caches
    runs = [one_run(export, model, args.resamples) for _ in range(args.runs)]
    print(f"整个分析（250 × 27，自助法 {args.resamples} 次），{args.runs} 次运行：")
    print(f"{'阶段':<34}{'最快 秒':>10}{'中位 秒':>10}")
    for stage, label in STAGES:
        times = [r[0][stage] for r in runs]
        print(f"{label:<30}{min(times):>10.3f}{statistics.median(times):>10.3f}")
    totals = [sum(r[0].values()) for r in runs]
    cpus = [r[1] for r in runs]
    print(f"{'合计（墙钟）':<31}{min(totals):>10.3f}{statistics.median(totals):>10.3f}")
    print(f"{'合计（CPU）':<32}{min(cpus):>10.3f}{statistics.median(cpus):>10.3f}")
    print(f"机器负载（1/5/15 分钟）：{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
