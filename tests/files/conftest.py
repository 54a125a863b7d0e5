"""Fixtures for the file-inspection tests: the 2025 scheme and a checker bound to it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from manyi.documents import samples
from manyi.files import CheckContext, FileInfo, check_material_file
from manyi.rules import Scheme, load_scheme
from manyi.verdict import Finding

ORGANISATION = "福州示例电力有限公司"

Check = Callable[..., list[Finding]]


@pytest.fixture(scope="session")
def scheme() -> Scheme:
    return load_scheme(2025)


@pytest.fixture(scope="session")
def check(scheme: Scheme) -> Check:
    """``check(info, "report_ppt")`` → findings for a five-star enterprise application."""

    def run(
        info: FileInfo, material: str, *, category: str = "enterprise", level: str = "five"
    ) -> list[Finding]:
        return check_material_file(
            info,
            scheme.material(material),
            category=category,
            level=level,
            context=CheckContext(scheme, ORGANISATION),
        )

    return run


@pytest.fixture(scope="session")
def ffmpeg() -> None:
    if not samples.ffmpeg_available():
        pytest.skip("ffmpeg 未安装：这些测试用 ffmpeg 生成真实的 MP4 文件")


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]
