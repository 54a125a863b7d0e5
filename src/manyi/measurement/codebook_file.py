"""``manyi survey codebook``: write the codebook an export implies, as a TOML file to check.

Every item gets its id, its column header, its construct (guessed from the wording), its label
set or scale; a comment says what was guessed and why. Unused columns are listed at the end
with the reason. The file is complete: ``survey check`` and ``csi estimate`` read it unchanged.
"""

from __future__ import annotations

from manyi.measurement.codebook import Codebook
from manyi.measurement.exports import ColumnGuess, Layout
from manyi.measurement.labels import BUILT_IN_BY_NAME
from manyi.measurement.model import Model, default_model

_ROLE_ORDER = ("id", "date", "name", "contact", "segment")
_COMMENT_COLUMN = 44


def codebook_toml(layout: Layout, filename: str, model: Model | None = None) -> str:
    """The codebook of ``layout`` (read from ``filename``) as commented TOML."""
    model = model or default_model()
    lines = _preamble(layout, filename, model)
    lines += _respondent(layout)
    for column in layout.items():
        lines += _item(column, model)
    lines += _unused(layout)
    return "\n".join(lines).rstrip() + "\n"


def _preamble(layout: Layout, filename: str, model: Model) -> list[str]:
    constructs = "、".join(c.label for c in model.constructs)
    lines = [
        f"# 码本：由 manyi survey codebook 根据「{filename}」生成（{layout.describe()}）。",
        "# 带「猜测」的注释是系统按列名和答案推断的，请核对；本文件不改也能直接使用：",
        f"#   manyi survey check {_shell_quote(filename)} --codebook 本文件",
        f"# 题项可归入的潜变量（{model.name}）：{constructs}。",
        "# 未写 construct 的题项只做数据校验，不参与估计；反向表述的题请写 reverse = true。",
        "",
    ]
    if layout.service:
        lines.append(f"source = {_string(layout.service)}")
    if layout.missing:
        codes = ", ".join(f"{v:g}" for v in layout.missing)
        lines.append(
            _commented(
                f"missing = [{codes}]",
                f"猜测：{layout.service}的数字导出用 −3 表示跳过的题、−2 表示未显示的题",
            )
        )
    if lines[-1]:
        lines.append("")
    return lines


def _respondent(layout: Layout) -> list[str]:
    roles = {c.role: c for c in layout.columns if c.kind == "role" and c.role}
    if not roles:
        return [
            "# [respondent] 未找到编号、日期等被访者信息列；有的话请写出，如：",
            '# id = "问卷编号"',
            '# date = "访问日期"',
            "",
        ]
    lines = ["[respondent]"]
    for role in _ROLE_ORDER:
        if role in roles:
            column = roles[role]
            lines.append(_commented(f"{role} = {_string(column.header)}", column.why))
    return [*lines, ""]


def _item(column: ColumnGuess, model: Model) -> list[str]:
    lines = [f"[item.{_key(column.key)}]", f"column = {_string(column.header)}"]
    if column.wording and column.wording != column.header:
        lines.append(f"label = {_string(column.wording)}")
    guesses = {g.split("：", 1)[0]: g for g in column.guesses}
    if column.construct:
        reason = guesses.get("潜变量", "按列名判断")
        reason = reason.split("：", 1)[-1]
        label = model.label(column.construct)
        lines.append(_commented(f"construct = {_string(label)}", f"猜测：{reason}"))
    else:
        lines.append('# construct = ""  # 未能从题目判断潜变量：请填写，或不写（只做数据校验）')
    if column.labels:
        note = next((g for g in column.guesses if g.startswith("答案")), "")
        title = BUILT_IN_BY_NAME[column.labels].title if column.labels in BUILT_IN_BY_NAME else ""
        lines.append(_commented(f"labels = {_string(column.labels)}", f"猜测：{note or title}"))
    elif column.bounds is not None:
        low, high = column.bounds
        note = next((g for g in column.guesses if g.startswith("量表")), "按答案范围推断")
        lines.append(_commented(f"scale = [{low:g}, {high:g}]", f"猜测：{note}"))
    else:
        lines.append("# scale = [1, 5]  # 未能推断量表范围：请填写")
    return [*lines, ""]


def _unused(layout: Layout) -> list[str]:
    unused = layout.unused()
    roles = [c for c in layout.columns if c.kind == "role"]
    if not unused:
        return ["# 数据中的每一列都已用上。"] if roles or layout.items() else []
    lines = ["# 未使用的列及原因（要使用时，把它写成上面的 [item.编号] 或 [respondent] 的一项）："]
    lines += [f"#   {header} —— {why}" for header, why in unused]
    return lines


def _commented(line: str, comment: str) -> str:
    if not comment:
        return line
    pad = max(2, _COMMENT_COLUMN - _width(line))
    return f"{line}{' ' * pad}# {comment}"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _string(text: str) -> str:
    """A TOML basic string."""
    escaped = []
    for ch in text:
        if ch == "\\":
            escaped.append("\\\\")
        elif ch == '"':
            escaped.append('\\"')
        elif ch == "\n":
            escaped.append("\\n")
        elif ch == "\t":
            escaped.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            escaped.append(f"\\u{ord(ch):04x}")
        else:
            escaped.append(ch)
    return '"' + "".join(escaped) + '"'


def _key(key: str) -> str:
    if key and all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in key):
        return key
    return _string(key)


def _shell_quote(name: str) -> str:
    return name if all(ch.isalnum() or ch in "._-" for ch in name) else f'"{name}"'


def dump_codebook(codebook: Codebook, title: str = "") -> str:
    """A codebook as plain TOML (what the web's question mapping saves)."""
    lines = [f"# {title}", ""] if title else []
    if codebook.source:
        lines.append(f"source = {_string(codebook.source)}")
    if codebook.scale is not None:
        lines.append(f"scale = [{codebook.scale[0]:g}, {codebook.scale[1]:g}]")
    if codebook.missing:
        lines.append("missing = [" + ", ".join(f"{v:g}" for v in codebook.missing) + "]")
    if lines and lines[-1]:
        lines.append("")
    if codebook.roles:
        lines.append("[respondent]")
        lines += [f"{role} = {_string(column)}" for role, column in codebook.roles.items()]
        lines.append("")
    for name, label_set in codebook.label_sets.items():
        lines.append(f"[labels.{_key(name)}]")
        lines += [f"{_string(text)} = {code:g}" for text, code in label_set.codes]
        lines.append("")
    for item in codebook.items:
        lines.append(f"[item.{_key(item.key)}]")
        lines.append(f"column = {_string(item.column)}")
        if item.label and item.label != item.column:
            lines.append(f"label = {_string(item.label)}")
        if item.construct:
            lines.append(f"construct = {_string(item.construct)}")
        if item.labels:
            lines.append(f"labels = {_string(item.labels)}")
        if item.bounds is not None:
            lines.append(f"scale = [{item.bounds[0]:g}, {item.bounds[1]:g}]")
        if item.reverse:
            lines.append("reverse = true")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
