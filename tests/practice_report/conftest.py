"""Fixtures for the practice-report tests: the scheme, checking helpers, LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from manyi.practice_report import ReportCheck, check_report
from manyi.rules import Scheme, load_scheme
from tests.practice_report.corpus import Report, to_docx

CATEGORIES = ("enterprise", "team", "service", "product", "engineering")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "libreoffice: converts DOCX to PDF with LibreOffice (soffice --headless)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Skipped only on a developer machine without LibreOffice; in CI they must run.
    if shutil.which("soffice") or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason="soffice（LibreOffice）未安装；CI 中必须运行")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


SCHEME = load_scheme(2025)


@pytest.fixture(scope="session")
def scheme() -> Scheme:
    return SCHEME


def check(data: bytes, filename: str, category: str = "enterprise", **options) -> ReportCheck:
    """check_report against the 2025 scheme."""
    return check_report(data, filename, category, scheme=SCHEME, **options)


def check_docx(report: Report, *, direct: bool = False, filename: str = "报告.docx") -> ReportCheck:
    return check(to_docx(report, direct=direct), filename, report.category)


def codes(result: ReportCheck) -> list[str]:
    return [finding.code for finding in result.findings]


def only_finding(result: ReportCheck, code: str):
    """The result holds exactly one finding, with this code; it is returned."""
    assert codes(result) == [code], [f"{f.code}: {f.message}" for f in result.findings]
    return result.findings[0]


def soffice_to_pdf(sources: list[Path], out_dir: Path) -> list[Path]:
    """Convert DOCX files to PDF with LibreOffice headless, in a private profile."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("soffice（LibreOffice）未安装：CI 必须安装 libreoffice-writer-nogui")
    profile = out_dir / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdfs = [out_dir / (source.stem + ".pdf") for source in sources]
    missing = [p.name for p in pdfs if not p.is_file()]
    assert not missing, f"LibreOffice 没有生成 {missing}"
    return pdfs
