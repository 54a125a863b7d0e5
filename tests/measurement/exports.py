"""Survey files laid out the way 问卷星, 腾讯问卷 and 金数据 export them, built with openpyxl.

The ECSI items are asked in Chinese; the brand-image items form a matrix question (问卷星
heads its rows "1、(子题)"), the others are single questions "N、题目". Answers are written as
numbers (按选项序号/按分数) or as 5-level satisfaction labels (按文本).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from openpyxl import Workbook

ECSI_WORDING = {
    "imag1": "该公司值得信赖",
    "imag2": "该公司稳定可靠、根基牢固",
    "imag3": "该公司为社会作出贡献",
    "imag4": "该公司关心顾客",
    "imag5": "该公司勇于创新、着眼未来",
    "expe1": "成为客户时，您对其总体质量的期望",
    "expe2": "您期望它能满足您的个人需要",
    "expe3": "您预期它的服务很少出差错",
    "expe4": "您事先对其网络覆盖的期待",
    "expe5": "您事先对其客户服务的期待",
    "qual1": "您感受到的总体质量",
    "qual2": "网络的技术质量",
    "qual3": "客户服务和个人建议的质量",
    "qual4": "您所用业务的质量",
    "qual5": "所提供产品和业务的丰富程度",
    "val1": "就所得质量而言，价格是否合理",
    "val2": "就所付价格而言，质量如何",
    "val3": "与其他公司相比的性价比",
    "val4": "资费是否物有所值",
    "sat1": "您对该公司的总体满意程度",
    "sat2": "与期望相比，它做得如何",
    "sat3": "与您心目中理想的公司相比如何",
    "sat4": "综合考虑，您是否满意",
    "loy1": "您是否会继续选用该公司",
    "loy2": "您是否会向亲友推荐该公司",
    "loy3": "若其他公司价格更低，您是否仍会继续使用",
    "loy4": "您是否会再次购买其更多业务",
}
# The reverse-worded version of an item, as a questionnaire would ask it.
REVERSED_WORDING = {"qual3": "客户服务和个人建议让人失望"}
SATISFACTION5 = ("非常不满意", "不满意", "一般", "满意", "非常满意")
WJX_META = ("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP")


def five_levels(values: np.ndarray) -> np.ndarray:
    """0–10 scores folded into 5 levels: 0–2 → 1, 3–4 → 2, 5–6 → 3, 7–8 → 4, 9–10 → 5."""
    return np.clip(np.ceil(values / 2), 1, 5).astype(int)


def wjx_headers(items: Sequence[str], reverse: Sequence[str] = ()) -> dict[str, str]:
    """Item → its 问卷星 column header: the imag items as rows of matrix question 1."""
    headers: dict[str, str] = {}
    number = 2
    for item in items:
        if item.startswith("imag"):
            headers[item] = f"1、({ECSI_WORDING[item]})"
        else:
            wording = REVERSED_WORDING[item] if item in reverse else ECSI_WORDING[item]
            headers[item] = f"{number}、{wording}"
            number += 1
    return headers


def wjx_export(
    data: Mapping[str, np.ndarray],
    *,
    as_text: bool = False,
    reverse: Sequence[str] = (),
    first_day: datetime.date = datetime.date(2025, 3, 1),
    gender: Sequence[str] | None = None,
) -> bytes:
    """A 问卷星 XLSX export of ``data`` (item → answers): numbers, or 5-level labels with the
    ``reverse`` items asked the other way round."""
    items = [k for k in data if k in ECSI_WORDING]
    headers = wjx_headers(items, reverse)
    n = len(data[items[0]])
    last = sum(not item.startswith("imag") for item in items) + 2
    header = [*WJX_META, *headers.values(), f"{last}、您的性别"]
    rows: list[list[Any]] = [header]
    start = datetime.datetime.combine(first_day, datetime.time(9, 0))
    for r in range(n):
        row: list[Any] = [
            r + 1,
            start + datetime.timedelta(hours=r),
            f"{95 + r % 300}秒",
            "手机提交",
            "直接访问",
            f"112.5.{r % 200}.{r % 250}(福建-福州)",
        ]
        for item in items:
            value = float(data[item][r])
            if not as_text:
                row.append(int(value))
                continue
            level = int(five_levels(np.array([value]))[0])
            row.append(SATISFACTION5[(6 - level if item in reverse else level) - 1])
        row.append(gender[r] if gender is not None else ("男", "女")[r % 2])
        rows.append(row)
    return xlsx(rows)


def xlsx(rows: Sequence[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def hand_written_model(
    headers: Mapping[str, str], *, scale: str, reverse: Sequence[str] = ()
) -> str:
    """The ECSI model with every item named by its column header exactly as exported."""
    groups = {"IMAG": "imag", "EXPE": "expe", "QUAL": "qual", "VAL": "val", "SAT": "sat"}
    groups["LOY"] = "loy"
    lines = [f"scale = {scale}", 'target = "SAT"']
    for key, prefix in groups.items():
        members = [h for item, h in headers.items() if item.startswith(prefix)]
        lines.append(f"[construct.{key}]")
        lines.append("items = [" + ", ".join(f'"{h}"' for h in members) + "]")
        turned = [headers[item] for item in reverse if item.startswith(prefix)]
        if turned:
            lines.append("reverse = [" + ", ".join(f'"{h}"' for h in turned) + "]")
    lines += [
        "[paths]",
        'IMAG = ["EXPE", "SAT", "LOY"]',
        'EXPE = ["QUAL", "VAL", "SAT"]',
        'QUAL = ["VAL", "SAT"]',
        'VAL = ["SAT"]',
        'SAT = ["LOY"]',
    ]
    return "\n".join(lines) + "\n"
