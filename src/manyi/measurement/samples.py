"""A realistic sample survey for the default model: database, codebook and respondent list.

Used by the demo data and the web tests; answers come from a chain of correlated factors
following the model's paths, so the estimation gives sensible, positive weights.
"""

from __future__ import annotations

import datetime
import functools
import io
from dataclasses import dataclass

import numpy as np
from openpyxl import Workbook

from manyi.measurement.quality import QualityRules

# Items per construct of the default (China CSI) model, as column-name prefixes.
ITEMS = {"imag": 4, "expe": 3, "qual": 4, "val": 3, "sat": 3, "loy": 3}
FACTOR_PATHS = {
    "imag": {},
    "expe": {"imag": 0.6},
    "qual": {"imag": 0.4, "expe": 0.3},
    "val": {"qual": 0.5, "imag": 0.2},
    "sat": {"qual": 0.4, "val": 0.3, "imag": 0.2},
    "loy": {"sat": 0.7},
}
SEGMENTS = ("华东", "华北", "华南")


@dataclass(frozen=True)
class SampleSurvey:
    database: bytes  # XLSX
    codebook: str  # TOML
    respondent_list: bytes  # XLSX
    respondents: int
    rows: tuple[tuple[object, ...], ...] = ()  # the database's header and rows

    def satisfaction_index(self, rules: QualityRules) -> float | None:
        """What the data give (what a declared score should agree with)."""
        from manyi.measurement.codebook import parse_codebook_toml
        from manyi.measurement.pipeline import analyse

        text = "\n".join(",".join(str(v) for v in row) for row in self.rows).encode("utf-8")
        codebook = parse_codebook_toml(self.codebook, "codebook.toml")
        analysis = analyse(text, "survey.csv", codebook=codebook, rules=rules, segments=False)
        return analysis.result.satisfaction_index() if analysis.result is not None else None


def _factors(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    factors: dict[str, np.ndarray] = {}
    for name, parents in FACTOR_PATHS.items():
        value = rng.normal(scale=0.7, size=n)
        for parent, weight in parents.items():
            value = value + weight * factors[parent]
        factors[name] = value / value.std()
    return factors


def _xlsx(rows: list[list[object]], title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@functools.lru_cache(maxsize=32)
def sample_survey(
    n: int = 200,
    *,
    seed: int = 1,
    start: datetime.date = datetime.date(2025, 3, 1),
    mean: float = 8.0,
    listed: int = 60,
) -> SampleSurvey:
    rng = np.random.default_rng(seed)
    factors = _factors(n, rng)
    items = [f"{prefix}{i}" for prefix, count in ITEMS.items() for i in range(1, count + 1)]
    header = ["编号", "访问日期", "姓名", "联系电话", "地区", *items]
    rows: list[list[object]] = [header]
    for r in range(n):
        answers = [
            int(np.clip(round(mean + 1.2 * factors[prefix][r] + rng.normal(0, 0.6)), 1, 10))
            for prefix, count in ITEMS.items()
            for _ in range(count)
        ]
        rows.append(
            [
                f"R{r + 1:04d}",
                (start + datetime.timedelta(days=r % 90)).isoformat(),
                f"被访者{r + 1}",
                f"139{r + 1:08d}",
                SEGMENTS[r % len(SEGMENTS)],
                *answers,
            ]
        )
    listing = [["编号", "姓名", "联系方式"]] + [
        [row[0], row[2], row[3]] for row in rows[1 : listed + 1]
    ]
    return SampleSurvey(
        _xlsx(rows, "数据"),
        _codebook(),
        _xlsx(listing, "被访者名单"),
        n,
        tuple(tuple(row) for row in rows),
    )


def _codebook() -> str:
    lines = [
        "scale = [1, 10]",
        "",
        "[respondent]",
        'id = "编号"',
        'date = "访问日期"',
        'name = "姓名"',
        'contact = "联系电话"',
        'segment = "地区"',
        "",
    ]
    for prefix, count in ITEMS.items():
        lines.append(f"[construct.{prefix.upper()}]")
        items = ", ".join(f'"{prefix}{i}"' for i in range(1, count + 1))
        lines += [f"items = [{items}]", ""]
    return "\n".join(lines)
