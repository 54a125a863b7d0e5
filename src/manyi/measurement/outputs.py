"""What one analysis hands over: the records workbook, the results as JSON, the drawings and the
PDF report. The background task stores them; the benchmark times the same function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from manyi.measurement.errors import MeasurementError
from manyi.measurement.ipa import importance_performance
from manyi.measurement.pipeline import Analysis
from manyi.measurement.serialize import quality_json, to_json
from manyi.measurement.svg import ipa_chart, model_diagram
from manyi.measurement.workbook import quality_workbook

Progress = Callable[[str, float], None]


@dataclass
class Outputs:
    quality: dict[str, Any]  # quality_json of the records, with the findings
    records: bytes  # the four records as XLSX
    result: dict[str, Any] | None = None  # to_json of the fit, when there is one
    report: bytes | None = None  # the PDF report, when there is a fit
    diagram_svg: str = ""
    ipa_svg: str = ""


def render_outputs(
    analysis: Analysis,
    *,
    organisation: str | None = None,
    declared_score: float | None = None,
    pdf: bool = True,
    progress: Progress | None = None,
) -> Outputs:
    """The records, results and report of ``analysis``; a PDF only when the model was fitted."""
    step = progress or (lambda _stage, _share: None)
    step("写出复核记录", 0.9)
    outputs = Outputs(quality_json(analysis.quality), quality_workbook(analysis.quality))
    result = analysis.result
    if result is None:
        return outputs
    outputs.result = to_json(result)
    outputs.result["notes"] = list(analysis.notes)
    outputs.result["unused"] = [{"column": u.column, "why": u.why} for u in analysis.unused]
    outputs.result["index_failures"] = analysis.index_failures()
    outputs.diagram_svg = model_diagram(result, _path_intervals(result))
    try:
        outputs.ipa_svg = ipa_chart(importance_performance(result))
    except MeasurementError:  # e.g. no driver of satisfaction in a custom model
        outputs.ipa_svg = ""
    if pdf:
        from manyi.measurement.report import render_report_pdf

        step("生成测评报告", 0.93)
        outputs.report = render_report_pdf(
            result,
            quality=analysis.quality,
            segments=analysis.segments,
            organisation=organisation,
            declared_score=declared_score,
            notes=analysis.notes,
            unused=analysis.unused,
        )
    return outputs


def _path_intervals(result: Any) -> dict[str, tuple[float, float]] | None:
    boot = result.bootstrap
    if boot is None:
        return None
    return {i.label: (i.ci_low, i.ci_high) for i in boot.intervals["paths"]}
