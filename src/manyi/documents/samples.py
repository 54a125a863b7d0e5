"""Real sample files for tests, the demo data and the benchmark.

Each function makes a genuine file of its kind (WeasyPrint PDF, python-pptx presentation,
Pillow image, openpyxl workbook, ffmpeg video) so that the inspectors read what an applicant
would upload. ``sample_mp4`` needs ffmpeg (a test-time tool; the inspector itself never runs
it) and raises :class:`SampleUnavailable` without it.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, overload

from manyi.documents.render import esc, html_to_pdf

if TYPE_CHECKING:
    from PIL import Image

_FILLER = (
    "本单位坚持以用户为中心，建立用户满意理念，开展用户需求调研分析，"
    "持续改进产品和服务质量，提升用户满意度和忠诚度。"
)


class SampleUnavailable(RuntimeError):
    """A sample needs a tool that is not installed (ffmpeg)."""


# --- PDF ---------------------------------------------------------------------------------


def sample_pdf(pages: int, title: str = "示例文件") -> bytes:
    """A text PDF of exactly ``pages`` A4 pages, each headed with the title and its number."""
    sections = "".join(
        f'<section style="break-after: page"><h2>{esc(title)}</h2>'
        f'<p>第 {n} 页，共 {pages} 页</p><p class="indent">{_FILLER * 3}</p></section>'
        for n in range(1, pages + 1)
    )
    document = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>@page {{ size: A4; margin: 25mm }}"
        "body { font-family: 'Noto Serif CJK SC', serif; font-size: 14pt; line-height: 1.6 }"
        "section:last-child { break-after: auto }</style></head>"
        f"<body>{sections}</body></html>"
    )
    return html_to_pdf(document)


def sample_scanned_pdf(
    pages: int, title: str = "扫描件", *, dpi: int = 100, grain: bool = False
) -> bytes:
    """An image-only PDF, like a scanner's output: one JPEG per A4 page."""
    from PIL import Image

    size = (round(8.27 * dpi), round(11.69 * dpi))
    images = [
        Image.open(io.BytesIO(sample_jpg(f"{title} 第{n}页", size=size, grain=grain)))
        for n in range(1, pages + 1)
    ]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buffer.getvalue()


def sample_encrypted_pdf(password: str = "123456", pages: int = 1) -> bytes:
    """A PDF that needs a password to open (AES-256)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sample_pdf(pages, "加密文件"))))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- Office files -----------------------------------------------------------------------


def sample_pptx(slides: int, *, hidden: int = 0, title: str = "用户满意经营实践报告") -> bytes:
    """A presentation of ``slides`` slides, the last ``hidden`` of them hidden."""
    from pptx import Presentation

    presentation = Presentation()
    layout = presentation.slide_layouts[1]
    for n in range(1, slides + 1):
        slide = presentation.slides.add_slide(layout)
        slide.shapes.title.text = f"{title}（{n}/{slides}）"
        slide.placeholders[1].text = _FILLER
        if n > slides - hidden:
            slide._element.set("show", "0")
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def sample_docx(paragraphs: int = 3, title: str = "测量方案") -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    for _ in range(paragraphs):
        document.add_paragraph(_FILLER)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sample_xlsx(rows: int = 60, title: str = "被访者名单") -> bytes:
    """A respondent list (姓名, 联系方式, 满意度) with ``rows`` respondents."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(["序号", "姓名", "联系方式", "满意度"])
    for n in range(1, rows + 1):
        sheet.append([n, f"受访者{n:03d}", f"138{n:08d}", 60 + n % 40])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sample_csv(rows: int = 10, *, encoding: str = "utf-8-sig") -> bytes:
    lines = ["序号,姓名,联系方式"] + [f"{n},受访者{n:03d},138{n:08d}" for n in range(1, rows + 1)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# --- images ------------------------------------------------------------------------------


@cache
def _cjk_font_file() -> tuple[str, int] | None:
    """The Noto Sans CJK SC file and face index, as fontconfig finds it."""
    if shutil.which("fc-match") is None:
        return None
    result = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}", "Noto Sans CJK SC:lang=zh-cn"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) < 2 or not Path(lines[0]).is_file():
        return None
    return lines[0], int(lines[1] or 0)


