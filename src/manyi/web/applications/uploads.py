"""Checking an uploaded file by content before it is stored (engines: files, practice_report)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

from manyi import files as file_engine
from manyi.practice_report import ReportReadError, check_report
from manyi.rules.model import Material, Scheme
from manyi.verdict import Finding
from manyi.web.applications.models import Application

log = logging.getLogger(__name__)


class UploadRefused(ValueError):
    """The file is not stored; the message says why in one sentence, and what to do."""


@dataclass(frozen=True)
class CheckedUpload:
    info: Any
    findings: list[dict[str, str]]  # manyi.verdict.Finding.to_dict() of each finding


def check_upload(
    application: Application, scheme: Scheme, material: Material, data: Any, filename: str
) -> CheckedUpload:
    """Inspect ``data`` (bytes, a path or a binary stream; large uploads are read from their
    temporary file, never whole into memory); refuse it (UploadRefused) when a rule fails."""
    try:
        info = file_engine.inspect_file(data, filename)
    except file_engine.FileRejected as exc:
        raise UploadRefused(str(exc)) from exc
    file_findings = file_engine.check_material_file(
        info,
        material,
        category=application.category,
        level=application.level,
        context=file_engine.CheckContext(scheme, application.organisation.name),
    )
    failures = [f for f in file_findings if f.status == "fail"]
    if failures:
        raise UploadRefused(" ".join(f.message for f in failures))
    findings = [f.to_dict() for f in file_findings]
    if material.key == scheme.roles.materials.practice_report:
        findings.extend(_report_findings(application, scheme, _content(data), filename))
    return CheckedUpload(info, findings)


def upload_source(uploaded: Any) -> Any:
    """What to inspect: the temporary file's path for a large upload, else the upload itself."""
    if hasattr(uploaded, "temporary_file_path"):
        return uploaded.temporary_file_path()
    return uploaded


def _content(data: Any) -> bytes:
    """The whole file, for the practice-report check (which parses it in memory anyway)."""
    if isinstance(data, bytes | bytearray):
        return bytes(data)
    if isinstance(data, str):
        with open(data, "rb") as handle:
            return handle.read()
    data.seek(0)
    try:
        return data.read()
    finally:
        data.seek(0)


def _report_findings(
    application: Application, scheme: Scheme, data: bytes, filename: str
) -> list[dict]:
    """The report checker's findings in the common shape; a file it cannot check is stored
    with a warning saying why (the file checks above already accepted it), never a 500."""
    try:
        result = check_report(
            data,
            filename,
            application.category,
            organisation_name=application.organisation.name,
            scheme=scheme,
        )
        findings = [f.verdict() for f in result.findings]
    except ReportReadError as exc:
        findings = [_unchecked(str(exc))]
    except Exception as exc:  # the checker's own failure must not lose the upload
        log.exception("实践报告检查出错：%s", filename)
        findings = [_unchecked(_("检查器出错（%(e)s）") % {"e": type(exc).__name__})]
    return [replace(finding, code=f"report.{finding.code}").to_dict() for finding in findings]


def _unchecked(why: str) -> Finding:
    return Finding(
        code="check.incomplete",
        status="warn",
        message=_("无法完整检查：实践报告的格式和提纲（%(why)s）") % {"why": why},
        fix=_("请用 Word 或 WPS 重新导出 PDF 后上传，或人工核对格式。"),
        source="advice",
        reason=_("检查器读不了这份文件，结论不全"),
    )


def refused_too_large(material: Material, size: int) -> UploadRefused:
    limit_mb = material.max_size_bytes / (1024 * 1024)
    return UploadRefused(
        _("文件大小 %(size).1f MB，超过「%(m)s」的上限 %(limit).0f MB，请压缩后重新上传。")
        % {"size": size / (1024 * 1024), "m": material.name, "limit": limit_mb}
    )
