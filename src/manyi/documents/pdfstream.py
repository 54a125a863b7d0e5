"""A PDF writer that streams: every object goes to the output as soon as it is known.

pypdf's ``PdfWriter`` keeps every page, font and image of every input in memory until the
end. For a package of ~300 pages of scans that is the whole package held at once. Here each
input PDF is opened lazily, its pages are copied object by object (streams are copied raw,
never decoded or re-compressed, pages are never rasterised) and written out immediately; the
reader's object cache is dropped after each page. Only the object offsets, the page
references and the outline stay in memory until the cross-reference table is written.

Every page gets its page number stamped while it is copied: the page's own content is
wrapped in ``q … Q`` so that whatever state it leaves does not move the stamp, then a small
white box and "— n —" in Times-Roman (a standard font: nothing to embed) are drawn at the
bottom centre of the visible page, upright whatever the page's ``/Rotate``.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

A4 = (595.276, 841.89)
STAMP_FONT = "/MnyPN"
STAMP_SIZE = 10.5  # 五号
STAMP_BASELINE = 20.0  # points above the bottom edge: below a Word footer (1.75 cm)
_TIMES_WIDTHS = {" ": 250, "\x97": 1000, **{str(d): 500 for d in range(10)}}
_SKIP_PAGE_KEYS = {"/Parent", "/Contents", "/Resources", "/B", "/StructParents"}


def _name(value: str) -> NameObject:
    return NameObject(value)


@dataclass
class OutlineItem:
    title: str
    page: int  # object number of the target page
    children: list[OutlineItem] = field(default_factory=list)


class PdfStreamWriter:
    """Writes objects to ``out`` as they come; ``finish`` adds the page tree, outline and xref."""

    def __init__(self, out: BinaryIO):
        self._out = out
        self._position = 0
        self._offsets: dict[int, int] = {}
        self._next = 1
        self.pages_ref = self.reserve()
        self.page_refs: list[int] = []
        self._emit(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self._font = self.add_object(_stamp_font())
        self._push = self.add_stream(DictionaryObject(), b"q\n")

    # -- low level ---------------------------------------------------------------------------

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._position += len(data)

    def reserve(self) -> int:
        number = self._next
        self._next += 1
        return number

    def ref(self, number: int) -> IndirectObject:
        return IndirectObject(number, 0, None)

    def add_object(self, obj: PdfObject, number: int | None = None) -> int:
        number = self.reserve() if number is None else number
        buffer = io.BytesIO()
        obj.write_to_stream(buffer)
        self._write_body(number, buffer.getvalue())
        return number

    def add_stream(
        self, dictionary: DictionaryObject, data: bytes, number: int | None = None
    ) -> int:
        number = self.reserve() if number is None else number
        header = DictionaryObject(dictionary)
        header[_name("/Length")] = NumberObject(len(data))
        buffer = io.BytesIO()
        header.write_to_stream(buffer)
        buffer.write(b"\nstream\n")
        self._write_body(number, buffer.getvalue(), data, b"\nendstream")
        return number

    def _write_body(self, number: int, *chunks: bytes) -> None:
        if number in self._offsets:
            raise ValueError(f"object {number} written twice")
        self._offsets[number] = self._position
        self._emit(f"{number} 0 obj\n".encode())
        for chunk in chunks:
            self._emit(chunk)
        self._emit(b"\nendobj\n")

    # -- pages -------------------------------------------------------------------------------

    def stamp(self, page_number: int, box: Sequence[float], rotate: int) -> int:
        """The content stream that closes the page's ``q`` and draws "— n —"."""
        return self.add_stream(DictionaryObject(), stamp_content(page_number, box, rotate))

    def stamp_resources(self, resources: DictionaryObject) -> DictionaryObject:
        fonts = resources.get("/Font")
        fonts = (
            DictionaryObject(fonts) if isinstance(fonts, DictionaryObject) else DictionaryObject()
        )
        fonts[_name(STAMP_FONT)] = self.ref(self._font)
        resources = DictionaryObject(resources)
        resources[_name("/Font")] = fonts
        return resources

    def add_page(
        self,
        page: DictionaryObject,
        contents: list[IndirectObject],
        resources: DictionaryObject,
        *,
        number: int | None = None,
    ) -> int:
        """Write a page dictionary, its content wrapped and stamped with its page number."""
        number = self.reserve() if number is None else number
        box = _visible_box(page)
        rotate = int(page.get("/Rotate", 0) or 0) % 360
        stamp = self.stamp(len(self.page_refs) + 1, box, rotate)
        page = DictionaryObject(page)
        page[_name("/Type")] = _name("/Page")
        page[_name("/Parent")] = self.ref(self.pages_ref)
        page[_name("/Resources")] = self.stamp_resources(resources)
        page[_name("/Contents")] = ArrayObject([self.ref(self._push), *contents, self.ref(stamp)])
        self.add_object(page, number)
        self.page_refs.append(number)
        return number

    def add_image_page(self, image: ImageXObject) -> int:
        """An image scan as one A4 page (landscape for wide images), fitted inside margins."""
        width, height = A4 if image.height >= image.width else (A4[1], A4[0])
        left, top, bottom = 36.0, 36.0, 56.0
        box_w, box_h = width - 2 * left, height - top - bottom
        scale = min(box_w / image.width, box_h / image.height)
        draw_w, draw_h = image.width * scale, image.height * scale
        x = (width - draw_w) / 2
        y = bottom + (box_h - draw_h) / 2
        xobject = self.add_stream(image.dictionary(), image.data)
        content = self.add_stream(
            DictionaryObject(),
            f"q {draw_w:.3f} 0 0 {draw_h:.3f} {x:.3f} {y:.3f} cm /Im0 Do Q\n".encode(),
        )
        resources = DictionaryObject(
            {_name("/XObject"): DictionaryObject({_name("/Im0"): self.ref(xobject)})}
        )
        page = DictionaryObject(
            {
                _name("/MediaBox"): ArrayObject(
                    [NumberObject(0), NumberObject(0), FloatObject(width), FloatObject(height)]
                )
            }
        )
        return self.add_page(page, [self.ref(content)], resources)

    def copy_pdf(
        self, reader: PdfReader, on_page: Any = None, *, pages: range | None = None
    ) -> list[int]:
        """Copy the pages of ``reader`` (all, or those in ``pages``, 0-based); returns the new
        page object numbers."""
        return _PdfCopier(self, reader).copy_all(on_page, pages)

    # -- end ---------------------------------------------------------------------------------

    def finish(self, *, outline: Sequence[OutlineItem] = (), title: str = "") -> None:
        kids = ArrayObject([self.ref(n) for n in self.page_refs])
        pages = DictionaryObject(
            {
                _name("/Type"): _name("/Pages"),
                _name("/Kids"): kids,
                _name("/Count"): NumberObject(len(self.page_refs)),
            }
        )
        self.add_object(pages, self.pages_ref)
        catalog = DictionaryObject(
            {
                _name("/Type"): _name("/Catalog"),
                _name("/Pages"): self.ref(self.pages_ref),
                _name("/PageLabels"): DictionaryObject(
                    {
                        _name("/Nums"): ArrayObject(
                            [NumberObject(0), DictionaryObject({_name("/S"): _name("/D")})]
                        )
                    }
                ),
                _name("/Lang"): TextStringObject("zh-CN"),
            }
        )
        if outline:
            catalog[_name("/Outlines")] = self.ref(self._write_outline(outline))
            catalog[_name("/PageMode")] = _name("/UseOutlines")
        root = self.add_object(catalog)
        info = self.add_object(_info(title))
        self._write_xref(root, info)

    def _write_outline(self, items: Sequence[OutlineItem]) -> int:
        root = self.reserve()
        first, last, count = self._write_outline_level(items, root)
        self.add_object(
            DictionaryObject(
                {
                    _name("/Type"): _name("/Outlines"),
                    _name("/First"): self.ref(first),
                    _name("/Last"): self.ref(last),
                    _name("/Count"): NumberObject(count),
                }
            ),
            root,
        )
        return root

    def _write_outline_level(
        self, items: Sequence[OutlineItem], parent: int
    ) -> tuple[int, int, int]:
        numbers = [self.reserve() for _ in items]
        visible = len(items)
        for index, (item, number) in enumerate(zip(items, numbers, strict=True)):
            entry = DictionaryObject(
                {
                    _name("/Title"): TextStringObject(item.title),
                    _name("/Parent"): self.ref(parent),
                    _name("/Dest"): ArrayObject([self.ref(item.page), _name("/Fit")]),
                }
            )
            if index > 0:
                entry[_name("/Prev")] = self.ref(numbers[index - 1])
            if index < len(items) - 1:
                entry[_name("/Next")] = self.ref(numbers[index + 1])
            if item.children:
                first, last, count = self._write_outline_level(item.children, number)
                entry[_name("/First")] = self.ref(first)
                entry[_name("/Last")] = self.ref(last)
                entry[_name("/Count")] = NumberObject(count)
                visible += count
            self.add_object(entry, number)
        return numbers[0], numbers[-1], visible

    def _write_xref(self, root: int, info: int) -> None:
        start = self._position
        size = self._next
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        for number in range(1, size):
            offset = self._offsets.get(number)
            lines.append(
                f"{offset:010d} 00000 n \n" if offset is not None else "0000000000 65535 f \n"
            )
        self._emit("".join(lines).encode())
        trailer = DictionaryObject(
            {
                _name("/Size"): NumberObject(size),
                _name("/Root"): self.ref(root),
                _name("/Info"): self.ref(info),
            }
        )
        buffer = io.BytesIO()
        trailer.write_to_stream(buffer)
        self._emit(b"trailer\n" + buffer.getvalue() + f"\nstartxref\n{start}\n%%EOF\n".encode())


