"""Checking an uploaded file by content before it is stored (engines: files, practice_report)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from manyi import files as file_engine
from manyi.practice_report import ReportReadError, check_report
from manyi.rules.model import Material, Scheme
from manyi.web.applications.models import Application


class UploadRefused(ValueError):
    """The file is not stored; the message says why in one sentence, and what to do."""


@dataclass(frozen=True)
class CheckedUpload:
    info: Any
    findings: list[dict[str, str]]


def _finding(code: str, severity: str, message: str, location: str = "", fix: str = "") -> dict:
    return {
        "code": code,
        "severity": severity,
        "message": message,
        "location": location,
        "fix": fix,
    }


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
    failures = [f for f in file_findings if f.severity == "fail"]
    if failures:
        raise UploadRefused(" ".join(f.message for f in failures))
    findings = [_finding(f.code, f.severity, f.message) for f in file_findings]
    if material.filename is not None:  # the practice report: the one material with a name rule
        findings.extend(_report_findings(application, _content(data), filename))
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


def _report_findings(application: Application, data: bytes, filename: str) -> list[dict]:
    try:
        result = check_report(
            data, filename, application.category, organisation_name=application.organisation.name
        )
    except ReportReadError as exc:
        raise UploadRefused(str(exc)) from exc
    return [
        _finding(
            f"report.{f.code}", f.severity, f.message, _location_text(f.location), f.hint or ""
        )
        for f in result.findings
    ]


def _location_text(location: Any) -> str:
    return location.describe() if location is not None else ""


def refused_too_large(material: Material, size: int) -> UploadRefused:
    limit_mb = material.max_size_bytes / (1024 * 1024)
    return UploadRefused(
        _("文件大小 %(size).1f MB，超过「%(m)s」的上限 %(limit).0f MB，请压缩后重新上传。")
        % {"size": size / (1024 * 1024), "m": material.name, "limit": limit_mb}
    )
