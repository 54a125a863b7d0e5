"""OOXML (DOCX / PPTX / XLSX) packages read safely: a zip-bomb guard before any member is read.

Office files are zips. Before reading a member we check what the central directory declares:
the number of members, the total uncompressed size and the compression ratio. ``zipfile``
stops at each member's declared size (and checks its CRC), so the declared sizes are real caps.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from manyi.files.model import FileRejected

MAX_MEMBERS = 20_000
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024  # 1 GiB in total
MAX_RATIO = 200  # total uncompressed / compressed; XML rarely exceeds 30
RATIO_FREE_BYTES = 16 * 1024 * 1024  # small packages may compress as well as they like
MAX_XML_PART_BYTES = 64 * 1024 * 1024

_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_PML = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_SML = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Main-part content types (with their macro-enabled and template variants).
_MAIN_TYPES = (
    ("docx", ("wordprocessingml", "ms-word")),
    ("pptx", ("presentationml", "ms-powerpoint")),
    ("xlsx", ("spreadsheetml", "ms-excel")),
)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class ZipKind:
    kind: str  # docx, pptx, xlsx or zip
    main_part: str | None = None  # e.g. ppt/presentation.xml
    subtype: str | None = None  # odf for OpenDocument


def open_zip(stream: BinaryIO) -> zipfile.ZipFile:
    """Open a zip and apply the bomb guard; unreadable zips are refused."""
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileRejected(
            "corrupted",
            "文件已损坏或不完整（压缩包目录无法读取），请重新保存或导出后再上传",
        ) from exc
    _guard(archive)
    return archive


def _guard(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    too_many = len(members) > MAX_MEMBERS
    too_big = total > MAX_UNCOMPRESSED_BYTES
    too_dense = total > RATIO_FREE_BYTES and total / packed > MAX_RATIO
    if too_many or too_big or too_dense:
        raise FileRejected(
            "too_complex",
            "文件解压后异常庞大（疑似压缩炸弹），系统拒绝打开，请检查文件来源后重新保存上传",
        )


def read_member(archive: zipfile.ZipFile, name: str, limit: int = MAX_XML_PART_BYTES) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        reason = f"文件已损坏（缺少内部部件 {name}），请重新保存后上传"
        raise FileRejected("corrupted", reason) from None
    if info.file_size > limit:
        raise FileRejected("too_complex", f"文件内部部件 {name} 过大，系统拒绝打开")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise FileRejected(
            "corrupted", "文件已损坏或不完整（内部数据校验失败），请重新保存或导出后再上传"
        ) from exc


def parse_xml(data: bytes, part: str) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise FileRejected("corrupted", f"文件已损坏（{part} 无法解析），请重新保存后上传") from exc


def classify(archive: zipfile.ZipFile) -> ZipKind:
    """docx / pptx / xlsx by the main part's content type in ``[Content_Types].xml``."""
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        if "mimetype" in names:
            return ZipKind("zip", subtype="odf")
        return ZipKind("zip")
    types = parse_xml(read_member(archive, "[Content_Types].xml"), "[Content_Types].xml")
    for override in types.iter(f"{_CT}Override"):
        content_type = override.get("ContentType", "")
        if not content_type.endswith(".main+xml"):
            continue
        for kind, markers in _MAIN_TYPES:
            if any(marker in content_type for marker in markers):
                return ZipKind(kind, main_part=override.get("PartName", "").lstrip("/"))
    return ZipKind("zip")


def _rels_targets(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → target part name (resolved against ``part``)."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in archive.namelist():
        return {}
    rels = parse_xml(read_member(archive, rels_name), rels_name)
    targets: dict[str, str] = {}
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets[rel.get("Id", "")] = posixpath.normpath(path)
    return targets


def _root_attribute(archive: zipfile.ZipFile, part: str, name: str) -> str | None:
    """An attribute of a part's root element, without parsing the whole part."""
    try:
        with archive.open(part) as handle:
            for _, element in etree.iterparse(handle, events=("start",), resolve_entities=False):
                return element.get(name)
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError) as exc:
        reason = f"演示文稿已损坏（{part} 无法读取），请重新保存后上传"
        raise FileRejected("corrupted", reason) from exc
    return None


def count_slides(archive: zipfile.ZipFile, main_part: str) -> tuple[int, int]:
    """(slides, hidden slides) listed in the presentation's slide list, as PowerPoint counts."""
    presentation = parse_xml(read_member(archive, main_part), main_part)
    targets = _rels_targets(archive, main_part)
    slides = hidden = 0
    for slide_id in presentation.iter(f"{_PML}sldId"):
        slides += 1
        part = targets.get(slide_id.get(f"{_REL_NS}id", ""))
        if part is None:
            reason = "演示文稿已损坏（幻灯片列表引用了不存在的页），请重新保存后上传"
            raise FileRejected("corrupted", reason)
        if _root_attribute(archive, part, "show") in ("0", "false"):
            hidden += 1
    return slides, hidden


def sheet_names(archive: zipfile.ZipFile, main_part: str) -> tuple[str, ...]:
    workbook = parse_xml(read_member(archive, main_part), main_part)
    return tuple(sheet.get("name", "") for sheet in workbook.iter(f"{_SML}sheet"))


def check_main_part(archive: zipfile.ZipFile, main_part: str) -> None:
    """Parse the main part (the document body) with a safe parser: it must be well-formed."""
    parse_xml(read_member(archive, main_part), main_part)
