"""The printable documents of an application: cover, contents, commitment letters, 申请表.

All labels, texts, choices and their order come from the year's scheme; the functions take
plain values (dicts, dates, strings), never Django models, and return PDF bytes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from manyi.documents.render import chinese_date, esc, layout, render, tick, write_pdf
from manyi.rules.model import FormField, Scheme

if TYPE_CHECKING:
    from weasyprint import Document

CONTENTS_HEADING = "目　录"
ATTACHMENT_LIST_TITLE = "附件清单"
ATTACHMENT_LIST_INTRO = (
    "以下材料不是 PDF 或图片，未装订进本文件，随申请以原文件提交；"
    "可用 SHA-256 值核对收到的文件与申请时提交的文件一致。"
)
_DATE_LINE = re.compile(r"^[\s　]*年[\s　]*月[\s　]*日[\s　]*$")


@dataclass(frozen=True)
class ContentsEntry:
    title: str
    page: int
    level: int = 1


@dataclass(frozen=True)
class AttachmentRow:
    part: str
    title: str
    filename: str
    size: int
    sha256: str


# --- cover 封面 ------------------------------------------------------------------------------


def render_cover(scheme: Scheme, *, category: str, level: str, values: Mapping[str, Any]) -> bytes:
    """The cover laid out like the official one, the chosen category and level ticked.

    ``values`` maps the cover's field keys (from ``scheme.cover.fields``) to values, e.g. the
    enterprise name, the promoting body and the fill date (a :class:`datetime.date`).
    """
    _require_eligible(scheme, category, level)
    blocks = [_cover_field(scheme, f, category, level, values) for f in scheme.cover.fields]
    return render(
        "cover.html",
        title=scheme.cover.title,
        attachment=esc(scheme.cover.attachment),
        body="\n".join(blocks),
    )


def _require_eligible(scheme: Scheme, category: str, level: str) -> None:
    """Unknown keys raise KeyError; a level the category may not apply for, ValueError."""
    category_name, level_name = scheme.category(category).name, scheme.level(level).name
    if not scheme.is_eligible(category, level):
        raise ValueError(f"{category_name}不能申请{level_name}")


def _cover_field(
    scheme: Scheme, field: FormField, category: str, level: str, values: Mapping[str, Any]
) -> str:
    label = esc(field.label)
    if field.choices_from == "categories":
        ticks = " ".join(tick(c.key == category, c.name) for c in scheme.categories)
        return _cover_row(label, ticks)
    if field.choices_from == "levels":
        ticks = " ".join(tick(lv.key == level, lv.cover_name) for lv in scheme.levels)
        return _cover_row(label, ticks)
    value = values.get(field.key)
    if field.type == "date":
        return f'<p class="cover-date">{label}　{esc(chinese_date(_as_date(value)))}</p>'
    seal = "（盖章）" if field.seal else ""
    return f'<p class="cover-line">{label}：<span class="fill">{esc(value or "")}</span>{seal}</p>'


def _cover_row(label: str, ticks: str) -> str:
    return f'<table class="cover-table"><tr><th>{label}</th><td>{ticks}</td></tr></table>'


# --- contents 目录 and attachment list 附件清单 ------------------------------------------------


def render_contents(entries: Sequence[ContentsEntry]) -> bytes:
    """The contents page: one line per entry with a dotted leader and its page number."""
    return write_pdf([layout_contents(entries)])


def layout_contents(entries: Sequence[ContentsEntry]) -> Document:
    items = "\n".join(
        f'<li class="level{e.level}"><span class="entry" data-page="{e.page}">'
        f"{esc(e.title)}</span></li>"
        for e in entries
    )
    return layout("contents.html", title=CONTENTS_HEADING, heading=CONTENTS_HEADING, entries=items)


def render_attachment_list(rows: Sequence[AttachmentRow]) -> bytes:
    """The list of files delivered beside the package (name, size, SHA-256)."""
    return write_pdf([layout_attachment_list(rows)])


def layout_attachment_list(rows: Sequence[AttachmentRow]) -> Document:
    from manyi.files.checks import size_text

    body = "\n".join(
        f'<tr><td class="num">{i}</td><td>{esc(r.part)}</td>'
        f"<td>{esc(r.title)}<br>{esc(r.filename)}</td>"
        f'<td class="num">{esc(size_text(r.size))}</td><td class="hash">{esc(r.sha256)}</td></tr>'
        for i, r in enumerate(rows, start=1)
    )
    return layout(
        "attachments.html", title=ATTACHMENT_LIST_TITLE, intro=esc(ATTACHMENT_LIST_INTRO), rows=body
    )


# --- commitment letters 承诺书 ----------------------------------------------------------------


def render_commitment_letter(
    scheme: Scheme, key: str, *, organisation_name: str, signed_on: date | None = None
) -> bytes:
    """A commitment letter (附件1-1 / 1-2) with the organisation's name, ready to sign and seal.

    The date stays blank for writing by hand unless ``signed_on`` is given.
    """
    letter = scheme.commitment_letter(key)
    paragraphs = [letter.preamble, *(f"{c.number}{c.text}" for c in letter.clauses)]
    if letter.closing:
        paragraphs.append(letter.closing)
    body = "\n".join(f'<p class="indent">{esc(p)}</p>' for p in paragraphs)
    signature = "\n".join(
        f"<tr><td>{_signature_line(line, index, organisation_name, signed_on)}</td></tr>"
        for index, line in enumerate(letter.signature_lines)
    )
    return render(
        "letter.html",
        title=letter.title,
        attachment=esc(letter.attachment),
        body=body,
        signature=signature,
    )


def _signature_line(line: str, index: int, organisation: str, signed_on: date | None) -> str:
    if _DATE_LINE.match(line):
        return f'<div class="date">{esc(chinese_date(signed_on))}</div>'
    label, colon, rest = line.partition("：")
    if not colon:
        return esc(line)
    if index == 0 and organisation:
        # "承诺企业（盖章）：" / "单位名称：（盖章）": the name goes right after the colon.
        return f'{esc(label)}：<span class="org">{esc(organisation)}</span>{esc(rest)}'
    return f'{esc(label)}：<span class="blank">{esc(rest) or "&#160;"}</span>'


# --- application form 申请表 -------------------------------------------------------------------


def render_application_form(
    scheme: Scheme,
    *,
    category: str,
    level: str,
    values: Mapping[str, Any],
    organisation: Mapping[str, Any] | None = None,
) -> bytes:
    """The 申请表 as a bordered table like the official form, filled with ``values``.

    ``values`` maps field keys (``scheme.form_fields(category)``) to plain values: strings,
    numbers, dates, lists for 限N项 fields, dicts of part key → value for pairs, an
    application-kind key for 初评/复评. ``organisation`` holds the facts the system fills
    (name, credit code, 自动抓取 fields) under the same keys; ``values`` win over it.
    """
    _require_eligible(scheme, category, level)
    form = scheme.form
    merged = {**(organisation or {}), **values}
    common = _table_rows(scheme, form.common, merged, category, level, first_wide=True)
    section = form.section(category)
    section_rows = _table_rows(scheme, section.fields, merged, category, level)
    head = f'<tr><td colspan="5" class="prompt">{esc(form.section_prompt)}</td></tr>'
    title_cell = f'<th class="section" rowspan="{len(section_rows)}">{esc(section.title)}</th>'
    section_rows[0] = section_rows[0].replace("<tr>", f"<tr>{title_cell}", 1)
    return render(
        "form.html",
        title=form.title,
        attachment=esc(form.attachment),
        continuation=esc(form.continuation_title),
        common=_colgroup(4) + "\n".join(common),
        section=_colgroup(5) + head + "\n".join(section_rows),
    )


def _colgroup(columns: int) -> str:
    widths = ["18%", "32%", "18%", "32%"] if columns == 4 else ["7%", "17%", "26%", "17%", "33%"]
    return "<colgroup>" + "".join(f'<col style="width:{w}">' for w in widths) + "</colgroup>"


def _is_wide(field: FormField) -> bool:
    """Fields that take a whole row on the official form: the category-and-level ticks, the
    project name with its per-category note, and long lists of ticks."""
    ticks = field.type == "choice" and len(field.choices) > 3
    notes = bool(field.printed_note or field.footnote)
    return field.type == "category_level" or ticks or notes


def _pack(fields: Sequence[FormField], *, first_wide: bool) -> list[list[FormField]]:
    """Two label/value pairs per row, in scheme order; wide fields and a lone last field span."""
    rows: list[list[FormField]] = []
    pending: FormField | None = None
    for index, field in enumerate(fields):
        if _is_wide(field) or (first_wide and index == 0):
            if pending is not None:
                rows.append([pending])
                pending = None
            rows.append([field])
        elif pending is None:
            pending = field
        else:
            rows.append([pending, field])
            pending = None
    if pending is not None:
        rows.append([pending])
    return rows


def _table_rows(
    scheme: Scheme,
    fields: Sequence[FormField],
    values: Mapping[str, Any],
    category: str,
    level: str,
    *,
    first_wide: bool = False,
) -> list[str]:
    rows = []
    for row in _pack(fields, first_wide=first_wide):
        cells = [_cell(scheme, f, values, category, level) for f in row]
        if len(row) == 1:
            cells[0] = cells[0].replace("<td>", '<td colspan="3">', 1)
        rows.append("<tr>" + "".join(cells) + "</tr>")
        rows += [
            f'<tr><td colspan="4" class="footnote">{esc(f.footnote)}</td></tr>'
            for f in row
            if f.footnote
        ]
    return rows


def _cell(
    scheme: Scheme, field: FormField, values: Mapping[str, Any], category: str, level: str
) -> str:
    value = field_value_html(scheme, field, values, category, level)
    return f"<th>{esc(field.label)}</th><td>{value}</td>"


def field_value_html(
    scheme: Scheme, field: FormField, values: Mapping[str, Any], category: str, level: str
) -> str:
    """One field's value as it is printed on the form (ticks, lists, units, dates)."""
    value = values.get(field.key)
    if field.type == "category_level":
        return _category_level_html(scheme, value, category, level)
    if field.type == "choice":
        return _choice_html(scheme, field, value, category, level)
    if _empty(value):
        note = field.printed_note
        return f'<span class="note">{esc(note)}</span>' if note else ""
    if field.type == "date":
        parsed = _as_date(value)
        return esc(chinese_date(parsed)) if parsed else esc(value)
    if field.type in ("integer", "decimal"):
        shown = field.unit and f"（{field.unit}）" not in field.label  # 工程造价（万元）
        unit = field.unit if shown else ""
        return esc(f"{value} {unit}".strip())
    if field.type == "list":
        return _lines(_as_list(value), numbered=True)
    if field.type == "pair":
        parts = value if isinstance(value, Mapping) else {}
        lines = [f"{p.label}：{'、'.join(_as_list(parts.get(p.key)))}" for p in field.parts]
        return _lines(lines)
    return esc(value)


