"""Fixtures for the scheme tests: the packaged 2025 scheme and the seed application form."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import pytest

from manyi.rules import Scheme, load_scheme

SEED_NAME = "000_ac7ff1aa1ab1fd2e.txt"


def seed_path() -> Path:
    """``$MANYI_SEED``, else ``shared/seed/…`` beside the project checkout."""
    configured = os.environ.get("MANYI_SEED")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "shared" / "seed" / SEED_NAME


@pytest.fixture(scope="session")
def scheme() -> Scheme:
    return load_scheme(2025)


@pytest.fixture(scope="session")
def scheme_text() -> str:
    return resources.files("manyi.rules").joinpath("schemes/2025.toml").read_text("utf-8")


@pytest.fixture(scope="session")
def seed_lines() -> list[str]:
    """The seed's lines, stripped of surrounding whitespace (blank lines kept as "")."""
    path = seed_path()
    if not path.is_file():
        pytest.skip(f"种子文件（2025 年申请书文本）不存在：{path}；可用环境变量 MANYI_SEED 指定")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
