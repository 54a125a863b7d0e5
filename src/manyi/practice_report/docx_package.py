"""The parts of a DOCX package (Open Packaging Conventions), read without trusting them.

A DOCX names its parts through relationships (``word/_rels/document.xml.rels``): the styles,
the numbering, each section's headers and footers. Files from Word, WPS and converters do not
always keep them straight — a footer reference may point at a part that is missing, at a
picture, or at another kind of XML. Such a part is skipped and noted as a
:class:`PartProblem` (the checker turns it into a "无法完整检查" finding); only a document
whose main part cannot be read is refused (:class:`ReportReadError`).

XML is parsed with entity resolution and network access off.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from lxml import etree

from manyi.practice_report.container import docx_xml_parts
from manyi.practice_report.errors import ReportReadError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MAIN_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)


@dataclass(frozen=True)
class PartKind:
    """What a relationship of one type must lead to."""

    name: str  # in Chinese, for messages
    root: str  # the root element's tag
    content_type: str  # how the content type ends


KINDS: dict[str, PartKind] = {
    "styles": PartKind("样式", f"{{{W_NS}}}styles", ".styles+xml"),
    "numbering": PartKind("编号定义", f"{{{W_NS}}}numbering", ".numbering+xml"),
    "settings": PartKind("文档设置", f"{{{W_NS}}}settings", ".settings+xml"),
    "theme": PartKind("主题", f"{{{A_NS}}}theme", ".theme+xml"),
    "footer": PartKind("页脚", f"{{{W_NS}}}ftr", ".footer+xml"),
    "header": PartKind("页眉", f"{{{W_NS}}}hdr", ".header+xml"),
}


@dataclass(frozen=True)
class PartProblem:
    """A part the document names but that could not be used."""

    kind: str  # a key of KINDS
    what: str  # "第 1 节偶数页页脚", "样式" …
    why: str  # "关系 rId9 指向的 word/media/image1.png 不是页脚"


@dataclass(frozen=True)
class Relationship:
    rid: str
    type: str
    target: str  # the part name it resolves to ("" for an external target)


class DocxPackage:
    """The parts of one DOCX; XML parsed on first use."""

    def __init__(self, parts: dict[str, bytes | None]):
        self._names = {name.lower(): name for name in parts}
        self._parts = parts
        self._parsed: dict[str, Any] = {}
        self._rels: dict[str, dict[str, Relationship]] = {}
        self._types = _content_types(parts.get(self._names.get("[content_types].xml", "")))
        self.problems: list[PartProblem] = []
        self.main = self._main_part()

    @classmethod
    def read(cls, data: bytes) -> DocxPackage:
        return cls(docx_xml_parts(data))

    # -- the main part -------------------------------------------------------------------

    def _main_part(self) -> str:
        if "[content_types].xml" not in self._names:
            raise ReportReadError("文件不是 Word 文档（.docx）：缺少内容类型清单。")
        targets = [
            rel.target
            for rel in self.relationships("").values()
            if rel.type.endswith("/officeDocument") and rel.target
        ]
        name = next((t for t in targets if t.lower() in self._names), None)
        if name is None and "word/document.xml" in self._names:
            name = "word/document.xml"  # a package without (usable) root relationships
        if name is None:
            raise ReportReadError("文件不是 Word 文档（.docx）：缺少文档正文部分。")
        name = self._names[name.lower()]
        if self.content_type(name) != MAIN_CONTENT_TYPE:
            raise ReportReadError(
                "不是 Word 文档（.docx），可能是模板、宏文档或其他 Office 文件。"
                "请在 Word 中另存为 .docx 后再上传。"
            )
        return name

    def document(self) -> Any:
        """The main part's ``w:document`` element, or ReportReadError."""
        try:
            root = self.xml(self.main)
        except etree.XMLSyntaxError as exc:
            raise ReportReadError("Word 文档内容已损坏，无法读取（正文的 XML 格式错误）。") from exc
        if root.tag != f"{{{W_NS}}}document":
            raise ReportReadError("文件不是 Word 文档（.docx）：正文部分不是 Word 文档格式。")
        return root

    def body(self) -> Any:
        body = self.document().find(f"{{{W_NS}}}body")
        if body is None:
            raise ReportReadError("Word 文档没有正文（缺少 w:body），无法检查。")
        return body

    # -- parts ---------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name.lower() in self._names

    def content_type(self, name: str) -> str:
        overrides, defaults = self._types
        key = "/" + name.lower()
        if key in overrides:
            return overrides[key]
        return defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")

    def xml(self, name: str) -> Any:
        """The parsed root of an XML part (raises KeyError, XMLSyntaxError)."""
        real = self._names[name.lower()]
        if real not in self._parsed:
            blob = self._parts[real]
            if blob is None:
                raise KeyError(real)
            self._parsed[real] = etree.fromstring(blob, SAFE_PARSER)
        return self._parsed[real]

    def relationships(self, source: str) -> dict[str, Relationship]:
        """The relationships of a part by id ("" for the package's own)."""
        if source not in self._rels:
            self._rels[source] = self._read_relationships(source)
        return self._rels[source]

    def _read_relationships(self, source: str) -> dict[str, Relationship]:
        folder, name = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels_name.lower() not in self._names:
            return {}
        try:
            root = self.xml(rels_name)
        except (KeyError, etree.XMLSyntaxError):
            self.problems.append(
                PartProblem("relationships", "部件之间的关系", f"{rels_name} 已损坏")
            )
            return {}
        found: dict[str, Relationship] = {}
        for rel in root.iter(f"{{{PR_NS}}}Relationship"):
            rid, kind, target = rel.get("Id"), rel.get("Type") or "", rel.get("Target") or ""
            if not rid or rid in found:
                continue
            external = (rel.get("TargetMode") or "").lower() == "external"
            found[rid] = Relationship(rid, kind, "" if external else _resolve(folder, target))
        return found

    def related(self, source: str, kind: str, what: str | None = None) -> Any:
        """The root of the first part ``source`` relates to by type ``kind``, or None."""
        for rel in self.relationships(source).values():
            if rel.type.rsplit("/", 1)[-1] == kind:
                return self._checked(rel, kind, what or KINDS[kind].name)
        return None

    def by_id(self, source: str, rid: str | None, kind: str, what: str) -> Any:
        """The root of the part relationship ``rid`` of ``source`` names, or None."""
        rel = self.relationships(source).get(rid or "")
        if rel is None:
            self._problem(kind, what, f"关系 {rid or '（空）'} 不存在")
            return None
        return self._checked(rel, kind, what)

    def _checked(self, rel: Relationship, kind: str, what: str) -> Any:
        expected = KINDS[kind]
        if not rel.target:
            self._problem(kind, what, f"关系 {rel.rid} 指向外部文件")
            return None
        if rel.type.rsplit("/", 1)[-1] != kind:
            self._problem(kind, what, f"关系 {rel.rid} 的类型不是{expected.name}")
            return None
        if not self.has(rel.target):
            self._problem(kind, what, f"关系 {rel.rid} 指向的 {rel.target} 不存在")
            return None
        if not self.content_type(rel.target).endswith(expected.content_type):
            self._problem(kind, what, f"关系 {rel.rid} 指向的 {rel.target} 不是{expected.name}")
            return None
        try:
            root = self.xml(rel.target)
        except KeyError:
            self._problem(kind, what, f"关系 {rel.rid} 指向的 {rel.target} 不是{expected.name}")
            return None
        except etree.XMLSyntaxError:
            self._problem(kind, what, f"{rel.target} 的 XML 格式错误")
            return None
        if root.tag != expected.root:
            self._problem(kind, what, f"关系 {rel.rid} 指向的 {rel.target} 不是{expected.name}")
            return None
        return root

    def _problem(self, kind: str, what: str, why: str) -> None:
        problem = PartProblem(kind, what, why)
        if problem not in self.problems:
            self.problems.append(problem)


def _resolve(folder: str, target: str) -> str:
    target = unquote(target.split("#", 1)[0])
    path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
    path = posixpath.normpath(path)
    return "" if path.startswith("..") or path == "." else path


def _content_types(blob: bytes | None) -> tuple[dict[str, str], dict[str, str]]:
    """(part name → type, extension → type) from ``[Content_Types].xml``."""
    if not blob:
        return {}, {}
    try:
        root = etree.fromstring(blob, SAFE_PARSER)
    except etree.XMLSyntaxError:
        return {}, {}
    overrides = {
        (item.get("PartName") or "").lower(): (item.get("ContentType") or "").strip()
        for item in root.iter(f"{{{CT_NS}}}Override")
    }
    defaults = {
        (item.get("Extension") or "").lower(): (item.get("ContentType") or "").strip()
        for item in root.iter(f"{{{CT_NS}}}Default")
    }
    return overrides, defaults
