"""Benchmark: bind a ~300-page application package, ours (streaming) against a naive baseline.

    .venv/bin/python bench/documents/bench_package.py [--repeat 3] [--scale 1] [--keep DIR]

The sample application (generated once into a temporary folder, not timed): the generated
cover, two letters and the 申请表, six text PDFs of 30 pages (the practice report and
others), three scanned PDFs of 30 image pages and twenty JPG scans (200 dpi with paper grain,
~0.5 MB a page, like real scans), plus an XLSX and a PPTX that are only listed — about 300
pages, ~60 MB of input.

- **ours**: ``manyi.documents.build_package`` — pages copied object by object straight to
  the output file, reader caches dropped after each page, images embedded as they are.
- **naive**: what one writes first with pypdf — ``PdfWriter.append`` every file in memory,
  images converted with Pillow, page numbers merged from a WeasyPrint overlay
  (``merge_page``), bookmarks added, then ``write``.

Each variant runs in its own freshly started process (the parent stays small: on Linux a
child inherits the parent's peak RSS through fork), so ``ru_maxrss`` is its own; a further run
of each measures the Python heap peak with ``tracemalloc`` (which slows the code down, so the
time comes from the untraced runs).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

MB = 1024 * 1024


# --- the sample application -------------------------------------------------------------


def make_samples(folder: Path, scale: int = 1) -> dict[str, list[list[str]]]:
    """Write the sample files; returns material key → [[file name, path, kind], …]."""
    from manyi.documents import (
        render_application_form,
        render_commitment_letter,
        render_cover,
        samples,
    )
    from manyi.rules import load_scheme

    scheme = load_scheme(2025)
    name = "福州示例电力有限公司"
    files: dict[str, list[list[str]]] = {}

    def add(material: str, filename: str, data: bytes, kind: str = "pdf") -> None:
        path = folder / f"{material}-{len(files.get(material, []))}-{filename}"
        path.write_bytes(data)
        files.setdefault(material, []).append([filename, str(path), kind])

    cover = {
        "enterprise_name": name,
        "promoting_body": "福建省质量协会",
        "fill_date": date(2025, 3, 1),
    }
    add(
        "cover", "封面.pdf", render_cover(scheme, category="enterprise", level="five", values=cover)
    )
    for key, letter in [
        ("commitment_operation", "operation"),
        ("commitment_application", "application"),
    ]:
        add(key, "承诺书.pdf", render_commitment_letter(scheme, letter, organisation_name=name))
    form = {"enterprise_name": name}
    add("application_form", "申请表.pdf", render_application_form(
        scheme, category="enterprise", level="five", values=form
    ))  # fmt: skip
    add("practice_report", "实践报告.pdf", samples.sample_pdf(30, "用户满意经营实践报告"))
    for n in range(1, 6):
        add("enterprise_awards", f"荣誉汇编{n}.pdf", samples.sample_pdf(30, f"荣誉汇编{n}"))
    for n in range(1, 3 * scale + 1):
        scans = samples.sample_scanned_pdf(30, f"扫描件{n}", dpi=200, grain=True)
        add("other_proofs", f"扫描件{n}.pdf", scans)
    for n in range(1, 20 * scale + 1):
        scan = samples.sample_jpg(f"证书扫描件 {n}", size=(1654, 2339), grain=True)
        add("business_licence" if n == 1 else "other_proofs", f"scan{n}.jpg", scan, "jpeg")
    add("survey_database", "数据库.xlsx", samples.sample_xlsx(500), "xlsx")
    add("report_ppt", "汇报.pptx", samples.sample_pptx(15), "pptx")
    return files


# --- the two variants --------------------------------------------------------------------


def run_ours(files: dict[str, list[list[str]]], out: Path) -> int:
    from manyi.documents import PackageFile, build_package, parts_from_materials
    from manyi.rules import load_scheme

    scheme = load_scheme(2025)
    packaged = {
        key: [PackageFile(name, Path(path), kind) for name, path, kind in entries]
        for key, entries in files.items()
    }
    result = build_package(parts_from_materials(scheme, packaged), out, scheme=scheme)
    return result.pages


def run_naive(files: dict[str, list[list[str]]], out: Path) -> int:
    """The straightforward pypdf version of the same job, everything held in memory."""
    from PIL import Image
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    from manyi.documents import render_contents
    from manyi.documents.forms import ContentsEntry
    from manyi.rules import load_scheme

    scheme = load_scheme(2025)
    writer = PdfWriter()
    marks: list[tuple[str, int]] = []
    for part in scheme.binding.parts:
        start = len(writer.pages)
        for key in part.materials:
            for _name, path, kind in files.get(key, []):
                if kind == "pdf":
                    writer.append(path)
                elif kind in ("jpeg", "png"):
                    buffer = io.BytesIO()
                    Image.open(path).convert("RGB").save(buffer, "PDF", resolution=150)
                    writer.append(buffer)
        if len(writer.pages) > start:
            marks.append((part.name, start))
        if part.contents_page:
            contents = render_contents([ContentsEntry(t, p + 1) for t, p in marks])
            writer.append(io.BytesIO(contents))
    total = len(writer.pages)
    numbers = "".join('<div style="break-after:page"></div>' for _ in range(total))
    overlay = HTML(string=(
        "<style>@page { size: A4; margin: 0 0 10mm 0;"
        " @bottom-center { content: '— ' counter(page) ' —'; font-size: 10.5pt } }</style>"
        + numbers
    )).write_pdf()  # fmt: skip
    stamps = PdfReader(io.BytesIO(overlay))
    for page, stamp in zip(writer.pages, stamps.pages, strict=False):
        page.merge_page(stamp)
    for title, page in marks:
        writer.add_outline_item(title, page)
    with open(out, "wb") as handle:
        writer.write(handle)
    return total


VARIANTS = {"ours": run_ours, "naive": run_naive}


def child(variant: str, data: Path, out: Path, trace: bool) -> None:
    files = json.loads((data / "files.json").read_text("utf-8"))
    import pypdf  # noqa: F401  (imports are not part of the measurement)
    import weasyprint  # noqa: F401

    import manyi.documents  # noqa: F401

    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    pages = VARIANTS[variant](files, out)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / MB if trace else None
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "seconds": elapsed, "pages": pages, "heap_peak_mb": peak,
        "maxrss_mb": rss, "rss_before_mb": baseline_rss, "size_mb": out.stat().st_size / MB,
    }))  # fmt: skip


def measure(variant: str, data: Path, repeat: int) -> dict[str, float]:
    def once(trace: bool) -> dict[str, float]:
        out = data / f"{variant}.pdf"
        command = [sys.executable, __file__, "--child", variant, "--data", str(data)]
        result = subprocess.run(
            [*command, *(["--trace"] if trace else [])],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        out.unlink(missing_ok=True)
        return json.loads(result.stdout.strip().splitlines()[-1])

    runs = [once(trace=False) for _ in range(repeat)]
    traced = once(trace=True)
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "maxrss_mb": statistics.median(r["maxrss_mb"] for r in runs),
        "rss_before_mb": statistics.median(r["rss_before_mb"] for r in runs),
        "heap_peak_mb": traced["heap_peak_mb"],
        "pages": runs[0]["pages"],
        "size_mb": runs[0]["size_mb"],
    }


def report(results: dict[str, dict[str, float]], input_mb: float) -> None:
    ours, naive = results["ours"], results["naive"]
    rows = [
        ("pages", "{:.0f}", "pages"),
        ("time (s, median)", "{:.2f}", "seconds"),
        ("heap peak, tracemalloc (MB)", "{:.1f}", "heap_peak_mb"),
        ("peak RSS, ru_maxrss (MB)", "{:.1f}", "maxrss_mb"),
        ("RSS before the build (MB)", "{:.1f}", "rss_before_mb"),
        ("output size (MB)", "{:.1f}", "size_mb"),
    ]
    print(f"input files: {input_mb:.1f} MB")
    print(f"{'':30} {'ours':>10} {'naive':>10} {'naive/ours':>11}")
    for label, fmt, key in rows:
        ratio = naive[key] / ours[key] if ours[key] else float("nan")
        print(
            f"{label:30} {fmt.format(ours[key]):>10} {fmt.format(naive[key]):>10} {ratio:>10.2f}×"
        )
    growth_ours = ours["maxrss_mb"] - ours["rss_before_mb"]
    growth_naive = naive["maxrss_mb"] - naive["rss_before_mb"]
    print(f"{'RSS growth during build (MB)':30} {growth_ours:>10.1f} {growth_naive:>10.1f} "
          f"{growth_naive / growth_ours if growth_ours else float('nan'):>10.2f}×")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the samples here and keep them")
    parser.add_argument(
        "--scale", type=int, default=1, help="multiply the scans (2: ~410 pages, ~90 MB)"
    )
    parser.add_argument("--child", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--make-samples", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_samples:
        files = make_samples(args.make_samples, args.scale)
        target = args.make_samples / "files.json"
        target.write_text(json.dumps(files, ensure_ascii=False), "utf-8")
        return
    if args.child:
        child(args.child, args.data, args.data / f"{args.child}.pdf", args.trace)
        return
    with tempfile.TemporaryDirectory() as temporary:
        data = args.keep or Path(temporary)
        data.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        make = [sys.executable, __file__, "--make-samples", str(data), "--scale", str(args.scale)]
        subprocess.run(make, check=True)
        files = json.loads((data / "files.json").read_text("utf-8"))
        input_mb = sum(Path(p).stat().st_size for v in files.values() for _, p, _ in v) / MB
        print(f"samples generated in {time.perf_counter() - started:.1f} s")
        results = {name: measure(name, data, args.repeat) for name in ("ours", "naive")}
        report(results, input_mb)


if __name__ == "__main__":
    main()
