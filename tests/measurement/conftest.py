"""Fixtures: the ECSI satisfaction data with R plspm's published results, and small surveys."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest

from manyi.measurement import Model, packaged_model

DATA_NAME = "ecsi-satisfaction"


def shared_dir() -> Path:
    """``$MANYI_SHARED_DIR``, else ``shared/`` beside the project checkout."""
    configured = os.environ.get("MANYI_SHARED_DIR")
    root = Path(configured) if configured else Path(__file__).resolve().parents[3] / "shared"
    return root / "data" / DATA_NAME


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    path = shared_dir()
    if not (path / "satisfaction.csv").is_file():
        pytest.skip(f"参考数据不存在：{path}；可用环境变量 MANYI_SHARED_DIR 指定 shared 目录")
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        header[0] = header[0] or "name"
        return [dict(zip(header, row, strict=True)) for row in reader]


@pytest.fixture(scope="session")
def satisfaction(reference_dir: Path) -> dict[str, np.ndarray]:
    """Item columns (and gender) of the 250 respondents."""
    rows = read_rows(reference_dir / "satisfaction.csv")
    columns = [c for c in rows[0] if c not in ("name", "gender")]
    data: dict[str, np.ndarray] = {c: np.array([float(r[c]) for r in rows]) for c in columns}
    data["gender"] = np.array([r["gender"] for r in rows])  # type: ignore[assignment]
    return data


@pytest.fixture(scope="session")
def ecsi() -> Model:
    return packaged_model("ecsi")


@pytest.fixture()
def reference(reference_dir: Path):
    def load(name: str) -> list[dict[str, str]]:
        return read_rows(reference_dir / name)

    return load
