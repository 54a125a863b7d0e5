"""Applications, scores and decisions as tables, written to XLSX or CSV (UTF-8 with BOM)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.cells import csv_cell, xlsx_append
from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.applications.selectors import organisation_of
from manyi.web.applications.services import scheme_for
from manyi.web.review import selectors
from manyi.web.review.models import Score

Row = Sequence[Any]


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[Row]


def _names(application: Application, level: str | None = None) -> tuple[str, str]:
    scheme = scheme_for(application)
    key = application.level if level is None else level
    return scheme.category(application.category).name, scheme.level(key).name if key else ""


def applications_table() -> Table:
    applications = Application.objects.select_related(
        "organisation", "campaign", "promoting_body"
    ).order_by("pk")
    applications = list(applications)
    totals = selectors.submitted_totals(a.pk for a in applications)
    rows = []
    for a in applications:
        category, level = _names(a)
        summary = selectors.summarise(scheme_for(a), totals.get(a.pk, []), 0)
        rows.append(
            [
                a.pk,
                a.campaign.year,
                organisation_of(a).name,
                organisation_of(a).credit_code,
                category,
                level,
                a.project_name,
                a.promoting_body.name,
                a.get_state_display(),
                _names(a, a.proposed_level)[1] if a.proposed_level else "",
                summary.score,
            ]
        )
    headers = [
        _("申报编号"), _("年度"), _("申报单位"), _("统一社会信用代码"), _("类别"), _("申请等级"),
        _("项目名称"), _("推进机构"), _("状态"), _("拟定等级"), _("综合得分"),
    ]  # fmt: skip
    return Table(_("申报"), headers, rows)


def scores_table() -> Table:
    scores = Score.objects.select_related(
        "assignment__expert", "assignment__application__organisation",
        "assignment__application__campaign",
    ).order_by("assignment__application_id", "assignment__expert_id", "id")  # fmt: skip
    rows = []
    for score in scores:
        assignment = score.assignment
        application = assignment.application
        criteria = {c.key: c for c in scheme_for(application).review.rubric}
        criterion = criteria.get(score.criterion)
        rows.append(
            [
                application.pk,
                organisation_of(application).name,
                _names(application)[0],
                str(assignment.expert),
                criterion.name if criterion else score.criterion,
                score.points,
                criterion.max_points if criterion else None,
                score.comment,
                _("已提交") if assignment.is_submitted else _("草稿"),
            ]
        )
    headers = [
        _("申报编号"), _("申报单位"), _("类别"), _("专家"), _("评分项"), _("得分"), _("满分"),
        _("评语"), _("状态"),
    ]  # fmt: skip
    return Table(_("评分"), headers, rows)


def decisions_table() -> Table:
    states = (S.SCORED, *selectors.DECIDED_STATES)
    rows = []
    for ranking in selectors.ranking(states):
        for row in ranking.rows:
            a, summary = row.application, row.summary
            rows.append(
                [
                    ranking.name,
                    row.rank,
                    a.pk,
                    organisation_of(a).name,
                    _names(a)[1],
                    summary.score,
                    len(summary.totals),
                    summary.spread,
                    _("是") if summary.flagged else "",
                    _names(a, row.suggested_level)[1] or _("不授予"),
                    _proposed(a),
                    a.get_state_display(),
                ]
            )
    headers = [
        _("类别"), _("名次"), _("申报编号"), _("申报单位"), _("申请等级"), _("综合得分"),
        _("评分专家数"), _("分差"), _("分差过大"), _("按得分建议等级"), _("拟定等级"), _("状态"),
    ]  # fmt: skip
    return Table(_("等级拟定"), headers, rows)


def _proposed(application: Application) -> str:
    if application.state == S.SCORED:
        return ""
    return _names(application, application.proposed_level)[1] or _("不授予")


TABLES: dict[str, tuple[Any, Callable[[], Table]]] = {
    "applications": (gettext_lazy("申报清单"), applications_table),
    "scores": (gettext_lazy("专家评分明细"), scores_table),
    "decisions": (gettext_lazy("得分排名与拟定等级"), decisions_table),
}


def _cell(value: Any) -> Any:
    return "" if value is None else value


def to_csv(table: Table) -> bytes:
    """UTF-8 with BOM; text that a spreadsheet would take for a formula is kept as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_cell(h) for h in table.headers])
    writer.writerows([[csv_cell(v) for v in row] for row in table.rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """One sheet; every text cell is a string cell, never a formula."""
    # openpyxl (and with it numpy) is loaded on the first export, not with every web process.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    xlsx_append(sheet, list(table.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        xlsx_append(sheet, list(row))
    sheet.freeze_panes = "A2"
    _widths(sheet, table.headers, table.rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _widths(sheet: Any, headers: list[str], rows: Iterable[Row]) -> None:
    columns = list(zip(headers, *rows, strict=False)) if headers else []
    for index, values in enumerate(columns, start=1):
        width = max(len(str(_cell(v))) for v in values)
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width * 2 + 2, 60)
