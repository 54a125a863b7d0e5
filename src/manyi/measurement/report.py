"""The measurement report: one HTML page (inline SVG, no template engine), optionally a PDF."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from typing import Any

from scipy import stats

from manyi.measurement.errors import MeasurementError
from manyi.measurement.estimate import PlsResult
from manyi.measurement.ipa import (
    QUADRANT_ADVICE,
    IpaResult,
    SegmentComparison,
    importance_performance,
)
from manyi.measurement.quality import STATUS_LABELS, QualityReport
from manyi.measurement.svg import ipa_chart, model_diagram

FONT = "Noto Sans CJK SC"
# The full 查错记录 is in the records workbook; the report shows the first rows of it.
MAX_FLAG_ROWS = 20
# Fixed table layout and plain cell rules: WeasyPrint lays a page out in a fraction of the time
# it needs for auto-sized, fully bordered tables, and the report reads the same.
_CSS = f"""
@page {{ size: A4; margin: 16mm 14mm;
  @bottom-center {{ content: counter(page); font-size: 9pt; font-family: "{FONT}"; }} }}
body {{ font-family: "{FONT}", "Noto Sans SC", sans-serif; font-size: 10.5pt; color: #222;
  line-height: 1.5; max-width: 1000px; margin: 0 auto; padding: 0 12px; }}
h1 {{ font-size: 18pt; text-align: center; margin: 0.4em 0; }}
h2 {{ font-size: 13.5pt; border-bottom: 2px solid #2f5597; padding-bottom: 2px;
  margin-top: 1.4em; }}
h3 {{ font-size: 11.5pt; margin: 1em 0 0.3em; }}
table {{ border-collapse: separate; border-spacing: 0; table-layout: fixed; width: 100%;
  margin: 0.4em 0 0.8em; font-size: 9.5pt; }}
th, td {{ border-bottom: 1px solid #d0d0d0; padding: 2px 6px; text-align: left;
  overflow-wrap: anywhere; }}
