"""The application package: one PDF in the scheme's binding order.

Cover → contents (目录) → 附件1-1 → 1-2 → 1-3 → 1-4 → other proofs → annexes (third-party
measurement) → 附件清单. One bookmark per part and one per file under it; the contents page
gives each part's real first page; every page carries its number at the bottom centre.
PDFs are appended page by page without rasterising; JPG/PNG scans become A4 pages; other
files (PPTX, MP4, DOCX, XLSX, …) are listed on the 附件清单 page with size and SHA-256.

The contents are rendered in two passes: first every piece's page count is learned (PDF page
trees are read, images are one page each, the generated pages are rendered), then the
contents page is rendered with the page numbers; if its own length changes, again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import IO, BinaryIO

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from manyi.documents.forms import (
    ATTACHMENT_LIST_TITLE,
    AttachmentRow,
    ContentsEntry,
    layout_attachment_list,
    layout_contents,
)
from manyi.documents.pdfstream import OutlineItem, PdfStreamWriter, image_xobject
from manyi.documents.render import write_pdf
from manyi.files.detect import SNIFF_BYTES, sniff
from manyi.rules.model import Scheme

Source = bytes | str | os.PathLike[str]
Progress = Callable[[int, int], None]

EMBEDDED_IMAGE_KINDS = frozenset({"jpeg", "png"})
SEPARATE_TITLE = "单独提交的材料"  # materials the scheme does not bind (PPT, video): listed only
_MAX_CONTENTS_PASSES = 4


class PackageError(ValueError):
    """A file that cannot be bound; the message names it and says why, in Chinese."""


@dataclass(frozen=True)
class PackageFile:
    """One uploaded (or generated) file. ``kind`` is the detected kind from ``manyi.files``
    (pdf, jpeg, png, pptx, mp4, …); None → detected here from the first bytes."""

    name: str
    data_or_path: Source
    kind: str | None = None
    title: str | None = None  # bookmark and contents text; the file name if None
    size: int | None = None  # known size / hash spare re-reading for the 附件清单
    sha256: str | None = None

    @property
    def label(self) -> str:
        return self.title or self.name


@dataclass(frozen=True)
class PackagePart:
    key: str
    title: str
    files: list[PackageFile] = field(default_factory=list)
    annex: bool = False  # bound after the application proper
    contents_after: bool = False  # the 目录 follows this part (the cover)
    bound: bool = True  # False: the files are only listed (PPT, video submitted separately)


@dataclass(frozen=True)
class PlacedPart:
    key: str
    title: str
    first_page: int  # 1-based; the 附件清单 page for a part whose files are all listed
    page_count: int


@dataclass(frozen=True)
class PackageResult:
    pages: int
    parts: list[PlacedPart]
    contents_pages: tuple[int, int]  # first and last page of the 目录
    attachments: list[AttachmentRow]


# --- planning ----------------------------------------------------------------------------


@dataclass
class _Piece:
    """Pages that go into the package in order: a file, or a generated document."""

    title: str
    pages: int
    file: PackageFile | None = None
    kind: str = "pdf"  # pdf | image | generated
    data: bytes | None = None  # generated PDF (shared by the generated pieces)
    first_page: int = 0
    offset: int = 0  # where this piece's pages start in ``data``


@dataclass
class _PartPlan:
    part: PackagePart
    pieces: list[_Piece]
    listed: list[PackageFile]


def build_package(
    parts: Sequence[PackagePart],
    out: str | os.PathLike[str] | BinaryIO,
    *,
    scheme: Scheme | None = None,
    title: str = "",
    progress: Progress | None = None,
) -> PackageResult:
    """Bind ``parts`` into one PDF written to ``out`` (a path or a binary stream).

    With ``scheme``, parts are put in the scheme's binding order and take its annex and
    contents flags by key; otherwise the given order and flags are used.
    """
    ordered = order_parts(parts, scheme) if scheme is not None else list(parts)
    plans = [_plan_part(part) for part in ordered]
    plans = [p for p in plans if p.pieces or p.listed]
    attachments = _attachment_rows(plans)
    contents, layout = _layout(plans, attachments)  # every page number, before any writing
    with _output(out) as stream:
        writer = PdfStreamWriter(stream)
        _write_all(writer, layout, progress)
        writer.finish(outline=_outline(plans, writer.page_refs, layout), title=title)
    return PackageResult(
        pages=len(writer.page_refs),
        parts=[_placed(plan, layout) for plan in plans],
        contents_pages=(contents.first_page, contents.first_page + contents.pages - 1),
        attachments=attachments,
    )


def order_parts(parts: Sequence[PackagePart], scheme: Scheme) -> list[PackagePart]:
    """Parts in binding order; parts the scheme does not know go before the annexes, and
    unbound parts (files only listed) last. Python's sort is stable: equal ranks keep their
    given order."""
    binding = {p.key: (index, p) for index, p in enumerate(scheme.binding.parts)}
    main = len(binding)
    adjusted = []
    for part in parts:
        index, spec = binding.get(part.key, (main, None))
        if spec is not None:
            part = PackagePart(
                part.key, part.title, part.files, spec.annex, spec.contents_page, part.bound
            )
        group = 3 if not part.bound else 2 if part.annex else 1 if spec is None else 0
        adjusted.append(((group, index), part))
    return [part for _, part in sorted(adjusted, key=lambda item: item[0])]


def parts_from_materials(
    scheme: Scheme, files: Mapping[str, Sequence[PackageFile]]
) -> list[PackagePart]:
    """Group files by material key into the scheme's binding parts, in binding order.

    Bookmark titles default to the material's name (numbered when it has several files).
    Materials outside the binding (the PPT, the video) form a last, unbound part whose files
    are only listed on the 附件清单 page.
    """
    bound_keys = set(scheme.binding.material_keys())
    parts = []
    for spec in scheme.binding.parts:
        title = f"{spec.name}（{spec.attachment}）" if spec.attachment else spec.name
        part_files = [f for key in spec.materials for f in _titled(scheme, key, files.get(key))]
        parts.append(PackagePart(spec.key, title, part_files, spec.annex, spec.contents_page))
    loose = [
        f
        for material in scheme.materials
        if material.key not in bound_keys
        for f in _titled(scheme, material.key, files.get(material.key))
    ]
    if loose:
        parts.append(PackagePart("separate", SEPARATE_TITLE, loose, bound=False))
    return parts


def _titled(scheme: Scheme, key: str, files: Sequence[PackageFile] | None) -> list[PackageFile]:
    if not files:
        return []
    name = scheme.material(key).name
    several = len(files) > 1
    return [
        f
        if f.title
        else PackageFile(
            f.name,
            f.data_or_path,
            f.kind,
            f"{name}（{i}）" if several else name,
            f.size,
            f.sha256,
        )
        for i, f in enumerate(files, start=1)
    ]


def _plan_part(part: PackagePart) -> _PartPlan:
    pieces: list[_Piece] = []
    listed: list[PackageFile] = []
    for file in part.files:
        kind = file.kind or _detect(file)
        if not part.bound or (kind != "pdf" and kind not in EMBEDDED_IMAGE_KINDS):
            listed.append(file)
        elif kind == "pdf":
            pieces.append(_Piece(file.label, _count_pages(file), file, "pdf"))
        else:
            pieces.append(_Piece(file.label, 1, file, "image"))
    return _PartPlan(part, pieces, listed)


def _detect(file: PackageFile) -> str:
    with _open(file) as stream:
        return sniff(stream.read(SNIFF_BYTES))


def _count_pages(file: PackageFile) -> int:
    with _open(file) as stream, _reader(file, stream) as reader:
        return len(reader.pages)


@contextmanager
def _open(file: PackageFile) -> Iterator[IO[bytes]]:
    if isinstance(file.data_or_path, bytes | bytearray):
        # Closing frees the buffer at once: pypdf copies it (getbuffer) and its readers sit in
        # reference cycles that only the garbage collector would break.
        with BytesIO(file.data_or_path) as buffer:
            yield buffer
        return
    with open(file.data_or_path, "rb") as handle:
        yield handle


@contextmanager
def _reader(file: PackageFile, stream: IO[bytes]) -> Iterator[PdfReader]:
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise PackageError(f"「{file.name}」无法装订：PDF 已加密（设置了密码）")
        yield reader
    except PackageError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise PackageError(f"「{file.name}」无法装订：PDF 文件已损坏（{exc}）") from exc


def _attachment_rows(plans: Sequence[_PartPlan]) -> list[AttachmentRow]:
    rows = []
    for plan in plans:
        for file in plan.listed:
            size, digest = _size_and_hash(file)
            rows.append(AttachmentRow(plan.part.title, file.label, file.name, size, digest))
    return rows


def _size_and_hash(file: PackageFile) -> tuple[int, str]:
    if file.size is not None and file.sha256:
        return file.size, file.sha256
    digest = hashlib.sha256()
    size = 0
    with _open(file) as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


# --- layout: page numbers before anything is written ------------------------------------


@dataclass
class _Layout:
    pieces: list[_Piece]  # in output order, first_page set
    contents: _Piece
    listing: _Piece | None


def _layout(
    plans: Sequence[_PartPlan], attachments: Sequence[AttachmentRow]
) -> tuple[_Piece, _Layout]:
    """Page numbers of everything, then the generated pages (目录, 附件清单) written as one PDF:
    pages are only laid out until the contents' length settles; the PDF is written once."""
    listing_document = layout_attachment_list(attachments) if attachments else None
    listing = (
        _Piece(ATTACHMENT_LIST_TITLE, len(listing_document.pages), None, "generated")
        if listing_document is not None
        else None
    )
    contents = _Piece("目录", 1, None, "generated")
    for _ in range(_MAX_CONTENTS_PASSES):
        sequence = _sequence(plans, contents, listing)
        page = 1
        for piece in sequence:
            piece.first_page = page
            page += piece.pages
        contents_document = layout_contents(_contents_entries(plans, listing))
        if len(contents_document.pages) == contents.pages:
            break
        contents.pages = len(contents_document.pages)
    else:  # pragma: no cover - the contents would have to change length every time
        raise PackageError("目录页数无法确定")
    documents = [contents_document]
    if listing is not None and listing_document is not None:
        documents.append(listing_document)
        listing.offset = contents.pages
    contents.data = write_pdf(documents)
    if listing is not None:
        listing.data = contents.data
    return contents, _Layout(sequence, contents, listing)


