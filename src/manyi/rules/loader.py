"""Load a campaign scheme file and turn every problem in it into one readable Chinese message."""

from __future__ import annotations

import os
import re
import tomllib
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from manyi.rules.model import RULE_KINDS, Scheme, SchemeProblems, format_path

SCHEME_PACKAGE = "manyi.rules"
SCHEME_DIR = "schemes"
_YEAR_FILE = re.compile(r"^(\d{4})\.toml$")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


class SchemeError(Exception):
    """A scheme file that cannot be used; the message names the file, the key path and why."""

    def __init__(self, filename: str, problems: list[str]):
        self.filename = filename
        self.problems = problems
        if len(problems) == 1:
            message = f"评价方案文件 {filename} 有误：{problems[0]}"
        else:
            listed = "\n".join(f"  - {p}" for p in problems)
            message = f"评价方案文件 {filename} 有 {len(problems)} 处错误：\n{listed}"
        super().__init__(message)


# Folders (os.pathsep-separated) with more scheme files, e.g. next year's: 2026.toml.
SCHEME_DIR_VARIABLE = "MANYI_SCHEME_DIR"


def _packaged_dir() -> Traversable:
    return resources.files(SCHEME_PACKAGE).joinpath(SCHEME_DIR)


def _year_files() -> dict[int, Traversable | Path]:
    """Every scheme file by its year; a file in ``MANYI_SCHEME_DIR`` overrides the packaged."""
    return _year_files_in(os.environ.get(SCHEME_DIR_VARIABLE, ""))


@lru_cache(maxsize=8)
def _year_files_in(extra: str) -> dict[int, Traversable | Path]:
    found: dict[int, Traversable | Path] = {}
    folders: list[Traversable | Path] = [_packaged_dir()]
    folders += [Path(part) for part in extra.split(os.pathsep) if part.strip()]
    for folder in folders:
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            match = _YEAR_FILE.match(entry.name)
            if match and entry.is_file():
                found[int(match.group(1))] = entry
    return found


def available_years() -> list[int]:
    """Campaign years that have a scheme file, oldest first."""
    return sorted(_year_files())


def newest_year() -> int:
    """The latest year with a scheme file (the command line's default when none is named)."""
    years = available_years()
    if not years:
        raise SchemeError(SCHEME_DIR, ["没有任何评价方案文件"])
    return years[-1]


def load_scheme(year: int) -> Scheme:
    """The scheme of a campaign year, read and validated once per process.

    Files are found when first asked for; a process started before a new file was added to
    ``MANYI_SCHEME_DIR`` sees it after :func:`clear_scheme_cache` (or a restart).
    """
    return _load_year(int(year), os.environ.get(SCHEME_DIR_VARIABLE, ""))


@lru_cache(maxsize=16)
def _load_year(year: int, extra: str) -> Scheme:
    entry = _year_files_in(extra).get(year)
    if entry is None:
        known = "、".join(str(y) for y in sorted(_year_files_in(extra))) or "无"
        raise SchemeError(f"{year}.toml", [f"没有 {year} 年的评价方案（现有年度：{known}）"])
    text = entry.read_text(encoding="utf-8")
    name = str(entry) if isinstance(entry, Path) else f"{SCHEME_PACKAGE}/{SCHEME_DIR}/{entry.name}"
    return parse_scheme(text, name)


def clear_scheme_cache() -> None:
    _year_files_in.cache_clear()
    _load_year.cache_clear()


