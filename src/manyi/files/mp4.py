"""MP4 (ISO base media file format) duration from ``moov/mvhd``, read without ffprobe.

An MP4 is a sequence of boxes: 4-byte big-endian size, 4-byte type, then the payload
(size 1: a 64-bit size follows the type; size 0: the box runs to the end of the file).
The movie header ``mvhd`` inside ``moov`` holds the timescale (units per second) and the
duration in those units: 32-bit fields in version 0, 64-bit creation/modification/duration
in version 1. A fragmented MP4 may leave the duration 0 and give it in ``moov/mvex/mehd``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from manyi.files.model import FileRejected

_MAX_BOXES = 100_000
_UNKNOWN_32 = 0xFFFFFFFF
_UNKNOWN_64 = 0xFFFFFFFFFFFFFFFF


@dataclass(frozen=True)
class Box:
    type: bytes
    start: int  # offset of the box header
    payload: int  # offset of the payload
    end: int  # offset just after the box


@dataclass(frozen=True)
class Mp4Duration:
    seconds: float
    timescale: int
    units: int
    version: int


def _truncated(detail: str) -> FileRejected:
    return FileRejected(
        "truncated",
        f"视频文件不完整（{detail}），可能上传中断或录制未正常结束，请重新导出后上传",
    )


def iter_boxes(stream: BinaryIO, start: int, end: int, file_size: int) -> Iterator[Box]:
    """The boxes between ``start`` and ``end``; a box running past the file end is an error."""
    position = start
    for _ in range(_MAX_BOXES):
        if position >= end:
            return
        if end - position < 8:
            raise _truncated(f"第 {position} 字节处的数据块头不完整")
        stream.seek(position)
        header = stream.read(8)
        if len(header) < 8:
            raise _truncated(f"第 {position} 字节处的数据块头不完整")
        size, box_type = struct.unpack(">I4s", header)
        payload = position + 8
        if size == 1:
            large = stream.read(8)
            if len(large) < 8:
                raise _truncated(f"第 {position} 字节处的数据块头不完整")
            size = struct.unpack(">Q", large)[0]
            payload += 8
        elif size == 0:
            size = end - position
        if size < payload - position:
            raise FileRejected("corrupted", "视频文件已损坏（数据块大小无效），请重新导出后上传")
        box_end = position + size
        if box_end > min(end, file_size):
            name = box_type.decode("latin-1")
            left = file_size - position
            raise _truncated(f"“{name}”数据块声明 {size} 字节，文件只剩 {left} 字节")
        yield Box(box_type, position, payload, box_end)
        position = box_end
    raise FileRejected("corrupted", "视频文件已损坏（数据块过多），请重新导出后上传")


def _find(stream: BinaryIO, parent: Box, box_type: bytes, file_size: int) -> Box | None:
    for box in iter_boxes(stream, parent.payload, parent.end, file_size):
        if box.type == box_type:
            return box
    return None


def read_duration(stream: BinaryIO, file_size: int) -> Mp4Duration:
    """The movie duration; raises :class:`FileRejected` for truncated or index-less files."""
    top = list(iter_boxes(stream, 0, file_size, file_size))
    types = {box.type for box in top}
    moov = next((box for box in top if box.type == b"moov"), None)
    if moov is None:
        raise FileRejected(
            "truncated",
            "视频文件缺少索引信息（moov），通常是录制未正常结束或文件不完整，请重新导出后上传",
        )
    if not types & {b"mdat", b"moof"}:
        raise FileRejected("corrupted", "视频文件里没有音视频数据，请重新导出后上传")
    mvhd = _find(stream, moov, b"mvhd", file_size)
    if mvhd is None:
        raise FileRejected("corrupted", "视频文件已损坏（缺少 mvhd 影片头），请重新导出后上传")
    version, timescale, units = _parse_mvhd(stream, mvhd)
    if units in (0, _UNKNOWN_32, _UNKNOWN_64):
        units = _fragment_duration(stream, moov, file_size) or 0
    if timescale == 0 or units == 0:
        raise FileRejected(
            "corrupted", "无法从视频文件中读出时长，请用常用软件重新导出为 MP4 后上传"
        )
    return Mp4Duration(units / timescale, timescale, units, version)


def _parse_mvhd(stream: BinaryIO, mvhd: Box) -> tuple[int, int, int]:
    stream.seek(mvhd.payload)
    data = stream.read(min(mvhd.end - mvhd.payload, 32))
    if not data:
        raise FileRejected("corrupted", "视频文件已损坏（mvhd 影片头为空），请重新导出后上传")
    version = data[0]
    layout = {0: (">4xIIII", 20), 1: (">4xQQIQ", 32)}.get(version)
    if layout is None or len(data) < layout[1]:
        raise FileRejected("corrupted", "视频文件已损坏（mvhd 影片头无效），请重新导出后上传")
    _, _, timescale, units = struct.unpack_from(layout[0], data)
    return version, timescale, units


def _fragment_duration(stream: BinaryIO, moov: Box, file_size: int) -> int | None:
    mvex = _find(stream, moov, b"mvex", file_size)
    mehd = _find(stream, mvex, b"mehd", file_size) if mvex else None
    if mehd is None:
        return None
    stream.seek(mehd.payload)
    data = stream.read(12)
    if len(data) < 8:
        return None
    if data[0] == 1 and len(data) >= 12:
        return struct.unpack_from(">Q", data, 4)[0]
    return struct.unpack_from(">I", data, 4)[0]
