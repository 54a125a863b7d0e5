"""Checking an uploaded file by content before it is stored (engines: files, practice_report)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from manyi import files as file_engine
from manyi.practice_report import ReportReadError, check_report
from manyi.rules.model import Material, Scheme
from manyi.verdict import Finding
from manyi.web.applications.models import Application


class UploadRefused(ValueError):
    """The file is not stored; the message says why in one sentence, and what to do."""


@dataclass(frozen=True)
class CheckedUpload:
    info: Any
    findings: list[dict[str, str]]  # manyi.verdict.Finding.to_dict() of each finding


def check_upload(
    application: Application, scheme: Scheme, material: Material, data: bytes, filename: str
) -> CheckedUpload:
    """Inspect ``data``; refuse it (UploadRefused) when any per-file rule fails."""
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
        findings.extend(_report_findings(application, scheme, data, filename))
    return CheckedUpload(info, findings)


def _report_findings(
    application: Application, scheme: Scheme, data: bytes, filename: str
) -> list[dict]:
    try:
        result = check_report(
            data,
            filename,
            application.category,
            organisation_name=application.organisation.name,
            scheme=scheme,
        )
    except ReportReadError as exc:
        raise UploadRefused(str(exc)) from exc
    return [
        Finding(
            f"report.{f.code}",
            "fail" if f.severity == "fail" else "warn",
            f.message,
            where=_location_text(f.location),
            fix=f.hint or "",
            source="seed" if f.severity == "fail" else "advice",
            quote="；".join(scheme.report_format.sources) if f.severity == "fail" else "",
            reason="" if f.severity == "fail" else "实践报告检查器的提示",
        ).to_dict()
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
