"""The HTML (and PDF) measurement report."""

from __future__ import annotations

import pytest

from manyi.measurement import (
    bootstrap,
    compare_segments,
    estimate,
    render_report_html,
    render_report_pdf,
)


@pytest.fixture(scope="module")
def fit(satisfaction, ecsi):
    result = estimate(satisfaction, ecsi)
    result.bootstrap = bootstrap(result, 300, seed=1)
    return result


def test_html_sections(fit, satisfaction, ecsi):
    segments = compare_segments(
        satisfaction, ecsi, list(satisfaction["gender"]), column="性别", overall=fit
    )
    html = render_report_html(fit, segments=segments, declared_score=70, organisation="示例公司")
    for heading in (
        "数据概况",
        "测评模型",
        "信度与效度",
        "结构模型",
        "满意度指数",
        "重要性–表现矩阵",
        "分组比较（性别）",
    ):
        assert heading in html
    assert html.count("<svg") == 2
    assert "品牌形象" in html and "68.6" in html
    assert "申报的满意度 70.0" in html
    assert "Noto Sans CJK SC" in html


def test_pdf(fit):
    pytest.importorskip("weasyprint")
    pdf = render_report_pdf(fit)
    assert pdf[:5] == b"%PDF-"
    assert len(pdf) > 10_000