def _sequence(plans: Sequence[_PartPlan], contents: _Piece, listing: _Piece | None) -> list[_Piece]:
    sequence: list[_Piece] = []
    placed_contents = False
    for plan in plans:
        sequence += plan.pieces
        if plan.part.contents_after and not placed_contents:
            sequence.append(contents)
            placed_contents = True
    if not placed_contents:
        sequence.insert(0, contents)
    if listing is not None:
        sequence.append(listing)
    return sequence


def _part_first_page(plan: _PartPlan, listing: _Piece | None) -> int:
    if plan.pieces:
        return plan.pieces[0].first_page
    return listing.first_page if listing is not None else 1


def _contents_entries(plans: Sequence[_PartPlan], listing: _Piece | None) -> list[ContentsEntry]:
    entries = []
    for plan in plans:
        entries.append(ContentsEntry(plan.part.title, _part_first_page(plan, listing)))
        items = [(p.title, p.first_page) for p in plan.pieces]
        items += [(f.label, listing.first_page) for f in plan.listed if listing is not None]
        if len(items) > 1:
            entries += [ContentsEntry(title, page, 2) for title, page in items]
    if listing is not None:
        entries.append(ContentsEntry(listing.title, listing.first_page))
    return entries


# --- writing -----------------------------------------------------------------------------


