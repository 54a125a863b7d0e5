"""Effective formatting of a DOCX paragraph or run, resolved the way Word shows it.

python-docx reads only what is written on an element; an inherited value reads as ``None``.
Word resolves each property separately through a hierarchy, lowest first:

    docDefaults → table style → numbering level → paragraph style (and its basedOn chain)
    → character style (and its chain) → direct formatting

Bold and italic are toggles: inside one style chain the most derived value wins, but a bold
table style, paragraph style and character style each *flip* the value (a bold heading style
plus the bold "Strong" character style is not bold); direct formatting sets it absolutely.
The East Asian font comes from ``w:eastAsia`` or, through ``w:eastAsiaTheme``, from the
theme's ``<a:ea>`` font, or when that is empty the theme font of the document's East Asian
script (``<a:font script="Hans">`` for Simplified Chinese).

Every resolved value carries its origin (样式「正文」, 直接格式 …) so a finding can say where
to fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"

DIRECT = "直接格式"
DOC_DEFAULTS = "文档默认格式"
NUMBERING = "编号格式"
THEME_SUFFIX = "（主题字体）"

# Word's Chinese names for built-in styles, for messages.
BUILTIN_STYLE_NAMES = {
    "normal": "正文",
    "title": "标题",
    "subtitle": "副标题",
    "heading 1": "标题 1",
    "heading 2": "标题 2",
    "heading 3": "标题 3",
    "heading 4": "标题 4",
    "heading 5": "标题 5",
    "default paragraph font": "默认段落字体",
    "footer": "页脚",
    "header": "页眉",
    "list paragraph": "列表段落",
    "body text": "正文文本",
    "strong": "要点",
    "emphasis": "强调",
    "normal table": "普通表格",
    "table grid": "网格型",
}

# Script of the theme's per-script fonts for each East Asian language tag.
_SCRIPTS = {"zh-cn": "Hans", "zh-sg": "Hans", "zh-tw": "Hant", "zh-hk": "Hant", "zh-mo": "Hant"}
_SCRIPTS.update({"ja-jp": "Jpan", "ko-kr": "Hang"})
_FALSE = frozenset({"0", "false", "off", "none"})


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def wval(element: Any, name: str = "val") -> str | None:
    return None if element is None else element.get(w(name))


def local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def on_off(element: Any) -> bool:
    """``<w:b/>`` is on; ``<w:b w:val="0"/>`` (or false/off) is off."""
    value = wval(element)
    return value is None or value.lower() not in _FALSE


@dataclass(frozen=True)
class Sourced:
    """A resolved property value and where it came from (for the fix hint)."""

    value: Any
    origin: str


Props = dict[str, Any]
Layer = tuple[str, Props]  # (origin, properties set at that level)


# ---------------------------------------------------------------------------------------------
# Reading property elements into flat dictionaries


def paragraph_props(ppr: Any) -> Props:
    """The paragraph properties written on one ``w:pPr`` (a style's or a paragraph's)."""
    props: Props = {}
    if ppr is None:
        return props
    for child in ppr:
        tag = local(child)
        if tag == "jc":
            props["jc"] = wval(child)
        elif tag == "spacing":
            line = wval(child, "line")
            if line is not None:
                props["line"] = (wval(child, "lineRule") or "auto", _int(line))
        elif tag == "ind":
            _indent_props(child, props)
        elif tag == "numPr":
            num_id, ilvl = child.find(w("numId")), child.find(w("ilvl"))
            if num_id is not None:
                props["numId"] = wval(num_id)
            if ilvl is not None:
                props["ilvl"] = _int(wval(ilvl))
        elif tag == "outlineLvl":
            props["outlineLvl"] = _int(wval(child))
        elif tag == "tabs":
            props["tabs"] = tuple(
                (wval(tab), _int(wval(tab, "pos"))) for tab in child if local(tab) == "tab"
            )
        elif tag == "framePr":
            props["frame_x_align"] = wval(child, "xAlign")
    return props


def _indent_props(ind: Any, props: Props) -> None:
    # firstLine and hanging exclude each other, as do their *Chars forms; Word prefers the
    # Chars form when it is non-zero.
    first, hanging = wval(ind, "firstLine"), wval(ind, "hanging")
    if first is not None or hanging is not None:
        props["first_twips"] = -_int(hanging) if hanging is not None else _int(first)
    first_chars, hanging_chars = wval(ind, "firstLineChars"), wval(ind, "hangingChars")
    if first_chars is not None or hanging_chars is not None:
        props["first_chars"] = (
            -_int(hanging_chars) if hanging_chars is not None else _int(first_chars)
        )


def run_props(rpr: Any) -> Props:
    """The character properties written on one ``w:rPr``."""
    props: Props = {}
    if rpr is None:
        return props
    for child in rpr:
        tag = local(child)
        if tag == "rFonts":
            for attr in ("eastAsia", "ascii", "hAnsi"):
                theme = child.get(w(attr + "Theme"))
                name = child.get(w(attr))
                if theme is not None:
                    props["font." + attr] = ("theme", theme)
                elif name is not None:
                    props["font." + attr] = ("name", name)
        elif tag in ("b", "i", "vanish", "caps"):
            props[tag] = on_off(child)
        elif tag == "sz":
            props["sz"] = _int(wval(child))
    return props


def _int(value: str | None) -> int:
    return to_int(value, 0)


def to_int(value: str | None, default: int) -> int:
    """An attribute's integer value; ``default`` when it is missing or not a finite number."""
    if value is None:
        return default
    try:
        return int(float(value))
    except (ValueError, OverflowError):
        return default