# --- copying pages from a source PDF ---------------------------------------------------------


class _PdfCopier:
    """Copies one source PDF's pages; each source object is written once, on first use."""

    def __init__(self, writer: PdfStreamWriter, reader: PdfReader):
        self.writer = writer
        self.reader = reader
        self.numbers: dict[tuple[int, int], int] = {}
        self.queue: list[tuple[int, Any]] = []

    def copy_all(self, on_page: Any = None, selection: range | None = None) -> list[int]:
        pages = list(self.reader.pages)
        if selection is not None:
            pages = [pages[index] for index in selection]
        targets = []
        for page in pages:
            ref = page.indirect_reference
            number = self.writer.reserve()
            if ref is not None:
                self.numbers[(ref.idnum, ref.generation)] = number
            targets.append(number)
        for page, number in zip(pages, targets, strict=True):
            self._copy_page(page, number)
            self._drain()
            self._forget_streams()
            if on_page is not None:
                on_page()
        return targets

    def _forget_streams(self) -> None:
        """Drop the reader's cached streams (page contents, images: the bulk of the bytes) once
        written, so memory stays bounded by one page. Object streams stay cached: every later
        object they hold would otherwise re-read and re-inflate them."""
        cache = self.reader.resolved_objects
        for key, obj in list(cache.items()):
            if isinstance(obj, StreamObject) and obj.get("/Type") != "/ObjStm":
                del cache[key]

    def _copy_page(self, page: DictionaryObject, number: int) -> None:
        copied = DictionaryObject(
            {_name(k): self._convert(v) for k, v in page.items() if k not in _SKIP_PAGE_KEYS}
        )
        refs = self._content_refs(page.get("/Contents"))
        self.writer.add_page(copied, refs, self._resources(page), number=number)

    def _resources(self, page: DictionaryObject) -> DictionaryObject:
        """The page's resources as a direct dictionary, its font dictionary inline so that the
        stamp font can be added without touching objects other pages share."""
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject):
            return DictionaryObject()
        direct = DictionaryObject()
        for key, value in resources.items():
            if key == "/Font":
                fonts = value.get_object()
                if isinstance(fonts, DictionaryObject):
                    direct[_name(key)] = self._convert_direct(fonts)
            else:
                direct[_name(key)] = self._convert(value)
        return direct

    def _content_refs(self, contents: Any) -> list[IndirectObject]:
        if contents is None:
            return []
        if isinstance(contents, IndirectObject):
            target = contents.get_object()
            if isinstance(target, ArrayObject):
                return [self._ref(item) for item in target if isinstance(item, IndirectObject)]
            return [self._ref(contents)]
        if isinstance(contents, ArrayObject):
            return [self._ref(item) for item in contents if isinstance(item, IndirectObject)]
        return []

    def _convert(self, value: Any) -> Any:
        if isinstance(value, IndirectObject):
            return self._ref(value)
        return self._convert_direct(value)

    def _convert_direct(self, value: Any) -> Any:
        if isinstance(value, StreamObject):
            raise ValueError("direct stream object")
        if isinstance(value, DictionaryObject):
            return DictionaryObject({_name(k): self._convert(v) for k, v in value.items()})
        if isinstance(value, ArrayObject):
            return ArrayObject([self._convert(v) for v in value])
        return value

    def _ref(self, indirect: IndirectObject) -> Any:
        key = (indirect.idnum, indirect.generation)
        number = self.numbers.get(key)
        if number is not None:
            return self.writer.ref(number)
        target = indirect.get_object()
        if isinstance(target, DictionaryObject) and target.get("/Type") in ("/Pages", "/Page"):
            return NullObject()  # never pull in the source's page tree or foreign pages
        number = self.writer.reserve()
        self.numbers[key] = number
        self.queue.append((number, target))
        return self.writer.ref(number)

    def _drain(self) -> None:
        while self.queue:
            number, target = self.queue.pop()
            if isinstance(target, StreamObject):
                header = DictionaryObject(
                    {_name(k): self._convert(v) for k, v in target.items() if k != "/Length"}
                )
                self.writer.add_stream(header, target._data, number)
            elif target is None:
                self.writer.add_object(NullObject(), number)
            else:
                self.writer.add_object(self._convert_direct(target), number)


