"""Small builders for survey files in tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np
from openpyxl import Workbook


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\n"
    return text.encode(encoding)


def xlsx_bytes(
    rows: Sequence[Sequence[Any]], merge: str | None = None, sheets: dict | None = None
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    for title, extra in (sheets or {}).items():
        other = book.create_sheet(title)
        for row in extra:
            other.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def survey_rows(n: int = 40, seed: int = 0) -> list[list[Any]]:
    """编号, 访问日期, 姓名, 联系电话, 地区 + IMAG1–3, SAT1–3 answers on 1–10."""

    rng = np.random.default_rng(seed)
    header = [
        "编号",
        "访问日期",
        "姓名",
        "联系电话",
        "地区",
        "imag1",
        "imag2",
        "imag3",
        "sat1",
        "sat2",
        "sat3",
    ]
    rows: list[list[Any]] = [header]
    for i in range(n):
        base = rng.normal(7, 1.3)
        answers = [int(np.clip(round(base + rng.normal(0, 1)), 1, 10)) for _ in range(6)]
        rows.append(
            [
                f"R{i + 1:03d}",
                f"2025-03-{1 + i % 28:02d}",
                f"被访者{i + 1}",
                f"1380000{i + 1:04d}",
                "华东" if i % 2 else "华北",
                *answers,
            ]
        )
    return rows


CODEBOOK = """
scale = [1, 10]
[respondent]
id = "编号"
date = "访问日期"
name = "姓名"
contact = "联系电话"
segment = "地区"
[construct.IMAG]
items = ["imag1", "imag2", "imag3"]
[construct.SAT]
items = ["sat1", "sat2", "sat3"]
"""

MODEL = """
scale = [1, 10]
[construct.IMAG]
items = ["imag1", "imag2", "imag3"]
[construct.SAT]
items = ["sat1", "sat2", "sat3"]
[paths]
IMAG = ["SAT"]
"""


def synthetic(n: int, seed: int = 0, *, low: float = 1, high: float = 10) -> dict[str, np.ndarray]:
    """Answers to the ECSI items generated from a chain of correlated factors."""
    rng = np.random.default_rng(seed)
    factors = {"imag": rng.normal(size=n)}
    factors["expe"] = 0.6 * factors["imag"] + rng.normal(scale=0.8, size=n)
    factors["qual"] = 0.7 * factors["expe"] + rng.normal(scale=0.7, size=n)
    factors["val"] = 0.5 * factors["qual"] + 0.3 * factors["imag"] + rng.normal(scale=0.7, size=n)
    factors["sat"] = 0.6 * factors["val"] + 0.2 * factors["imag"] + rng.normal(scale=0.6, size=n)
    factors["loy"] = 0.6 * factors["sat"] + rng.normal(scale=0.8, size=n)
    sizes = {"imag": 5, "expe": 5, "qual": 5, "val": 4, "sat": 4, "loy": 4}
    data = {}
    for name, size in sizes.items():
        for k in range(1, size + 1):
            raw = 6.5 + 1.6 * factors[name] + rng.normal(scale=1.0, size=n)
            data[f"{name}{k}"] = np.clip(np.round(raw), low, high)
    return data