def _scan_image(text: str, size: tuple[int, int], *, grain: bool = False) -> Image.Image:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", size, (250, 250, 245))
    if grain:  # paper grain, as on a real scan: JPEGs then weigh what real scans weigh
        noise = Image.effect_noise(size, 24).convert("RGB")
        image = Image.blend(image, noise, 0.12)
    draw = ImageDraw.Draw(image)
    font_file = _cjk_font_file()
    height = max(12, size[1] // 30)
    font = (
        ImageFont.truetype(font_file[0], height, index=font_file[1])
        if font_file
        else ImageFont.load_default()
    )
    margin = size[0] // 10
    draw.rectangle(
        (margin // 2, margin // 2, size[0] - margin // 2, size[1] - margin // 2),
        outline=(120, 0, 0),
        width=max(2, size[0] // 200),
    )
    draw.text((margin, margin), text, fill=(20, 20, 20), font=font)
    for row in range(4, 26):
        y = margin + row * height * 1.1
        if y > size[1] - margin:
            break
        draw.line((margin, y, size[0] - margin, y), fill=(180, 180, 180), width=1)
    return image


def sample_jpg(
    text: str = "营业执照（扫描件）", *, size: tuple[int, int] = (1240, 1754), grain: bool = False
) -> bytes:
    """A scan-like JPEG (A4 at 150 dpi by default) with the text drawn on it; ``grain`` adds
    paper grain so the file is as heavy as a real scan (~0.5 MB at 150 dpi)."""
    buffer = io.BytesIO()
    _scan_image(text, size, grain=grain).save(buffer, "JPEG", quality=85, dpi=(150, 150))
    return buffer.getvalue()


def sample_png(text: str = "荣誉证书（扫描件）", *, size: tuple[int, int] = (1754, 1240)) -> bytes:
    """A PNG (landscape A4 at 150 dpi by default), as a certificate scan."""
    buffer = io.BytesIO()
    _scan_image(text, size).save(buffer, "PNG", dpi=(150, 150))
    return buffer.getvalue()


# --- MP4 ---------------------------------------------------------------------------------


def ffmpeg_available() -> bool:
    return shutil.which("ffmpeg") is not None


@overload
def sample_mp4(
    seconds: float, size_bytes: int | None = None, *, path: None = None, container: str = "mp4"
) -> bytes: ...
@overload
def sample_mp4(
    seconds: float, size_bytes: int | None = None, *, path: str | Path, container: str = "mp4"
) -> Path: ...
def sample_mp4(
    seconds: float,
    size_bytes: int | None = None,
    *,
    path: str | Path | None = None,
    container: str = "mp4",
) -> bytes | Path:
    """A real H.264/AAC MP4 lasting ``seconds``, made by ffmpeg.

    A tiny picture at one frame per second keeps even a 16-minute video at a few KB.
    ``size_bytes`` pads the file to exactly that size with a trailing ``free`` box (legal
    ISO-BMFF that players skip), e.g. a short video over 30 MB. Returns the bytes, or the path
    when ``path`` is given. ``container`` ``mov`` or ``m4v`` writes what a Mac or iPhone saves
    (QuickTime brand ``qt``, iTunes brand ``M4V``).
    """
    if not ffmpeg_available():
        raise SampleUnavailable("生成示例视频需要 ffmpeg（Debian：apt-get install ffmpeg）")
    with tempfile.TemporaryDirectory() as folder:
        made = Path(folder) / f"sample.{container}"
        _run_ffmpeg(seconds, made)
        if size_bytes is not None:
            _pad(made, size_bytes)
        if path is None:
            return made.read_bytes()
        target = Path(path)
        shutil.move(made, target)
        return target


def _run_ffmpeg(seconds: float, target: Path) -> None:
    rate = 1 if seconds >= 60 else 5
    command = [
        "ffmpeg", "-v", "error", "-y",
        "-f", "lavfi", "-i", f"color=c=navy:s=64x36:r={rate}",
        "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono",
        "-t", f"{seconds:.3f}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "8k",
        "-movflags", "+faststart",
        str(target),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SampleUnavailable(f"ffmpeg 生成示例视频失败：{result.stderr.strip()[:300]}")


def _pad(target: Path, size_bytes: int) -> None:
    current = target.stat().st_size
    padding = size_bytes - current
    if padding < 16:
        raise ValueError(f"视频本身已有 {current} 字节，无法补齐到 {size_bytes} 字节")
    with open(target, "ab") as handle:
        handle.write(struct.pack(">I4sQ", 1, b"free", padding))
        remaining = padding - 16
        block = b"\0" * (1024 * 1024)
        while remaining > 0:
            handle.write(block[: min(remaining, len(block))])
            remaining -= min(remaining, len(block))


def set_mp4_duration(data: bytes, seconds: float) -> bytes:
    """The same MP4 with ``moov/mvhd`` declaring another duration (to test limits cheaply)."""
    from manyi.files import mp4

    stream = io.BytesIO(data)
    moov = next(b for b in mp4.iter_boxes(stream, 0, len(data), len(data)) if b.type == b"moov")
    mvhd = next(
        b for b in mp4.iter_boxes(stream, moov.payload, moov.end, len(data)) if b.type == b"mvhd"
    )
    patched = bytearray(data)
    version = patched[mvhd.payload]
    if version == 1:
        timescale = struct.unpack_from(">I", patched, mvhd.payload + 20)[0]
        struct.pack_into(">Q", patched, mvhd.payload + 24, round(seconds * timescale))
    else:
        timescale = struct.unpack_from(">I", patched, mvhd.payload + 12)[0]
        struct.pack_into(">I", patched, mvhd.payload + 16, round(seconds * timescale))
    return bytes(patched)


def mp4_skeleton(
    seconds: float, *, version: int = 0, timescale: int = 1000, moov_first: bool = True
) -> bytes:
    """A minimal ISO-BMFF file (ftyp, moov/mvhd, mdat): the structure the inspector reads,
    built in pure Python for tests that must not depend on ffmpeg. Not playable."""
    units = round(seconds * timescale)
    if version == 1:
        body = struct.pack(">B3xQQIQ", 1, 0, 0, timescale, units)
    else:
        body = struct.pack(">B3xIIII", 0, 0, 0, timescale, units)
    body += b"\0" * 80  # rate, volume, matrix, next track id: not read
    mvhd = _box(b"mvhd", body)
    ftyp = _box(b"ftyp", b"isom\0\0\x02\0isomiso2mp41")
    moov = _box(b"moov", mvhd)
    mdat = _box(b"mdat", b"\0" * 64)
    return ftyp + (moov + mdat if moov_first else mdat + moov)


def _box(box_type: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", len(payload) + 8, box_type) + payload