# --- images ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageXObject:
    width: int
    height: int
    color_space: str  # /DeviceRGB or /DeviceGray
    filter: str  # /DCTDecode or /FlateDecode
    data: bytes

    def dictionary(self) -> DictionaryObject:
        return DictionaryObject(
            {
                _name("/Type"): _name("/XObject"),
                _name("/Subtype"): _name("/Image"),
                _name("/Width"): NumberObject(self.width),
                _name("/Height"): NumberObject(self.height),
                _name("/ColorSpace"): _name(self.color_space),
                _name("/BitsPerComponent"): NumberObject(8),
                _name("/Filter"): _name(self.filter),
            }
        )


def image_xobject(source: BinaryIO) -> ImageXObject:
    """An image for a PDF page: a JPEG is embedded as it is (no re-compression); other images,
    rotated JPEGs and CMYK JPEGs are decoded and stored losslessly (Flate)."""
    from PIL import Image, ImageOps

    with Image.open(source) as image:
        orientation = image.getexif().get(0x0112, 1)
        if image.format == "JPEG" and image.mode in ("RGB", "L") and orientation == 1:
            source.seek(0)
            space = "/DeviceRGB" if image.mode == "RGB" else "/DeviceGray"
            return ImageXObject(image.width, image.height, space, "/DCTDecode", source.read())
        upright = ImageOps.exif_transpose(image)
        return _flate_image(upright)


