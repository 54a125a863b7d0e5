"""Benchmark: check a 10,000-character practice report, as DOCX and as PDF.

Run from the project root:

    .venv/bin/python bench/practice_report/bench_check.py

The report is the enterprise template filled with body text up to 10,000 characters; the PDF
is made by LibreOffice (``soffice``) when installed, otherwise by WeasyPrint. Each check is
timed (median of several runs) and its peak Python memory measured with tracemalloc, side by
side with a naive reader of the same file as the baseline peer: python-docx reading every
paragraph's and run's own formatting (DOCX), pdfminer.six's layout analysis reading every
character's font and size (PDF).
"""

from __future__ import annotations

import io
import multiprocessing
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import docx
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar

from manyi.practice_report import build_template, check_report
from manyi.practice_report.counting import count_chars
from manyi.rules import available_years, load_scheme

SCHEME = load_scheme(max(available_years()))
TARGET_CHARS = 10_000
RUNS = 5
SENTENCE = "公司坚持以用户为中心，持续完善服务流程，提升用户满意水平，推动产品和服务改进创新。"


def report_docx() -> bytes:
    """The enterprise template with body text under every section, about 10,000 characters."""
    document = docx.Document(io.BytesIO(build_template("enterprise", scheme=SCHEME)))
    paragraphs = document.paragraphs
    total = sum(count_chars(p.text) for p in paragraphs)
    bodies = [p for p in paragraphs if p.style.name == "Normal"]
    per_section = (TARGET_CHARS - total - 50) // len(bodies)
    for paragraph in bodies:
        text = (SENTENCE * (per_section // len(SENTENCE) + 1))[:per_section]
        paragraph.insert_paragraph_before(text[:-1] + "。", style="Normal")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_pdf(data: bytes) -> tuple[bytes, str]:
    soffice = shutil.which("soffice")
    if soffice:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "report.docx"
            source.write_bytes(data)
            profile = (Path(folder) / "profile").as_uri()
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    folder,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
            return (Path(folder) / "report.pdf").read_bytes(), "LibreOffice"
    import weasyprint

    text = docx.Document(io.BytesIO(data)).paragraphs
    html = "".join(f"<p>{p.text}</p>" for p in text)
    css = "body{font:14pt 'Noto Serif CJK SC';line-height:30pt}p{text-indent:2em;margin:0}"
    return weasyprint.HTML(string=f"<style>{css}</style>{html}").write_pdf(), "WeasyPrint"


def naive_docx(data: bytes) -> int:
    """What a checker built on python-docx alone reads: each paragraph's and run's own values."""
    document = docx.Document(io.BytesIO(data))
    seen = 0
    for paragraph in document.paragraphs:
        fmt = paragraph.paragraph_format
        _ = (fmt.alignment, fmt.line_spacing, fmt.first_line_indent, paragraph.style.name)
        for run in paragraph.runs:
            _ = (run.font.size, run.font.name, run.bold)
            seen += len(run.text)
    return seen


def naive_pdf(data: bytes) -> int:
    """pdfminer.six's layout analysis, reading every character's font and size."""
    seen = 0
    for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
        stack = list(page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTChar):
                _ = (item.fontname, item.size, item.x0)
                seen += 1
            elif hasattr(item, "__iter__"):
                stack.extend(item)
    return seen


def _rss_child(action: Callable[[], object], queue: multiprocessing.Queue) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    action()
    queue.put(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)


def rss_growth(action: Callable[[], object]) -> float:
    """MiB the peak resident size grows by in a forked child (includes libxml2's memory)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_rss_child, args=(action, queue))
    child.start()
    grown = queue.get(timeout=600)
    child.join()
    return grown / 1024


def measure(action: Callable[[], object]) -> tuple[float, float, float]:
    """(median seconds, peak MiB of Python allocations, MiB of peak RSS growth)."""
    action()  # warm-up: imports, caches
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 1024 / 1024, rss_growth(action)


def main() -> int:
    docx_data = report_docx()
    pdf_data, maker = to_pdf(docx_data)
    docx_result = check_report(docx_data, "report.docx", "enterprise", scheme=SCHEME)
    pdf_result = check_report(pdf_data, "report.pdf", "enterprise", scheme=SCHEME)
    print(
        f"报告：{docx_result.chars.total} 字（DOCX {len(docx_data) // 1024} KB）；"
        f"PDF 由 {maker} 生成，{len(pdf_data) // 1024} KB，PDF 计 {pdf_result.chars.total} 字"
    )
    print(f"检查结果：DOCX {docx_result.summary}；PDF {pdf_result.summary}")
    rows = [
        (
            "DOCX",
            lambda: check_report(docx_data, "r.docx", "enterprise", scheme=SCHEME),
            lambda: naive_docx(docx_data),
            "python-docx 直读",
        ),
        (
            "PDF",
            lambda: check_report(pdf_data, "r.pdf", "enterprise", scheme=SCHEME),
            lambda: naive_pdf(pdf_data),
            "pdfminer 版面分析",
        ),
    ]
    print(
        f"{'':6}{'检查 秒':>9}{'堆 MiB':>8}{'RSS MiB':>9}{'基线 秒':>9}{'堆 MiB':>8}"
        f"{'RSS MiB':>9}{'时间比':>7}{'堆比':>6}  基线"
    )
    for name, ours, peer, peer_name in rows:
        t, m, r = measure(ours)
        bt, bm, br = measure(peer)
        print(
            f"{name:6}{t:9.3f}{m:8.1f}{r:9.1f}{bt:9.3f}{bm:8.1f}{br:9.1f}"
            f"{t / bt:7.2f}{m / bm:6.2f}  {peer_name}"
        )
    print("堆 = tracemalloc 记录的 Python 分配峰值；RSS = 子进程常驻内存峰值的增量（含 libxml2）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
