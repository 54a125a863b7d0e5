"""Objection attachments: PDF, JPG or PNG, checked by their content before anything is stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from manyi import files as file_engine

ALLOWED_KINDS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}  # detected kind → stored extension
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5


@dataclass(frozen=True)
class CheckedAttachment:
    name: str
    data: bytes
    extension: str
    sha256: str


def _refuse(name: str, reason: str) -> ValidationError:
    return ValidationError(
        {"attachments": _("附件“%(n)s”未接收：%(r)s") % {"n": name, "r": reason.rstrip("。")}}
    )


def check_attachment(upload: UploadedFile) -> CheckedAttachment:
    name = upload.name or _("未命名文件")
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise _refuse(
            name,
            _("文件 %(s).1f MB，超过每个附件 %(m)d MB 的上限，请压缩后重新提交")
            % {"s": upload.size / (1024 * 1024), "m": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
        )
    upload.seek(0)
    data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise _refuse(name, _("文件超过每个附件的大小上限，请压缩后重新提交"))
    try:
        info = file_engine.inspect_file(data, name)
    except file_engine.FileRejected as exc:
        raise _refuse(name, exc.reason) from exc
    if info.kind not in ALLOWED_KINDS:
        raise _refuse(
            name,
            _("这是%(k)s，异议附件只接收 PDF、JPG 或 PNG 文件") % {"k": info.label},
        )
    return CheckedAttachment(name[:255], data, ALLOWED_KINDS[info.kind], info.sha256)


def check_attachments(uploads: Sequence[UploadedFile]) -> list[CheckedAttachment]:
    """Every upload checked; the first refused one raises, so nothing is stored."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("最多上传 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS}}
        )
    return [check_attachment(upload) for upload in uploads]