def _flate_image(image: Any) -> ImageXObject:
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    elif image.mode in ("1", "L", "I;16", "I", "F"):
        image = image.convert("L")
    elif image.mode != "RGB":
        image = image.convert("RGB")
    space = "/DeviceGray" if image.mode == "L" else "/DeviceRGB"
    compressor = zlib.compressobj(6)
    chunks = []
    strip = 256
    for top in range(0, image.height, strip):
        rows = image.crop((0, top, image.width, min(image.height, top + strip)))
        chunks.append(compressor.compress(rows.tobytes()))
    chunks.append(compressor.flush())
    return ImageXObject(image.width, image.height, space, "/FlateDecode", b"".join(chunks))


# --- the page-number stamp -----------------------------------------------------------------


def stamp_text(page_number: int) -> bytes:
    """ "— 3 —" in WinAnsi (0x97 is the em dash)."""
    return f"\x97 {page_number} \x97".encode("latin-1")


def stamp_content(page_number: int, box: Sequence[float], rotate: int) -> bytes:
    text = stamp_text(page_number)
    width = sum(_TIMES_WIDTHS[chr(c)] for c in text) / 1000 * STAMP_SIZE
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    # Text-space axes and origin so that the number reads upright at the visual bottom centre.
    matrix = {
        0: (1, 0, 0, 1, cx - width / 2, y0 + STAMP_BASELINE),
        90: (0, 1, -1, 0, x1 - STAMP_BASELINE, cy - width / 2),
        180: (-1, 0, 0, -1, cx + width / 2, y1 - STAMP_BASELINE),
        270: (0, -1, 1, 0, x0 + STAMP_BASELINE, cy + width / 2),
    }[rotate if rotate in (0, 90, 180, 270) else 0]
    a, b, c, d, e, f = matrix
    pad = 2.0
    literal = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"".join(
        [
            b"Q\nq\n",
            f"{a} {b} {c} {d} {e:.3f} {f:.3f} cm\n".encode(),
            _backdrop(width, pad),
            f"0 g BT {STAMP_FONT} {STAMP_SIZE} Tf 0 0 Td (".encode(),
            literal,
            b") Tj ET\nQ\n",
        ]
    )


def _backdrop(width: float, pad: float) -> bytes:
    """A white box under the number, so it stays legible on a full-page scan."""
    height = STAMP_SIZE + 2 * pad
    return f"1 g {-pad:.1f} {-pad - 2.5:.1f} {width + 2 * pad:.3f} {height:.1f} re f\n".encode()


def _visible_box(page: DictionaryObject) -> tuple[float, float, float, float]:
    for key in ("/CropBox", "/MediaBox"):
        box = page.get(key)
        if box is not None:
            box = box.get_object()
            try:
                x0, y0, x1, y1 = (float(v) for v in box)
            except (TypeError, ValueError):
                continue
            return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    return 0.0, 0.0, A4[0], A4[1]


def _stamp_font() -> DictionaryObject:
    return DictionaryObject(
        {
            _name("/Type"): _name("/Font"),
            _name("/Subtype"): _name("/Type1"),
            _name("/BaseFont"): _name("/Times-Roman"),
            _name("/Encoding"): _name("/WinAnsiEncoding"),
        }
    )


def _info(title: str) -> DictionaryObject:
    now = datetime.now(UTC).strftime("D:%Y%m%d%H%M%SZ")
    info = DictionaryObject(
        {
            _name("/Producer"): TextStringObject("manyi"),
            _name("/CreationDate"): TextStringObject(now),
        }
    )
    if title:
        info[_name("/Title")] = TextStringObject(title)
    return info
