"""The scheme's per-material limits applied to one inspected file.

Every limit comes from the material in the scheme (formats, size, pages, duration, file name);
this module only words the findings. A video may run ``DURATION_TOLERANCE_SECONDS`` over its
limit: players, ffprobe and mutagen round a duration differently by a few tenths of a second,
and a recording of exactly 15:00 must not be refused for that.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from manyi.files.detect import extensions_for
from manyi.files.model import FileInfo
from manyi.rules.model import LimitName, Material, Provenance, Scheme
from manyi.verdict import Finding

DURATION_TOLERANCE_SECONDS = 0.5
_MB = 1024 * 1024

# add(limit, code, message): a finding for the material's limit rule ``limit``.
Add = Callable[[LimitName, str, str], None]


@dataclass(frozen=True)
class CheckContext:
    """What a check needs beyond the file: the year's scheme and the applicant's name."""

    scheme: Scheme
    organisation_name: str = ""


def check_material_file(
    info: FileInfo, material: Material, *, category: str, level: str, context: CheckContext
) -> list[Finding]:
    """Findings for one file uploaded as ``material``; an empty list means it is acceptable.

    Each finding fails or warns as the scheme's provenance of the limit says: the form's own
    limits (报告为 PDF、视频 30M / 15 分钟、PPT 15 页) and the secretariat's upload limits block,
    the system's advice (hidden slides) warns.
    """
    findings: list[Finding] = []
    where = f"materials.{material.key}"

    def add(limit: LimitName, code: str, message: str) -> None:
        findings.append(material.limit_rule(limit).violation(code, message, where=where))

    if material.requirement_for(category, level) == "not_applicable":
        message = _not_applicable(context.scheme, material, category, level)
        findings.append(_upload_refusal("not_applicable", message, where))
    if info.mislabelled:
        findings.append(_upload_refusal("mislabelled", info.mislabelled, where))
        return findings
    format_problem = _format_problem(info, material)
    if format_problem:
        add("formats", *format_problem)
    if info.size > material.max_size_bytes:
        add("max_size_bytes", "too_large", _too_large(info, material))
    _check_pages(info, material, add, where, findings)
    _check_duration(info, material, add)
    if material.filename is not None:
        findings.extend(_check_filename(info, material, context, category, where))
    return findings


def _upload_refusal(code: str, message: str, where: str) -> Finding:
    """A file that cannot be stored as this material at all (wrong slot, disguised content)."""
    return Finding(
        code,
        "fail",
        message,
        where=where,
        reason="文件放错了位置或内容与扩展名不符，系统无法按这项材料保存和装订",
    )


def formats_text(formats: tuple[str, ...]) -> str:
    """``("pdf", "jpg", "jpeg", "png")`` → ``PDF、JPG、PNG``."""
    names = ["JPG" if f == "jpeg" else f.upper() for f in formats]
    return "、".join(dict.fromkeys(names))


def size_text(size: int, limit: int | None = None) -> str:
    """Bytes for people: ``31.2 MB``; exact bytes when rounding would read as the limit."""
    if size < _MB:
        return f"{math.ceil(size / 1024)} KB"
    text = f"{size / _MB:.1f}".removesuffix(".0")
    if limit is not None and size != limit and text == f"{limit / _MB:.1f}".removesuffix(".0"):
        return f"{size:,} 字节"
    return f"{text} MB"


def duration_text(seconds: float) -> str:
    """905.2 → ``15分06秒`` (rounded up, so an over-long video never reads as the limit)."""
    total = math.ceil(seconds - 1e-9)
    minutes, rest = divmod(total, 60)
    return f"{minutes}分{rest:02d}秒" if minutes else f"{rest}秒"


def _limit_text(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} 分钟" if not rest else duration_text(seconds)


def _not_applicable(scheme: Scheme, material: Material, category: str, level: str) -> str:
    name = f"{scheme.category(category).name}{scheme.level(level).short_name}"
    return f"{name}的申请不需要提交「{material.name}」，请确认上传的位置是否正确"


def _format_problem(info: FileInfo, material: Material) -> tuple[str, str] | None:
    accepted = set(material.formats)
    possible = extensions_for(info.kind, info.subtype)
    matching = [f for f in material.formats if f in possible]
    wanted = formats_text(material.formats)
    if not matching:
        message = (
            f"「{material.name}」只接受 {wanted} 格式，这个文件是 {info.label}，"
            f"请转换为 {wanted} 后重新上传"
        )
        return "format_not_accepted", message
    if info.extension not in accepted:
        shown = f"扩展名 .{info.extension}" if info.extension else "没有扩展名"
        message = (
            f"文件{shown}，不是「{material.name}」可接受的格式（{wanted}）；"
            f"文件内容是 {info.label}，请把文件名改为以 .{matching[0]} 结尾后重新上传"
        )
        return "extension_not_accepted", message
    return None


def _too_large(info: FileInfo, material: Material) -> str:
    limit = material.max_size_bytes
    hint = {
        "mp4": "（如降低分辨率或码率）",
        "jpeg": "（如降低扫描分辨率）",
        "png": "（如另存为 JPG）",
    }
    return (
        f"文件大小 {size_text(info.size, limit)}，超过「{material.name}」的上限 "
        f"{_limit_size_text(info.size, limit)}，请压缩{hint.get(info.kind, '')}后重新上传"
    )


def _limit_size_text(size: int, limit: int) -> str:
    text = size_text(limit)
    return f"{text}（{limit:,} 字节）" if "字节" in size_text(size, limit) else text


def _check_pages(
    info: FileInfo, material: Material, add: Add, where: str, findings: list[Finding]
) -> None:
    limit = material.max_pages
    if limit is None:
        return
    count = info.page_count
    if count is None:
        if info.kind == "ole2":
            findings.append(
                Finding(
                    "page_count_unknown",
                    "warn",
                    f"旧版 PPT 文件无法自动核对页数，请确认不超过 {limit} 页；"
                    "建议另存为 PPTX 或 PDF 后上传",
                    where=where,
                    reason="旧版 PPT（二进制格式）的页数系统读不出来",
                )
            )
        return
    hidden = info.hidden_slides or 0
    shown = count - hidden if info.slides is not None else count
    if shown > limit:
        add("max_pages", "too_many_pages", _too_many_pages(info, material, shown, limit))
    elif count > limit and "hidden_slides" in material.limits:
        add(
            "hidden_slides",
            "hidden_slides_over_limit",
            f"演示文稿放映 {shown} 页，另有隐藏的 {hidden} 页，合计 {count} 页超过 {limit} 页；"
            "评审打开文件时能看到隐藏的幻灯片，建议删去不用的幻灯片",
        )


def _too_many_pages(info: FileInfo, material: Material, shown: int, limit: int) -> str:
    if info.slides is not None:
        return f"演示文稿放映 {shown} 页，超过 {limit} 页的上限，请删减到 {limit} 页以内后重新上传"
    return (
        f"PDF 共 {shown} 页，超过「{material.name}」{limit} 页的上限，"
        f"请删减到 {limit} 页以内后重新导出上传"
    )


def _check_duration(info: FileInfo, material: Material, add: Add) -> None:
    limit = material.max_duration_seconds
    if limit is None or info.duration_seconds is None:
        return
    if info.duration_seconds > limit + DURATION_TOLERANCE_SECONDS:
        add(
            "max_duration_seconds",
            "too_long",
            f"视频时长 {duration_text(info.duration_seconds)}，超过 {_limit_text(limit)}的上限，"
            f"请剪辑到 {_limit_text(limit)}以内后重新上传",
        )


def _check_filename(
    info: FileInfo, material: Material, context: CheckContext, category: str, where: str
) -> list[Finding]:
    rule: Provenance | None = material.filename
    name = context.organisation_name.strip()
    scheme = context.scheme
    if rule is None:
        return []
    if not name:
        return [
            Finding(
                "report_filename_unchecked",
                "warn",
                "尚未填写企业名称，无法核对报告的文件名",
                where=where,
                reason="文件名须含企业名称，企业名称为空时无从核对",
            )
        ]
    if scheme.report_filename_ok(info.filename, name, category):
        return []
    expected = scheme.report_filename(name, category)
    message = f"文件名应为「{expected}」，当前为「{info.filename}」，请改名后重新上传"
    return [rule.violation("report_filename", message, where=where)]
