"""Inline SVG drawings for the report: the path model and the importance–performance matrix."""

from __future__ import annotations

import math
from html import escape

from manyi.measurement.estimate import PathEstimate, PlsResult
from manyi.measurement.ipa import IpaResult
from manyi.measurement.model import topological_order

_FONT = 'font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif"'
_NODE_W, _NODE_H = 118, 58
_LAYER_GAP, _ROW_GAP = 160, 100


def model_diagram(
    result: PlsResult, intervals: dict[str, tuple[float, float]] | None = None
) -> str:
    """Constructs as ellipses in causal layers, paths as arrows labelled with their estimate.

    ``intervals`` (``"A->B"`` → (low, high)) draws paths whose interval contains zero dashed.
    Arrows between nodes of one row that skip a layer arc around the nodes in between.
    """
    model = result.model
    positions = _layout(result)
    width = max(x for x, _ in positions.values()) + _NODE_W // 2 + 30
    height = max(y for _, y in positions.values()) + _NODE_H // 2 + _ARC_ROOM
    rows = sorted({round(y) for _, y in positions.values()})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'width="{width}" height="{height:.0f}" {_FONT} font-size="12" role="img" '
        'aria-label="路径模型">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#44546a"/></marker></defs>',
    ]
    labels = []
    for path in result.paths:
        start, end = positions[path.source], positions[path.target]
        bend = _bend(start, end, rows)
        line, label = _arrow(start, end, bend, path.estimate, _dashed(path, intervals))
        parts.append(line)
        labels.append(label)
    parts += labels  # on top of every line
    for key in result.constructs:
        x, y = positions[key]
        index = result.index[key].value
        parts.append(
            f'<ellipse cx="{x}" cy="{y}" rx="{_NODE_W / 2}" ry="{_NODE_H / 2}" fill="#eef3fa" '
            'stroke="#2f5597" stroke-width="1.5"/>'
        )
        parts.append(_text(x, y - 6, model.label(key), weight="bold", size=13))
        detail = f"指数 {index:.1f}" if index is not None else "指数 —"
        parts.append(_text(x, y + 12, detail, size=11, fill="#2f5597"))
        if model.predecessors(key):
            r2 = result.r2_of(key)
            parts.append(
                _text(
                    x + _NODE_W / 2 + 2, y + _NODE_H / 2 + 6, f"R²={r2:.3f}", size=10, fill="#555"
                )
            )
    parts.append("</svg>")
    return "".join(parts)


_ARC_ROOM = 74


def _layout(result: PlsResult) -> dict[str, tuple[float, float]]:
    model = result.model
    order = topological_order(model.keys, model.paths)
    depth: dict[str, int] = {}
    for key in order:
        depth[key] = max((depth[p] + 1 for p in model.predecessors(key)), default=0)
    layers: dict[int, list[str]] = {}
    for key in order:
        layers.setdefault(depth[key], []).append(key)
    tallest = max(len(v) for v in layers.values())
    positions: dict[str, tuple[float, float]] = {}
    for level, keys in layers.items():
        x = 30 + _NODE_W / 2 + level * _LAYER_GAP
        # a chain of single nodes zig-zags between two rows
        offset = (level % 2) * _ROW_GAP if tallest == 1 else 0
        top = _ARC_ROOM + _NODE_H / 2 + (tallest - len(keys)) * _ROW_GAP / 2
        for row, key in enumerate(keys):
            positions[key] = (x, top + row * _ROW_GAP + offset)
    return positions


def _bend(start: tuple[float, float], end: tuple[float, float], rows: list[int]) -> float:
    """Vertical bow of an arrow: arcs over (top row) or under (other rows) skipped nodes."""
    span = abs(end[0] - start[0]) / _LAYER_GAP
    if abs(start[1] - end[1]) > 1 or span < 1.5:
        return 0.0
    height = 46 + 14 * (span - 2)
    return -height if round(start[1]) == rows[0] else height


def _dashed(path: PathEstimate, intervals: dict[str, tuple[float, float]] | None) -> bool:
    if intervals is None or f"{path.source}->{path.target}" not in intervals:
        return False
    low, high = intervals[f"{path.source}->{path.target}"]
    return low <= 0 <= high


