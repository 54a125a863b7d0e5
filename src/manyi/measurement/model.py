"""Path models as data: constructs (latent variables), their items, Mode A/B and the paths.

A model file is TOML::

    scale = [0, 10]                 # default item bounds
    target = "SAT"                  # optional: the satisfaction construct
    [construct.IMAG]
    label = "品牌形象"               # optional
    items = ["imag1", "imag2"]      # codebook ids or column headers exactly as exported;
                                    # optional when a codebook supplies them
    mode = "A"                      # optional, A by default
    reverse = ["imag2"]             # optional: reverse-worded items (lo + hi − x first)
    [paths]                         # from = [to, ...]
    IMAG = ["SAT"]

The packaged default is the GB/T 19038-2009 China CSI model (six constructs, 11 paths) with no
items: the codebook (or :func:`manyi.measurement.codebook.suggest_codebook`) supplies them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any, Literal

from manyi.measurement.errors import ModelError

Mode = Literal["A", "B"]
Bounds = tuple[float, float]
MODELS_PACKAGE = "manyi.measurement"
SATISFACTION_NAMES = ("sat", "satisfaction", "csi", "顾客满意度", "满意度", "顾客满意")


@dataclass(frozen=True)
class Construct:
    key: str
    label: str
    items: tuple[str, ...] = ()
    mode: Mode = "A"
    scale: Bounds | None = None
    aliases: tuple[str, ...] = ()
    reverse: tuple[str, ...] = ()  # reverse-worded items, as the model file names them

    def names(self) -> tuple[str, ...]:
        """Every name a codebook may use for this construct, folded to lower case."""
        return tuple(dict.fromkeys(n.casefold() for n in (self.key, self.label, *self.aliases)))


@dataclass(frozen=True)
class Model:
    constructs: tuple[Construct, ...]
    paths: tuple[tuple[str, str], ...]
    name: str = "自定义模型"
    scale: Bounds | None = None
    target: str | None = None
    item_scales: Mapping[str, Bounds] = field(default_factory=dict)

    # -- look-ups ---------------------------------------------------------------------------

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.constructs)

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(item for c in self.constructs for item in c.items)

    @property
    def reverse(self) -> tuple[str, ...]:
        """Every item a construct declares reverse-worded."""
        return tuple(item for c in self.constructs for item in c.reverse)

    def construct(self, name: str) -> Construct:
        folded = name.casefold()
        for construct in self.constructs:
            if folded in construct.names():
                return construct
        raise ModelError(f"模型中没有潜变量「{name}」（现有：{'、'.join(self.keys)}）")

    def label(self, key: str) -> str:
        return self.construct(key).label

    def predecessors(self, key: str) -> tuple[str, ...]:
        return tuple(a for a, b in self.paths if b == key)

    def successors(self, key: str) -> tuple[str, ...]:
        return tuple(b for a, b in self.paths if a == key)

    def endogenous(self) -> tuple[str, ...]:
        return tuple(k for k in self.keys if self.predecessors(k))

    def item_bounds(self, item: str) -> Bounds | None:
        """Per-item bounds, else the construct's, else the model's default."""
        if item in self.item_scales:
            return self.item_scales[item]
        for construct in self.constructs:
            if item in construct.items and construct.scale is not None:
                return construct.scale
        return self.scale

    def target_key(self) -> str:
        """The satisfaction construct: ``target`` if given, else one named like 满意度."""
        if self.target is not None:
            return self.construct(self.target).key
        for construct in self.constructs:
            if set(construct.names()) & set(SATISFACTION_NAMES):
                return construct.key
        endogenous = self.endogenous()
        if not endogenous:
            raise ModelError("模型没有内生潜变量，无法确定满意度潜变量；请在模型文件中写 target")
        return max(endogenous, key=lambda k: len(self.predecessors(k)))

    # -- changes ----------------------------------------------------------------------------

    def with_items(
        self, items: Mapping[str, Sequence[str]], bounds: Mapping[str, Bounds] | None = None
    ) -> Model:
        """A copy whose constructs take their items from ``items`` (construct name → columns)."""
        assigned: dict[str, tuple[str, ...]] = {}
        for name, columns in items.items():
            key = self.construct(name).key
            assigned[key] = assigned.get(key, ()) + tuple(columns)
        constructs = tuple(
            replace(c, items=assigned[c.key], reverse=()) if c.key in assigned else c
            for c in self.constructs
        )
        scales = {**self.item_scales, **(bounds or {})}
        return replace(self, constructs=constructs, item_scales=scales)

    def without_items(self, dropped: Iterable[str]) -> Model:
        """A copy without the items ``dropped`` (e.g. items everyone answered alike)."""
        gone = set(dropped)
        constructs = tuple(
            replace(c, items=tuple(i for i in c.items if i not in gone)) for c in self.constructs
        )
        return replace(self, constructs=constructs)

    # -- checks -----------------------------------------------------------------------------

    def check(self) -> None:
        """Raise :class:`ModelError` unless the model can be estimated."""
        if len(self.constructs) < 2:
            raise ModelError("模型至少需要两个潜变量和一条路径")
        for construct in self.constructs:
            if not construct.items:
                raise ModelError(
                    f"潜变量「{construct.label}」（{construct.key}）没有题项：请在码本或模型文件中"
                    "为它指定至少一个题项"
                )
        seen: dict[str, str] = {}
        for construct in self.constructs:
            for item in construct.items:
                if item in seen:
                    raise ModelError(
                        f"题项「{item}」同时属于「{seen[item]}」和「{construct.key}」，"
                        "每个题项只能属于一个潜变量"
                    )
                seen[item] = construct.key
        if not self.paths:
            raise ModelError("模型没有路径：请在 [paths] 中写出潜变量之间的关系")
        for key in self.keys:
            if not self.predecessors(key) and not self.successors(key):
                raise ModelError(
                    f"潜变量「{self.label(key)}」（{key}）没有任何路径与其他潜变量相连"
                )
        topological_order(self.keys, self.paths)


def topological_order(keys: Sequence[str], paths: Iterable[tuple[str, str]]) -> list[str]:
    """Keys so that every path goes forward; a cycle raises :class:`ModelError`."""
    paths = list(paths)
    remaining = list(keys)
    order: list[str] = []
    while remaining:
        free = [k for k in remaining if not any(b == k and a in remaining for a, b in paths)]
        if not free:
            raise ModelError(
                "路径中有环（" + " → ".join(_cycle(remaining, paths)) + "）：PLS 路径模型要求"
                "结构模型无环，请删去其中一条路径"
            )
        order += free
        remaining = [k for k in remaining if k not in free]
    return order


def _cycle(keys: Sequence[str], paths: list[tuple[str, str]]) -> list[str]:
    """One cycle among ``keys`` (every key there has a predecessor among them)."""
    walk = [keys[0]]
    while True:
        previous = next(a for a, b in paths if b == walk[-1] and a in keys)
        if previous in walk:
            cycle = [*walk[walk.index(previous) :], previous]
            return list(reversed(cycle))
        walk.append(previous)


# ---------------------------------------------------------------------------------------------
# Loading


def load_model(source: str | PathLike[str]) -> Model:
    """A model from a TOML file."""
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ModelError(f"模型文件不存在：{path}") from None
    except UnicodeDecodeError:
        raise ModelError(f"模型文件 {path.name} 不是 UTF-8 编码的 TOML 文本") from None
    return parse_model(text, path.name)


def parse_model(text: str, filename: str = "<模型>") -> Model:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"模型文件 {filename} 不是有效的 TOML：{exc}") from None
    return model_from_dict(data, filename)


def model_from_dict(data: Mapping[str, Any], filename: str = "<模型>") -> Model:
    where = f"模型文件 {filename}"
    table = data.get("construct", data.get("constructs"))
    if not isinstance(table, Mapping) or not table:
        raise ModelError(f"{where} 没有 [construct.名称] 表：至少要定义两个潜变量")
    constructs = tuple(_construct(key, value, where) for key, value in table.items())
    model = Model(
        constructs=constructs,
        paths=(),
        name=str(data.get("name", "自定义模型")),
        scale=_bounds(data.get("scale"), f"{where} 的 scale"),
        target=_optional_text(data.get("target"), f"{where} 的 target"),
    )
    paths = _paths(data.get("paths"), model, where)
    model = replace(model, paths=paths)
    if model.target is not None:
        model.construct(model.target)
    topological_order(model.keys, model.paths)
    return model


def _construct(key: str, value: Any, where: str) -> Construct:
    if not isinstance(value, Mapping):
        raise ModelError(f"{where}：[construct.{key}] 应为表（含 items、mode 等）")
    known = {"items", "mode", "label", "scale", "aliases", "reverse"}
    unknown = sorted(set(value) - known)
    if unknown:
        raise ModelError(f"{where}：[construct.{key}] 有未知的键 {'、'.join(unknown)}")
    mode = str(value.get("mode", "A")).upper()
    if mode not in ("A", "B"):
        raise ModelError(
            f"{where}：潜变量 {key} 的 mode 应为 A（反映型）或 B（形成型），实为 {mode}"
        )
    return Construct(
        key=key,
        label=str(value.get("label", key)),
        items=_text_list(value.get("items", []), f"{where}：潜变量 {key} 的 items"),
        mode=mode,  # type: ignore[arg-type]
        scale=_bounds(value.get("scale"), f"{where}：潜变量 {key} 的 scale"),
        aliases=_text_list(value.get("aliases", []), f"{where}：潜变量 {key} 的 aliases"),
        reverse=_reverse(value, f"{where}：潜变量 {key}"),
    )


def _reverse(value: Mapping[str, Any], where: str) -> tuple[str, ...]:
    reverse = value.get("reverse", [])
    if reverse == []:
        return ()
    names = _text_list(reverse, f"{where} 的 reverse")
    items = value.get("items")
    if isinstance(items, list):
        stray = [n for n in names if n not in items]
        if stray:
            raise ModelError(f"{where} 的 reverse 中「{'、'.join(stray)}」不在它的 items 中")
    return names


def _paths(value: Any, model: Model, where: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ModelError(f'{where}：[paths] 应写成 来源 = ["目标", ...]')
    paths: list[tuple[str, str]] = []
    for source, targets in value.items():
        origin = model.construct(source).key
        for target in _text_list(targets, f"{where}：路径 {source}"):
            end = model.construct(target).key
            if origin == end:
                raise ModelError(f"{where}：潜变量 {origin} 指向自己，路径须连接两个不同的潜变量")
            if (origin, end) not in paths:
                paths.append((origin, end))
    return tuple(paths)


def _text_list(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ModelError(f"{what} 应为非空文字的列表")
    return tuple(v.strip() for v in value)


def _optional_text(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ModelError(f"{what} 应为潜变量名称")
    return value.strip()


def _bounds(value: Any, what: str) -> Bounds | None:
    if value is None:
        return None
    ok = isinstance(value, list) and len(value) == 2
    ok = ok and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    if not ok or value[0] >= value[1]:
        raise ModelError(f"{what} 应为 [下限, 上限]，且下限小于上限，例如 [1, 10]")
    return float(value[0]), float(value[1])


def packaged_model(name: str = "china_csi") -> Model:
    """A model shipped with the package: ``china_csi`` (default) or ``ecsi``."""
    entry = resources.files(MODELS_PACKAGE).joinpath("models").joinpath(f"{name}.toml")
    if not entry.is_file():
        raise ModelError(f"没有内置模型 {name}（可选：china_csi、ecsi）")
    return parse_model(entry.read_text(encoding="utf-8"), f"{name}.toml")


def default_model() -> Model:
    """The GB/T 19038-2009 China CSI model: six constructs and 11 paths, items unbound."""
    return packaged_model("china_csi")
