"""``quality_workbook()``: the quality records as one XLSX workbook, one sheet per record."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from manyi.cells import xlsx_append
from manyi.measurement.quality import STATUS_LABELS, QualityReport

SEVERITY_LABELS = {"fail": "不通过", "warn": "警告"}
_HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")


def quality_workbook(report: QualityReport) -> bytes:
    """数据校验标准, 查错记录, 数据清洗过程记录, 数据复核记录 (+ 题项描述统计) as XLSX bytes."""
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        "数据校验标准",
        ["序号", "规则", "校验标准", "参数", "严重程度", "处理方式"],
        [
            [k, r.name, r.standard, r.parameters, SEVERITY_LABELS[r.severity], r.action]
            for k, r in enumerate(report.rules, start=1)
        ],
    )
    _sheet(
        book,
        "查错记录",
        ["序号", "文件行号", "样本编号", "列", "规则", "值", "严重程度", "处理"],
        [
            [
                k,
                f.row,
                f.respondent,
                f.column,
                f.rule,
                f.value,
                SEVERITY_LABELS[f.severity],
                f.action,
            ]
            for k, f in enumerate(report.flags, start=1)
        ],
    )
    steps = [
        [k, s.step, s.description, s.affected, s.n_before, s.n_after, s.detail]
        for k, s in enumerate(report.steps, start=1)
    ]
    steps.append(
        [
            "",
            "合计",
            "原始样本 → 有效样本",
            report.n_raw - report.n_clean,
            report.n_raw,
            report.n_clean,
            "",
        ]
    )
    rows = [*steps, [], ["插补明细"], ["文件行号", "样本编号", "列", "插补值"]]
    rows += [[m.row, m.respondent, m.column, round(m.value, 6)] for m in report.imputations]
    _sheet(
        book,
        "数据清洗过程记录",
        ["序号", "步骤", "说明", "涉及数量", "处理前样本量", "处理后样本量", "明细"],
        rows,
    )
    review = [[k, e.item, e.result, e.note] for k, e in enumerate(report.review, start=1)]
    review.append(["", "结论", STATUS_LABELS[report.status], report.summary()])
    _sheet(book, "数据复核记录", ["序号", "复核项目", "复核结果", "说明"], review)
    _sheet(
        book,
        "题项描述统计",
        [
            "题项",
            "潜变量",
            "下限",
            "上限",
            "原始有效数",
            "原始缺失数",
            "原始均值",
            "清洗后样本数",
            "清洗后均值",
            "清洗后标准差",
            "最小值",
            "最大值",
        ],
        [
            [
                s.column,
                s.construct,
                *(s.bounds or (None, None)),
                s.n_raw,
                s.missing_raw,
                _round(s.mean_raw),
                s.n_clean,
                _round(s.mean_clean),
                _round(s.sd_clean),
                _round(s.min_clean),
                _round(s.max_clean),
            ]
            for s in report.items
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _round(value: float) -> float | None:
    return None if value != value else round(value, 4)


def _sheet(
    book: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in rows:
        xlsx_append(sheet, list(row))  # survey values stay text, never formulas
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        values = [len(str(name)) * 2] + [len(str(r[index - 1])) for r in rows if len(r) >= index]
        sheet.column_dimensions[get_column_letter(index)].width = min(max(values) + 4, 60)