# ---------------------------------------------------------------------------------------------
# Theme fonts


@dataclass(frozen=True)
class ThemeFonts:
    major: dict[str, str] = field(default_factory=dict)  # "latin" / "ea" / script → typeface
    minor: dict[str, str] = field(default_factory=dict)
    east_asian_script: str = "Hans"

    def resolve(self, theme_font: str) -> str | None:
        """``minorEastAsia`` → the minor East Asian typeface, ``majorHAnsi`` → major Latin."""
        fonts = self.major if theme_font.startswith("major") else self.minor
        if theme_font.endswith("EastAsia"):
            return fonts.get("ea") or fonts.get(self.east_asian_script) or fonts.get("Hans")
        return fonts.get("latin")


def read_theme_fonts(theme: Any, settings: Any) -> ThemeFonts:
    """The theme's major and minor fonts; ``settings`` names the East Asian language."""
    script = "Hans"
    lang = settings.find(w("themeFontLang")) if settings is not None else None
    east_asian = wval(lang, "eastAsia") if lang is not None else None
    if east_asian:
        script = _SCRIPTS.get(east_asian.lower(), "Hans")
    if theme is None:
        return ThemeFonts(east_asian_script=script)
    return ThemeFonts(
        major=_font_collection(theme.find(f".//{{{A_NS}}}majorFont")),
        minor=_font_collection(theme.find(f".//{{{A_NS}}}minorFont")),
        east_asian_script=script,
    )


def _font_collection(element: Any) -> dict[str, str]:
    fonts: dict[str, str] = {}
    if element is None:
        return fonts
    for child in element:
        name = local(child)
        face = child.get("typeface") or ""
        if name in ("latin", "ea") and face:
            fonts[name] = face
        elif name == "font" and face and child.get("script"):
            fonts[child.get("script")] = face
    return fonts


# ---------------------------------------------------------------------------------------------
# Resolved formats


