"""Fuzzing: DOCX packages with parts dropped, duplicated, mistyped, mis-related or holding odd
values; the checker returns a result or a clear unreadable error, quickly, and never crashes."""

from __future__ import annotations

import copy
import io
import re
import time
import zipfile
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from manyi.practice_report import ReportCheck, ReportReadError
from manyi.verdict import STATUSES
from tests.practice_report.conftest import check
from tests.practice_report.corpus import outline_report, to_docx
from tests.practice_report.word_corpus import (
    LIST_STYLE,
    list_item,
    page_of_pages,
    shared_list_numbering,
    table,
    text_box,
    with_footers,
)

TIME_LIMIT = 5.0  # seconds for one check, far above the usual 0.02


def _rich_report() -> bytes:
    """A report with numbering, odd/even/first footers, a table, a text box and a list."""
    report = outline_report(body_chars=30)
    extras = [
        list_item("第一项。", 20),
        list_item("第二项。", 21),
        replace(report.items[2], raw=table([["指标", "值"], ["满意度", "86"]])),
        replace(report.items[2], raw=text_box("文本框中的文字。")),
    ]
    report = report.edit(lambda items: [*items[:3], *extras, *items[3:]])
    report = replace(report, numbering=shared_list_numbering(), extra_styles=LIST_STYLE)
    report = with_footers(report, default=page_of_pages(), even=page_of_pages(), first="<w:p/>")
    return to_docx(report)


BASE = _rich_report()
with zipfile.ZipFile(io.BytesIO(BASE)) as _archive:
    PARTS: dict[str, bytes] = {name: _archive.read(name) for name in _archive.namelist()}
NAMES = sorted(PARTS)
XML_NAMES = [name for name in NAMES if name.endswith((".xml", ".rels"))]
ODD_VALUES = [
    "",
    "0",
    "-1",
    "-2147483649",
    "99999999999999999999",
    "1e400",
    "NaN",
    "inf",
    "abc",
    "１２",
    "\u202e",
    "true",
    "rIdNowhere",
    "../../etc/passwd",
    "/word/document.xml",
]
CONTENT_TYPES = [
    "application/xml",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
]
_ATTRIBUTE = re.compile(rb'(\s[\w:]+=")([^"]*)(")')


def _zip(parts: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            archive.writestr(zipfile.ZipInfo(name), data)
    return out.getvalue()


@st.composite
def mutation(draw):
    """One change to one part of the package."""
    kind = draw(
        st.sampled_from(
            [
                "drop",
                "duplicate",
                "content_type",
                "relationship",
                "attribute",
                "cut",
                "drop_element",
                "repeat_element",
            ]
        )
    )
    if kind == "content_type":
        return kind, "[Content_Types].xml", draw(st.sampled_from(CONTENT_TYPES))
    if kind == "relationship":
        name = draw(st.sampled_from([n for n in XML_NAMES if n.endswith(".rels")]))
        return kind, name, draw(st.sampled_from([*NAMES, "missing.xml", "../x.xml", ""]))
    whole_parts = ("drop", "duplicate")
    name = draw(st.sampled_from(NAMES if kind in whole_parts else XML_NAMES))
    return kind, name, draw(st.sampled_from(ODD_VALUES)) if kind == "attribute" else None


def _mutated_attribute(data: bytes, value: str, pick: int) -> bytes:
    matches = list(_ATTRIBUTE.finditer(data))
    if not matches:
        return data
    match = matches[pick % len(matches)]
    return data[: match.start(2)] + value.encode() + data[match.end(2) :]


def _apply(parts: list[tuple[str, bytes]], change, pick: int) -> list[tuple[str, bytes]]:
    kind, name, value = change
    index = next(i for i, (n, _) in enumerate(parts) if n == name)
    data = parts[index][1]
    if kind == "drop":
        return parts[:index] + parts[index + 1 :]
    if kind == "duplicate":
        return [*parts, (name, data)]
    if kind == "cut":
        return [*parts[:index], (name, data[: pick % (len(data) + 1)]), *parts[index + 1 :]]
    if kind == "content_type":
        types = _ATTRIBUTE.sub(
            lambda m: (
                m.group(0)
                if m.group(1).strip() != b'ContentType="'
                else m.group(1) + value.encode() + m.group(3)
            ),
            data,
            count=1 + pick % 8,
        )
        return [*parts[:index], (name, types), *parts[index + 1 :]]
    if kind == "relationship":
        target = value.removeprefix("word/")
        targets = list(re.finditer(rb'Target="([^"]*)"', data))
        if not targets:
            return parts
        match = targets[pick % len(targets)]
        changed = data[: match.start(1)] + target.encode() + data[match.end(1) :]
        return [*parts[:index], (name, changed), *parts[index + 1 :]]
    if kind == "attribute":
        changed = _mutated_attribute(data, value, pick)
    else:
        changed = _mutated_element(data, pick, repeat=kind == "repeat_element")
    return [*parts[:index], (name, changed), *parts[index + 1 :]]


def _mutated_element(data: bytes, pick: int, *, repeat: bool) -> bytes:
    """The part with one element (not the root) removed, or repeated after itself."""
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return data
    elements = [e for e in root.iter() if e is not root and isinstance(e.tag, str)]
    if not elements:
        return data
    element = elements[pick % len(elements)]
    if repeat:
        element.addnext(copy.deepcopy(element))
    else:
        element.getparent().remove(element)
    return etree.tostring(root)


def _assert_sound(result: ReportCheck) -> None:
    """Every finding speaks the common vocabulary, and no check crashed: a part it could not
    use is named ("无法完整检查：偶数页页脚（……）"), not an error it ran into."""
    for finding in result.findings:
        assert "读取时出错" not in finding.message, finding.message
        assert finding.status in ("fail", "warn")
        assert finding.status in STATUSES
        assert finding.source in ("seed", "advice")
        assert finding.quote if finding.source == "seed" else finding.reason
        finding.verdict()  # the common shape accepts it
    assert result.chars.total >= 0


@pytest.mark.filterwarnings("ignore:Duplicate name")  # a duplicated part, on purpose
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    changes=st.lists(mutation(), min_size=1, max_size=3),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=3, max_size=3),
)
def test_a_mutated_docx_gives_a_result_or_a_clear_refusal_in_time(changes, picks):
    parts = list(PARTS.items())
    for change, pick in zip(changes, picks, strict=False):
        if any(name == change[1] for name, _ in parts):
            parts = _apply(parts, change, pick)
    data = _zip(parts)
    started = time.perf_counter()
    try:
        result = check(data, "报告.docx")
    except ReportReadError as refused:
        assert re.search("[\u4e00-\u9fff]", str(refused)), str(refused)
        assert "无法解析" not in str(refused), str(refused)  # not a reader's crash
    else:
        _assert_sound(result)
    assert time.perf_counter() - started < TIME_LIMIT


def test_the_unmutated_rich_report_checks_clean():
    assert check(BASE, "报告.docx").findings == ()