th {{ border-bottom: 1.5px solid #2f5597; font-weight: bold; }}
.grid {{ margin: 0.4em 0 0.8em; }}
.grid pre {{ font-family: "Noto Sans Mono CJK SC", monospace; font-size: 8.5pt; margin: 0;
  line-height: 1.45; }}
.grid pre.head {{ font-weight: bold; border-bottom: 1.5px solid #2f5597; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.headline {{ font-size: 15pt; text-align: center; margin: 0.6em 0; }}
.headline b {{ font-size: 22pt; color: #2f5597; }}
.bad {{ color: #c00000; }} .warn {{ color: #b8860b; }} .ok {{ color: #2e7d32; }}
.note {{ color: #555; font-size: 9pt; }}
svg {{ max-width: 100%; height: auto; }}
"""


def render_report_html(
    result: PlsResult,
    *,
    quality: QualityReport | None = None,
    ipa: IpaResult | None = None,
    segments: SegmentComparison | None = None,
    title: str = "顾客满意度测评报告",
    organisation: str | None = None,
    declared_score: float | None = None,
    notes: Sequence[str] = (),
    unused: Sequence[Any] = (),
) -> str:
    """The whole report as one HTML document; ``notes`` say what was guessed from the data,
    ``unused`` lists the columns left out with the reason (``.column``, ``.why``)."""
    quality = quality or result.quality
    ipa = ipa or _ipa(result)
    sections = [
        _headline(result, declared_score),
        _overview(result, quality),
        _data_notes(notes, unused),
        _quality_section(quality) if quality is not None else "",
        _model_section(result),
        _reliability_section(result),
        _validity_section(result),
        _paths_section(result),
        _index_section(result),
        _ipa_section(ipa) if ipa is not None else "",
        _segments_section(segments) if segments is not None else "",
        _method_section(result),
    ]
    subtitle = escape(organisation) + " · " if organisation else ""
    generated = datetime.now().strftime("%Y年%m月%d日 %H:%M")
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1><p class='note' style='text-align:center'>{subtitle}生成于 "
        f"{generated}</p>" + "".join(sections) + "</body></html>"
    )


def render_report_pdf(result: PlsResult, **options: Any) -> bytes:
    """The report as PDF through weasyprint (installed with the project)."""
    try:
        from weasyprint import HTML
    except ImportError as exc:  # pragma: no cover - weasyprint is a project dependency
        raise MeasurementError(f"无法生成 PDF：未安装 weasyprint（{exc}）") from None
    return HTML(string=render_report_html(result, **options)).write_pdf()


# ---------------------------------------------------------------------------------------------
# Sections


def _headline(result: PlsResult, declared: float | None) -> str:
    value = result.satisfaction_index()
    label = result.model.label(result.target)
    shown = f"{value:.1f}" if value is not None else "—"
    text = f"<p class='headline'>{escape(label)}指数（0–100）：<b>{shown}</b>"
    if value is None:
        reason = result.index[result.target].note or "无法计算"
        text += f"<br><span class='bad'>指数不成立：{escape(reason)}</span>"
    boot = result.bootstrap
    if boot is not None and value is not None:
        interval = boot.interval("index", result.target)
        text += (
            f"<br><span class='note'>{boot.level:.0%} 区间 {interval.ci_low:.1f}–"
            f"{interval.ci_high:.1f}（自助法 {boot.resamples} 次）</span>"
        )
    if declared is not None and value is not None:
        gap = value - declared
        css = "ok" if abs(gap) <= 2 else "warn" if abs(gap) <= 5 else "bad"
        text += (
            f"<br><span class='{css}'>申报的满意度 {declared:.1f}，重新计算 {value:.1f}，"
            f"相差 {gap:+.1f}</span>"
        )
    return text + "</p>"


def _overview(result: PlsResult, quality: QualityReport | None) -> str:
    rows = [
        ["模型", result.model.name],
        ["有效样本量", str(result.n)],
        ["题项数", str(len(result.items))],
        ["潜变量数", str(len(result.constructs))],
        [
            "估计方法",
            f"PLS 路径模型，{_scheme_name(result.scheme)}，"
            + ("标准化题项" if result.scaled else "中心化原始题项"),
        ],
        [
            "迭代",
            f"{result.iterations} 次，{'收敛' if result.converged else '未收敛'}"
            f"（{result.stop.name} 规则）",
        ],
        ["拟合优度 GoF", f"{result.gof:.3f}"],
    ]
    if quality is not None:
        rows.insert(1, ["数据文件", quality.filename])
        rows.insert(2, ["原始样本量", str(quality.n_raw)])
    constructs = [
        [c.label, c.key, "反映型 A" if c.mode == "A" else "形成型 B", "、".join(c.items)]
        for c in result.model.constructs
    ]
    warnings = "".join(f"<li class='warn'>{escape(w)}</li>" for w in result.warnings)
    return (
        "<h2>一、数据概况</h2>"
        + _table(["项目", "内容"], rows, widths=(25, 75))
        + "<h3>潜变量与题项</h3>"
        + _table(["潜变量", "代码", "测量模式", "题项"], constructs, widths=(16, 10, 14, 60))
        + (f"<ul>{warnings}</ul>" if warnings else "")
    )


def _data_notes(notes: Sequence[str], unused: Sequence[Any]) -> str:
    if not notes and not unused:
        return ""
    parts = []
    if notes:
        parts.append("<h3>读取说明</h3><ul class='note'>")
        parts += [f"<li>{escape(n)}</li>" for n in notes]
        parts.append("</ul>")
    if unused:
        parts.append("<h3>未用于估计的列</h3><ul class='note'>")
        parts += [f"<li>{escape(u.column)}：{escape(u.why)}</li>" for u in unused]
        parts.append("</ul>")
    return "".join(parts)


def _quality_section(quality: QualityReport) -> str:
    status_css = {"pass": "ok", "warn": "warn", "fail": "bad"}[quality.status]
    parts = [
        "<h2>二、数据质量记录</h2>",
        f"<p>结论：<span class='{status_css}'>{STATUS_LABELS[quality.status]}</span>。"
        f"{escape(quality.summary())}</p>",
    ]
    parts += [
        f"<p class='{'bad' if p.severity == 'fail' else 'warn'}'>{escape(p.message)}</p>"
        for p in quality.problems
    ]
    parts.append("<h3>数据校验标准</h3>")
    parts.append(
        _table(
            ["规则", "校验标准", "参数", "严重程度", "处理方式"],
            [
                [
                    r.name,
                    r.standard,
                    r.parameters,
                    ("申请书规定" if r.source == "seed" else "系统建议")
                    + ("，不通过" if r.severity == "fail" else "，警告"),
                    r.action,
                ]
                for r in quality.rules
            ],
            widths=(14, 28, 24, 14, 20),
        )
    )
    parts.append(f"<h3>查错记录（{len(quality.flags)} 条）</h3>")
    if quality.flags:
        counts = [[rule, count] for rule, count in quality.counts().items()]
        parts.append(_table(["规则", "处数"], counts, widths=(70, 30)))
    flags = quality.flags[:MAX_FLAG_ROWS]
    parts.append(
        _table(
            ["行号", "编号", "列", "规则", "值", "处理"],
            [[f.row, f.respondent, f.column, f.rule, f.value, f.action] for f in flags],
            widths=(8, 12, 24, 15, 23, 18),
        )
        if flags
        else "<p>未发现问题。</p>"
    )
    if len(quality.flags) > MAX_FLAG_ROWS:
        parts.append(
            f"<p class='note'>仅列出前 {MAX_FLAG_ROWS} 条，完整记录见复核记录工作簿（XLSX）。</p>"
        )
    parts.append("<h3>数据清洗过程记录</h3>")
    steps = [
        [s.step, s.description, s.affected, s.n_before, s.n_after, s.detail] for s in quality.steps
    ]
    parts.append(
        _table(
            ["步骤", "说明", "涉及数量", "处理前", "处理后", "明细"],
            steps,
            widths=(18, 28, 10, 9, 9, 26),
        )
        if steps
        else "<p>无需清洗。</p>"
    )
    parts.append("<h3>数据复核记录</h3>")
    parts.append(
        _table(
            ["复核项目", "结果", "说明"],
            [[e.item, e.result, e.note] for e in quality.review],
            widths=(30, 35, 35),
        )
    )
    return "".join(parts)


def _model_section(result: PlsResult) -> str:
    intervals = None
    if result.bootstrap is not None:
        intervals = {i.label: (i.ci_low, i.ci_high) for i in result.bootstrap.intervals["paths"]}
    return (
        "<h2>三、测评模型</h2>"
        + model_diagram(result, intervals)
        + "<p class='note'>箭头上的数字为路径系数（标准化）；虚线表示其自助法区间包含 0；"
        "椭圆内为潜变量指数，下方为 R²。</p>"
    )


def _reliability_section(result: PlsResult) -> str:
    rows = []
    for key in result.constructs:
        r = result.reliability[key]
        rows.append(
            [
                result.model.label(key),
                r.items,
                _n(r.alpha),
                _n(r.rho_a),
                _n(r.rho_c),
                _n(r.dg_rho),
                _n(r.ave),
                _n(r.eig_1st),
                _n(r.eig_2nd),
            ]
        )
    items = []
    for i, item in enumerate(result.items):
        owner = result.constructs[int(result.structure().block_of()[i])]
        items.append(
            [
                item,
                result.model.label(owner),
                _n(result.weights[i], 4),
                _n(result.loadings[i]),
                _n(result.communalities[i]),
                _n(result.item_vif[i], 2),
            ]
        )
    return (
        "<h2>四、信度与效度</h2><h3>信度</h3>"
        + _grid(
            [
                "潜变量",
                "题项数",
                "α",
                "ρA",
                "ρc",
                "DG ρ",
                "AVE",
                "第一特征根",
                "第二特征根",
            ],
            rows,
        )
        + "<p class='note'>α 为 Cronbach α，ρc 为组合信度。一般要求 α、ρA、ρc ≥ 0.7，AVE ≥ 0.5，"
        "第一特征根大于 1 而第二特征根小于 1。</p>"
        + "<h3>题项：权重与载荷</h3>"
        + _grid(["题项", "潜变量", "外部权重", "载荷", "共同度", "VIF"], items)
    )


def _validity_section(result: PlsResult) -> str:
    labels = [result.model.label(k) for k in result.constructs]
    fl = result.fornell_larcker()
    fl_rows = [
        [labels[j], _n(fl[k]["sqrt_ave"]), _n(fl[k]["max_correlation"]), _yes(fl[k]["ok"])]
        for j, k in enumerate(result.constructs)
    ]
    htmt_rows = [
        [labels[i]] + [_n(result.htmt[i, j]) if j < i else "" for j in range(len(labels))]
        for i in range(len(labels))
    ]
    return (
        "<h3>区分效度：Fornell–Larcker 准则</h3>"
        + _grid(["潜变量", "√AVE", "与其他潜变量的最大相关", "满足"], fl_rows)
        + "<h3>区分效度：HTMT</h3>"
        + _grid(["", *labels], htmt_rows)
        + "<p class='note'>HTMT 一般应小于 0.85（宽松标准 0.90）。</p>"
    )


def _paths_section(result: PlsResult) -> str:
    boot = result.bootstrap
    head = ["路径", "系数", "标准误", "t", "p", "VIF"]
    if boot is not None:
        head += [f"{boot.level:.0%} 区间", "BCa 区间"]
    rows = []
    for path in result.paths:
        row = [
            f"{result.model.label(path.source)} → {result.model.label(path.target)}",
            _n(path.estimate),
            _n(path.se),
            _n(path.t, 2),
            _p(path.p),
            _n(path.vif, 2),
        ]
        if boot is not None:
            i = boot.interval("paths", f"{path.source}->{path.target}")
            p_value = 2 * stats.t.sf(abs(i.t), result.n - 1) if i.se > 0 else float("nan")
            row[2], row[3], row[4] = _n(i.se), _n(i.t, 2), _p(p_value)
            row += [f"[{i.ci_low:.3f}, {i.ci_high:.3f}]", _bca(i.bca_low, i.bca_high)]
        rows.append(row)
    r2 = [
        [result.model.label(k), _n(result.r2_of(k)), _n(result.r2_adj[result.position(k)])]
        for k in result.constructs
        if result.model.predecessors(k)
    ]
    effects = [
        [
            f"{result.model.label(e.source)} → {result.model.label(e.target)}",
            _n(e.direct),
            _n(e.indirect),
            _n(e.total),
        ]
        for e in result.effects
    ]
    note = (
        "<p class='note'>有自助法结果时，标准误、t 与 p 值取自自助法（t 分布，自由度 n − 1）；"
        "否则为最小二乘公式值。</p>"
    )
    if boot is not None and boot.notes:
        note += "".join(f"<p class='warn'>{escape(n)}</p>" for n in boot.notes)
    return (
        "<h2>五、结构模型</h2><h3>路径系数</h3>"
        + _grid(head, rows)
        + note
        + "<h3>R²</h3>"
        + _grid(["潜变量", "R²", "调整 R²"], r2)
        + "<h3>直接、间接与总效应</h3>"
        + _grid(["关系", "直接效应", "间接效应", "总效应"], effects)
    )


def _index_section(result: PlsResult) -> str:
    boot = result.bootstrap
    head = ["潜变量", "指数（0–100）", "题项权重（归一化）", "说明"]
    widths = [14, 11, 40, 35]
    if boot is not None:
        head.insert(2, f"{boot.level:.0%} 区间")
        widths = [13, 10, 12, 35, 30]
    rows = []
    for key in result.constructs:
        value = result.index[key]
        weights = "；".join(f"{item} {w:.3f}" for item, w in value.weights.items())
        row = [result.model.label(key), _n(value.value, 1), weights, value.note or ""]
        if boot is not None:
            i = boot.interval("index", key)
            row.insert(2, f"[{i.ci_low:.1f}, {i.ci_high:.1f}]" if value.value is not None else "")
        rows.append(row)
    return (
        "<h2>六、满意度指数</h2>"
        + _table(head, rows, widths=widths)
        + "<p class='note'>指数按 ACSI 惯例：外部权重换算到题项原始量纲后归一化，"
        "指数 = (Σ 权重 × 题项均值 − 量表下限) ÷ (上限 − 下限) × 100。</p>"
    )


def _ipa_section(ipa: IpaResult) -> str:
    rows = [
        [
            p.label,
            _n(p.importance),
            _n(p.performance, 1),
            p.quadrant or "—",
            QUADRANT_ADVICE.get(p.quadrant or "", ""),
        ]
        for p in ipa.points
    ]
    return (
        "<h2>七、重要性–表现矩阵</h2>"
        + ipa_chart(ipa)
        + _table(["驱动因素", "重要性（总效应）", "表现（指数）", "区域", "建议"], rows)
        + f"<p class='note'>分界线：重要性均值 {ipa.importance_cut:.3f}，表现均值 "
        f"{_n(ipa.performance_cut, 1)}。</p>"
    )


def _segments_section(segments: SegmentComparison) -> str:
    table = segments.index_table()
    if not table:
        return ""
    columns = [c for c in table[0] if c not in ("construct", "label")]
    rows = [[row["label"], *(_n(row[c], 1) for c in columns)] for row in table]
    sizes = [
        [
            "样本量",
            *(
                str(segments.sizes.get(c, segments.overall.n if segments.overall else ""))
                for c in columns
            ),
        ]
    ]
    skipped = "".join(f"<li>{escape(k)}：{escape(v)}</li>" for k, v in segments.skipped.items())
    return (
        f"<h2>八、分组比较（{escape(segments.column)}）</h2>"
        + _table(["潜变量", *columns], sizes + rows)
        + (f"<ul class='note'>{skipped}</ul>" if skipped else "")
    )


def _method_section(result: PlsResult) -> str:
    return (
        "<h2>附：方法说明</h2><p class='note'>模型按 GB/T 19038-2009 的顾客满意指数模型结构，"
        "以偏最小二乘路径建模（PLS-PM，Wold/Lohmöller 算法）估计；"
        "收敛规则与 R plspm 一致（外部权重变化平方和 &lt; 1e-6，"
        "最多 100 次迭代）或严格收敛。信度：Cronbach α（标准化题项）、"
        "Dillon–Goldstein ρ（第一主成分）、"
        "ρA（Dijkstra–Henseler）、组合信度 ρc、AVE；区分效度：Fornell–Larcker 准则与 HTMT。"
        "自助法对全部重抽样同时计算，给出百分位区间与 BCa 区间，失败的重抽样计数报告。</p>"
    )


# ---------------------------------------------------------------------------------------------
# Helpers


def _table(
    head: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[float] | None = None
) -> str:
    """A table with fixed column widths (percent): the first column wider by default."""
    if widths is None:
        first = 30 if len(head) > 2 else 40
        rest = (100 - first) / max(len(head) - 1, 1)
        widths = [first] + [rest] * (len(head) - 1)
    cols = "".join(f"<col style='width:{w:.1f}%'>" for w in widths)
    head_html = "".join(f"<th>{escape(str(h))}</th>" for h in head)
    body = []
    for row in rows:
        cells = []
        for value in row:
            css = " class='num'" if isinstance(value, int | float) or _numeric(value) else ""
            cells.append(f"<td{css}>{escape('' if value is None else str(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table><colgroup>{cols}</colgroup><thead><tr>{head_html}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _grid(head: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A narrow table of figures as aligned monospace lines: it reads like a table and costs
    the layout engine one line per row instead of one box per cell."""
    body = [["" if v is None else str(v) for v in row] for row in rows]
    titles = [str(h) for h in head]
    widths = [
        max([_display_width(t)] + [_display_width(r[i]) for r in body])
        for i, t in enumerate(titles)
    ]

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - _display_width(cell))
            out.append(pad + cell if i and (_numeric(cell) or cell == "—") else cell + pad)
        return escape("  ".join(out).rstrip())

    return (
        f"<div class='grid'><pre class='head'>{line(titles)}</pre>"
        f"<pre>{chr(10).join(line(r) for r in body)}</pre></div>"
    )


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _numeric(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        float(value)
    except ValueError:
        return False
    return True


def _n(value: Any, digits: int = 3) -> str:
    if value is None:
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != number:
        return "—"
    if number in (float("inf"), float("-inf")):
        return "∞"
    return f"{number:.{digits}f}"


def _p(value: float) -> str:
    if value != value:
        return "—"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _bca(low: float | None, high: float | None) -> str:
    return "—" if low is None or high is None else f"[{low:.3f}, {high:.3f}]"


def _yes(value: bool | None) -> str:
    return "—" if value is None else ("是" if value else "否")


def _ipa(result: PlsResult) -> IpaResult | None:
    try:
        return importance_performance(result)
    except MeasurementError:
        return None


def _scheme_name(scheme: str) -> str:
    return {"centroid": "质心方案", "factorial": "因子方案", "path": "路径方案"}.get(scheme, scheme)