@dataclass(frozen=True)
class ParagraphFormat:
    style_id: str | None
    style_name: str
    props: dict[str, Sourced]  # jc, line, first_twips, first_chars, numId, ilvl, outlineLvl …
    run_layers: tuple[tuple[Layer, ...], ...]  # table / paragraph-style chains, for runs
    run_defaults: Layer

    def get(self, key: str, default: Any = None) -> Sourced:
        return self.props.get(key) or Sourced(default, DOC_DEFAULTS)

    @property
    def alignment(self) -> Sourced:
        jc = self.get("jc", "left")
        value = {"start": "left", "end": "right", "justify": "both"}.get(jc.value, jc.value)
        return Sourced(value, jc.origin)

    @property
    def line_spacing(self) -> Sourced:
        """(rule, value): ("auto", 360) is 1.5 lines; ("exact", 560) is exactly 28 pt."""
        return self.get("line", ("auto", 240))

    def first_line_indent(self, size_pt: float) -> Sourced:
        """First-line indent in characters (negative: hanging); ``size_pt`` converts twips."""
        chars = self.props.get("first_chars")
        if chars is not None and chars.value:
            return Sourced(chars.value / 100, chars.origin)
        twips = self.props.get("first_twips")
        if twips is None:
            origin = chars.origin if chars is not None else DOC_DEFAULTS
            return Sourced(0.0, origin)
        return Sourced(twips.value / 20 / size_pt, twips.origin)


@dataclass(frozen=True)
class RunFormat:
    east_asia_font: Sourced  # typeface name or None
    size: Sourced  # points or None
    bold: Sourced
    italic: Sourced
    hidden: bool