def _arrow(
    start: tuple[float, float], end: tuple[float, float], bend: float, value: float, dashed: bool
) -> tuple[str, str]:
    """(the arrow, its label) — a quadratic curve when ``bend`` is not zero."""
    control = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 2 * bend)
    aim_start = control if bend else end
    aim_end = control if bend else start
    (x1, y1), (x2, y2) = _edge_point(start, aim_start), _edge_point(end, aim_end)
    width = 1 + min(abs(value), 1) * 3
    colour = "#44546a" if value >= 0 else "#c00000"
    dash = ' stroke-dasharray="5,4"' if dashed else ""
    cx, cy = control
    shape = f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"
    line = (
        f'<path d="{shape}" fill="none" stroke="{colour}" stroke-width="{width:.1f}"{dash} '
        'marker-end="url(#arrow)"/>'
    )
    # long straight arrows carry their label nearer the start, off the short arrows' midpoints
    t = 0.5 if bend or abs(end[0] - start[0]) < 1.5 * _LAYER_GAP else 0.3
    mx = (1 - t) ** 2 * x1 + 2 * t * (1 - t) * cx + t**2 * x2
    my = (1 - t) ** 2 * y1 + 2 * t * (1 - t) * cy + t**2 * y2
    label = (
        f'<rect x="{mx - 21:.1f}" y="{my - 9:.1f}" width="42" height="16" rx="3" fill="white" '
        f'fill-opacity="0.92"/>' + _text(mx, my + 3, f"{value:.3f}", size=11, fill=colour)
    )
    return line, label


def _edge_point(centre: tuple[float, float], towards: tuple[float, float]) -> tuple[float, float]:
    """Where the line from ``centre`` to ``towards`` leaves the node's ellipse."""
    (cx, cy), (tx, ty) = centre, towards
    angle = math.atan2(ty - cy, tx - cx)
    a, b = _NODE_W / 2, _NODE_H / 2
    r = a * b / math.hypot(b * math.cos(angle), a * math.sin(angle))
    return cx + r * math.cos(angle), cy + r * math.sin(angle)


def _text(
    x: float, y: float, text: str, *, size: int = 12, weight: str = "normal", fill: str = "#222"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" {_FONT} font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}">{escape(text)}</text>'
    )


def ipa_chart(ipa: IpaResult, width: int = 560, height: int = 420) -> str:
    """Scatter of drivers: x = importance (total effect), y = performance (index)."""
    points = [p for p in ipa.points if p.performance is not None]
    if not points or ipa.performance_cut is None:
        return "<p>缺少指数，无法绘制重要性–表现矩阵。</p>"
    left, right, top, bottom = 60, 20, 20, 50
    xs = [p.importance for p in points] + [ipa.importance_cut]
    ys = [p.performance for p in points if p.performance is not None] + [ipa.performance_cut]
    x_low, x_high = _padded(min(xs), max(xs))
    y_low, y_high = _padded(min(ys), max(ys))

    def sx(v: float) -> float:
        return left + (v - x_low) / (x_high - x_low) * (width - left - right)

    def sy(v: float) -> float:
        return height - bottom - (v - y_low) / (y_high - y_low) * (height - top - bottom)

    cx, cy = sx(ipa.importance_cut), sy(ipa.performance_cut)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" {_FONT} font-size="12" role="img" aria-label="重要性–表现矩阵">',
        f'<rect x="{left}" y="{top}" width="{width - left - right}" '
        f'height="{height - top - bottom}" fill="#fafafa" stroke="#999"/>',
        f'<line x1="{cx:.1f}" y1="{top}" x2="{cx:.1f}" y2="{height - bottom}" stroke="#999" '
        'stroke-dasharray="4,3"/>',
        f'<line x1="{left}" y1="{cy:.1f}" x2="{width - right}" y2="{cy:.1f}" stroke="#999" '
        'stroke-dasharray="4,3"/>',
    ]
    corners = {
        "优势区": (width - right - 40, top + 18),
        "修补区": (width - right - 40, height - bottom - 8),
        "机会区": (left + 40, height - bottom - 8),
        "维持区": (left + 40, top + 18),
    }
    for name, (x, y) in corners.items():
        parts.append(_text(x, y, name, size=13, weight="bold", fill="#7f7f7f"))
    for point in points:
        x, y = sx(point.importance), sy(point.performance or 0)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#2f5597"/>')
        parts.append(_text(x, y - 10, point.label, size=12))
    parts.append(
        _text((left + width - right) / 2, height - 12, "重要性（对满意度的总效应）", size=12)
    )
    parts.append(
        f'<text x="16" y="{(top + height - bottom) / 2:.1f}" {_FONT} font-size="12" '
        'text-anchor="middle" '
        f'transform="rotate(-90 16 {(top + height - bottom) / 2:.1f})">表现（指数，0–100）</text>'
    )
    for value in (x_low, (x_low + x_high) / 2, x_high):
        parts.append(_text(sx(value), height - bottom + 16, f"{value:.2f}", size=10, fill="#555"))
    for value in (y_low, (y_low + y_high) / 2, y_high):
        parts.append(
            f'<text x="{left - 6}" y="{sy(value) + 4:.1f}" {_FONT} font-size="10" '
            'text-anchor="end" '
            f'fill="#555">{value:.1f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _padded(low: float, high: float) -> tuple[float, float]:
    span = high - low or max(abs(high), 1.0) * 0.1
    return low - span * 0.2, high + span * 0.25