def load_scheme_file(path: str | PathLike[str]) -> Scheme:
    """A scheme from any file, e.g. a draft for next year being edited."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemeError(str(path), ["文件不存在"]) from None
    except UnicodeDecodeError as exc:
        raise SchemeError(str(path), [f"文件不是 UTF-8 编码（第 {exc.start} 字节）"]) from None
    return parse_scheme(text, str(path))


def parse_scheme(text: str, filename: str = "<scheme>") -> Scheme:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemeError(filename, [_describe_toml_error(exc)]) from None
    except RecursionError:
        raise SchemeError(filename, ["数组或表嵌套层次过深，无法读取"]) from None
    try:
        return Scheme.model_validate(data)
    except ValidationError as exc:
        raise SchemeError(filename, _describe_validation_error(exc, data)) from None


def _describe_toml_error(exc: tomllib.TOMLDecodeError) -> str:
    message = str(exc)
    position = _TOML_POSITION.search(message)
    if position:
        line, column = position.groups()
        return f"第 {line} 行第 {column} 列：TOML 语法错误（{message[: position.start()]}）"
    return f"TOML 语法错误（{message}）"


def _describe_validation_error(exc: ValidationError, data: Any) -> list[str]:
    problems: list[str] = []
    errors = exc.errors()
    for error in errors:
        if _is_consequence(error, errors):
            continue
        loc = _without_union_tags(error["loc"])
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc += ("kind",)
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, SchemeProblems):
            found = [(loc + path, text) for path, text in cause.problems]
        else:
            found = [(loc, _describe_error(error))]
        problems += [f"{_path_text(path)}{_landmark(data, path)}：{text}" for path, text in found]
    return problems


def _is_consequence(error: Any, errors: list[Any]) -> bool:
    """A list reported "too short" only because one of its items was invalid."""
    loc = error["loc"]
    return error["type"] == "too_short" and any(
        other["loc"][: len(loc)] == loc and len(other["loc"]) > len(loc) for other in errors
    )


def _landmark(data: Any, loc: tuple[Any, ...]) -> str:
    """Name the entry an index points into (``materials[3]`` is hard to count to in a file)."""
    label = ""
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and isinstance(data, dict):
            name = data.get("key") or data.get("category") or data.get("title")
            label = f"（{name}）" if isinstance(name, str) else label
    return label


def _without_union_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """pydantic puts the rule kind into the location (rules[0].max_items.value); drop it."""
    kept: list[Any] = []
    for part in loc:
        if part in RULE_KINDS and kept and isinstance(kept[-1], int):
            continue
        kept.append(part)
    return tuple(kept)


def _path_text(loc: tuple[Any, ...]) -> str:
    return format_path(loc) or "（文件顶层）"


_TYPE_NAMES = {
    "string": "字符串",
    "int": "整数",
    "float": "数字",
    "decimal": "数字",
    "bool": "true 或 false",
    "list": "数组（[...]）",
    "tuple": "数组（[...]）",
    "dict": "表（table）",
    "model": "表（table）",
    "date": "日期（如 2025-01-01）",
}


def _describe_error(error: Any) -> str:
    kind: str = error["type"]
    ctx = error.get("ctx") or {}
    described = _describe_by_kind(kind, ctx)
    if described is None:
        type_name = next((v for k, v in _TYPE_NAMES.items() if kind.startswith(k + "_")), None)
        described = f"类型错误，应为{type_name}" if type_name else f"取值无效（{error['msg']}）"
    if kind not in ("missing", "extra_forbidden") and _is_short(error.get("input")):
        described += f"，实际为 {error['input']!r}"
    return described


def _describe_by_kind(kind: str, ctx: dict[str, Any]) -> str | None:
    match kind:
        case "missing":
            return "缺少必填的键"
        case "extra_forbidden":
            return "未知的键（方案中没有这一项，请检查拼写）"
        case "literal_error":
            return f"取值无效，可选值：{str(ctx.get('expected')).replace(' or ', ', ')}"
        case "union_tag_invalid":
            return f"规则类型 kind 无效，可选：{ctx.get('expected_tags')}"
        case "union_tag_not_found":
            return "缺少规则类型 kind"
        case "string_pattern_mismatch":
            return f"格式不符，应匹配 {ctx.get('pattern')}（键名用英文小写字母、数字和下划线）"
        case "string_too_short":
            return "不能为空字符串"
        case "too_short":
            return f"至少需要 {ctx.get('min_length')} 项"
        case "too_long":
            return f"最多 {ctx.get('max_length')} 项"
        case "greater_than":
            return f"应大于 {ctx.get('gt')}"
        case "greater_than_equal":
            return f"应不小于 {ctx.get('ge')}"
        case "less_than_equal":
            return f"应不大于 {ctx.get('le')}"
        case "value_error" | "assertion_error":
            return f"取值无效（{ctx.get('error')}）"
    return None


def _is_short(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and len(repr(value)) <= 60