class DocxStyles:
    """Resolves formats for one document; style chains are computed once and cached."""

    def __init__(self, root: Any, theme: ThemeFonts):
        self.theme = theme
        if root is None:  # no styles part: Word's built-in defaults only
            root = etree.Element(w("styles"))
        self._styles = {s.get(w("styleId")): s for s in root.iter(w("style"))}
        self._defaults: dict[str, str] = {}  # style type → its default style id
        for style in root.iter(w("style")):
            if on_off_attr(style, "default"):
                self._defaults.setdefault(style.get(w("type")), style.get(w("styleId")))
        defaults = root.find(w("docDefaults"))
        self._ppr_default = paragraph_props(_find(defaults, "pPrDefault", "pPr"))
        self._rpr_default = run_props(_find(defaults, "rPrDefault", "rPr"))
        self._chains: dict[tuple[str, str], tuple[Layer, ...]] = {}
        # Set by the reader: (numId, ilvl, style id) → the numbering level's paragraph props.
        self.numbering_layer: Callable[[str, int | None, str | None], Props] | None = None

    # -- styles ---------------------------------------------------------------------------

    def style_name(self, style_id: str | None) -> str:
        style = self._styles.get(style_id) if style_id else None
        name = wval(style.find(w("name"))) if style is not None else None
        name = name or style_id or "正文"
        return BUILTIN_STYLE_NAMES.get(name.lower(), name)

    def default_style(self, kind: str) -> str | None:
        return self._defaults.get(kind)

    def style_exists(self, style_id: str | None) -> bool:
        return style_id in self._styles

    def chain(self, style_id: str | None, part: str) -> tuple[Layer, ...]:
        """Layers of one style and its ``basedOn`` ancestors, base first; part is pPr or rPr."""
        if not style_id:
            return ()
        key = (style_id, part)
        if key not in self._chains:
            layers: list[Layer] = []
            seen: set[str] = set()
            current: str | None = style_id
            while current and current not in seen and current in self._styles:
                seen.add(current)
                style = self._styles[current]
                element = style.find(w(part))
                props = paragraph_props(element) if part == "pPr" else run_props(element)
                layers.append((f"样式「{self.style_name(current)}」", props))
                current = wval(style.find(w("basedOn")))
            self._chains[key] = tuple(reversed(layers))
        return self._chains[key]

    # -- paragraphs -----------------------------------------------------------------------

    def paragraph(self, p: Any, table_style: str | None = None) -> ParagraphFormat:
        ppr = p.find(w("pPr"))
        style_id = wval(ppr.find(w("pStyle"))) if ppr is not None else None
        if not self.style_exists(style_id):
            style_id = self.default_style("paragraph")
        direct = paragraph_props(ppr)
        style_layers = self.chain(style_id, "pPr")
        table_layers = self.chain(table_style, "pPr")
        layers: list[Layer] = [(DOC_DEFAULTS, self._ppr_default), *table_layers]
        numbering = self._numbering_props(style_layers, direct, style_id)
        if numbering:
            layers.append((NUMBERING, numbering))
        layers += [*style_layers, (DIRECT, direct)]
        return ParagraphFormat(
            style_id=style_id,
            style_name=self.style_name(style_id),
            props=merge(layers),
            run_layers=(self.chain(table_style, "rPr"), self.chain(style_id, "rPr")),
            run_defaults=(DOC_DEFAULTS, self._rpr_default),
        )

    def _numbering_props(
        self, style_layers: tuple[Layer, ...], direct: Props, style_id: str | None
    ) -> Props:
        if self.numbering_layer is None:
            return {}
        merged = merge([*style_layers, (DIRECT, direct)])
        num_id = merged.get("numId")
        if num_id is None:
            return {}
        ilvl = merged.get("ilvl")
        return self.numbering_layer(num_id.value, ilvl.value if ilvl else None, style_id)

    # -- runs -----------------------------------------------------------------------------

    def run(self, r: Any, para: ParagraphFormat) -> RunFormat:
        rpr = r.find(w("rPr"))
        char_style = wval(rpr.find(w("rStyle"))) if rpr is not None else None
        char_layers = self.chain(char_style, "rPr") if char_style else ()
        direct = run_props(rpr)
        table_layers, style_layers = para.run_layers
        layers = [para.run_defaults, *table_layers, *style_layers, *char_layers, (DIRECT, direct)]
        props = merge(layers)
        groups = (table_layers, style_layers, char_layers)
        size = props.get("sz")
        return RunFormat(
            east_asia_font=self._font(props.get("font.eastAsia")),
            size=Sourced(size.value / 2, size.origin) if size else Sourced(None, DOC_DEFAULTS),
            bold=toggle("b", para.run_defaults, groups, direct),
            italic=toggle("i", para.run_defaults, groups, direct),
            hidden=bool(props.get("vanish") and props["vanish"].value),
        )

    def _font(self, font: Sourced | None) -> Sourced:
        if font is None:
            return Sourced(None, DOC_DEFAULTS)
        kind, name = font.value
        if kind == "theme":
            return Sourced(self.theme.resolve(name), font.origin + THEME_SUFFIX)
        return Sourced(name, font.origin)


def on_off_attr(element: Any, name: str) -> bool:
    value = element.get(w(name))
    return value is not None and value.lower() not in _FALSE


def _find(parent: Any, *path: str) -> Any:
    for tag in path:
        if parent is None:
            return None
        parent = parent.find(w(tag))
    return parent


def merge(layers: Any) -> dict[str, Sourced]:
    """Later layers win, property by property."""
    result: dict[str, Sourced] = {}
    for origin, props in layers:
        for key, value in props.items():
            result[key] = Sourced(value, origin)
    return result


def toggle(key: str, defaults: Layer, groups: Any, direct: Props) -> Sourced:
    """Resolve a toggle property (b, i): each style chain that turns it on flips it."""
    value = Sourced(bool(defaults[1].get(key, False)), defaults[0])
    for chain in groups:
        chain_value = _chain_value(chain, key)
        if chain_value is not None and chain_value.value:
            value = Sourced(not value.value, chain_value.origin)
    if key in direct:
        value = Sourced(direct[key], DIRECT)
    return value


def _chain_value(chain: Any, key: str) -> Sourced | None:
    found = None
    for origin, props in chain:
        if key in props:
            found = Sourced(props[key], origin)
    return found