def _category_level_html(scheme: Scheme, value: Any, category: str, level: str) -> str:
    chosen = _category_level_value(value) or (category, level)
    lines = []
    for item in scheme.categories:
        ticks = " ".join(
            tick((item.key, lv.key) == chosen, lv.name) for lv in scheme.allowed_levels(item.key)
        )
        lines.append(f"<p>{esc(item.name)}：{ticks}</p>")
    return f'<div class="lines">{"".join(lines)}</div>'


def _category_level_value(value: Any) -> tuple[str, str] | None:
    if isinstance(value, Mapping):
        return str(value.get("category")), str(value.get("level"))
    if isinstance(value, list | tuple) and len(value) == 2:
        return str(value[0]), str(value[1])
    return None


def _choice_html(scheme: Scheme, field: FormField, value: Any, category: str, level: str) -> str:
    options: list[tuple[str, str]]  # (key, printed name)
    if field.choices:
        options = [(c, c) for c in field.choices]
    elif field.choices_from == "application_kinds":
        options = [(k.key, k.name) for k in scheme.application_kinds]
    elif field.choices_from == "categories":
        options = [(c.key, c.name) for c in scheme.categories]
        value = value or category
    elif field.choices_from == "levels":
        options = [(lv.key, lv.name) for lv in scheme.levels]
        value = value or level
    else:  # promoting_bodies: a list kept outside the scheme; print the name
        return esc(value or "")
    return " ".join(tick(str(value) in (key, name), name) for key, name in options)


def _lines(items: Sequence[str], *, numbered: bool = False) -> str:
    shown = [f"{i}. {item}" if numbered else item for i, item in enumerate(items, start=1)]
    return '<div class="lines">' + "".join(f"<p>{esc(s)}</p>" for s in shown) + "</div>"


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [str(v) for v in value if v is not None and str(v).strip()]


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping):
        return all(_empty(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_empty(v) for v in value)
    return False