def _write_all(writer: PdfStreamWriter, layout: _Layout, progress: Progress | None) -> None:
    total = sum(piece.pages for piece in layout.pieces)

    def tick() -> None:
        if progress is not None:
            progress(len(writer.page_refs), total)

    for piece in layout.pieces:
        start = len(writer.page_refs)
        _write_piece(writer, piece, tick)
        written = len(writer.page_refs) - start
        if written != piece.pages:
            raise PackageError(f"「{piece.title}」页数读取前后不一致（{piece.pages}/{written}）")


def _write_piece(writer: PdfStreamWriter, piece: _Piece, tick: Callable[[], None]) -> None:
    if piece.kind == "generated":
        pages = range(piece.offset, piece.offset + piece.pages)
        with BytesIO(piece.data or b"") as buffer:
            writer.copy_pdf(PdfReader(buffer), tick, pages=pages)
        return
    assert piece.file is not None
    with ExitStack() as stack:
        stream = stack.enter_context(_open(piece.file))
        if piece.kind == "image":
            try:
                writer.add_image_page(image_xobject(stream))
            except OSError as exc:
                raise PackageError(f"「{piece.file.name}」无法装订：图片已损坏") from exc
            tick()
            return
        reader = stack.enter_context(_reader(piece.file, stream))
        writer.copy_pdf(reader, tick)


def _outline(
    plans: Sequence[_PartPlan], page_refs: Sequence[int], layout: _Layout
) -> list[OutlineItem]:
    """One bookmark per part, one per file under it; the 目录 sits under the cover's part."""
    listing, contents = layout.listing, layout.contents

    def item(title: str, page: int, children: list[OutlineItem] | None = None) -> OutlineItem:
        return OutlineItem(title, page_refs[page - 1], children or [])

    items = []
    for plan in plans:
        children = [item(p.title, p.first_page) for p in plan.pieces]
        if listing is not None:
            children += [item(f.label, listing.first_page) for f in plan.listed]
        if plan.part.contents_after:
            children.append(item(contents.title, contents.first_page))
        items.append(item(plan.part.title, _part_first_page(plan, listing), children))
    if not any(plan.part.contents_after for plan in plans):
        items.insert(0, item(contents.title, contents.first_page))
    if listing is not None:
        items.append(item(listing.title, listing.first_page))
    return items


def _placed(plan: _PartPlan, layout: _Layout) -> PlacedPart:
    first = _part_first_page(plan, layout.listing)
    return PlacedPart(plan.part.key, plan.part.title, first, sum(p.pages for p in plan.pieces))


@contextmanager
def _output(out: str | os.PathLike[str] | BinaryIO) -> Iterator[BinaryIO]:
    if isinstance(out, str | os.PathLike):
        path = Path(out)
        partial = path.with_name(path.name + ".part")
        with open(partial, "wb") as handle:
            yield handle
        partial.replace(path)  # a crash never leaves a half-written package under the name
        return
    yield out
