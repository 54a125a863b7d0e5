"""Spreadsheet cells that stay text: no formula injection through exported data.

A cell whose text begins with ``=``, ``+``, ``-``, ``@`` or a control character (tab, CR, LF …)
would be read as a formula (or split) by Excel, WPS or LibreOffice when the file is opened. In CSV
such text gets a leading apostrophe; in XLSX it is stored as a string cell marked "quote prefix"
(never a formula), and the control characters XML cannot hold are shown as ``\\xNN``.
Pure Python: usable by the engines and the web exports alike.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_risky(text: str) -> bool:
    return bool(text) and (text.startswith(FORMULA_TRIGGERS) or bool(_CONTROL.match(text)))


def csv_cell(value: Any) -> Any:
    """The value for a CSV writer: risky text behind an apostrophe, everything else unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def xlsx_text(text: str) -> str:
    return _XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def xlsx_append(sheet: Any, values: list[Any]) -> None:
    """``sheet.append(values)`` with every string written as a text cell, never a formula."""
    sheet.append([xlsx_text(v) if isinstance(v, str) else ("" if v is None else v) for v in values])
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
            if is_risky(value):
                cell.quotePrefix = True
