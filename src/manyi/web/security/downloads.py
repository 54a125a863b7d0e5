"""Sending a stored file after the caller checked permission: from Python, or handed to the web
server (X-Accel-Redirect for nginx, X-Sendfile for Apache/lighttpd) per ``MANYI_SENDFILE``."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

SENDFILE_MODES = ("", "x-accel-redirect", "x-sendfile")


def send_stored_file(
    stored: FieldFile, filename: str, *, as_attachment: bool = True
) -> HttpResponse:
    """The file's bytes as a download named ``filename``; the caller has checked and audited."""
    mode = getattr(settings, "MANYI_SENDFILE", "")
    if mode not in SENDFILE_MODES:
        raise ValueError(f"MANYI_SENDFILE 只能是 {', '.join(m or '空' for m in SENDFILE_MODES)}")
    if not mode or not isinstance(stored.storage, FileSystemStorage):
        return FileResponse(stored.open("rb"), as_attachment=as_attachment, filename=filename)
    response = HttpResponse(content_type=_content_type(filename))
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    if mode == "x-accel-redirect":
        prefix = settings.MANYI_SENDFILE_PREFIX.rstrip("/") + "/"
        response["X-Accel-Redirect"] = prefix + quote(stored.name)
    else:
        response["X-Sendfile"] = stored.path
    return response


def _content_type(filename: str) -> str:
    import mimetypes

    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def audit_download(request, *, target, filename: str, details: dict | None = None) -> None:
    """Record who downloaded which file (``file.download`` on ``target``)."""
    from manyi.web.audit.services import audit_record

    audit_record(
        actor=request.user,
        action="file.download",
        target=target,
        new_values={"file": filename, **(details or {})},
    )


def audited_download(
    request, *, stored: FieldFile, filename: str, target, details: dict | None = None
) -> HttpResponse:
    """Record the download, then send the file; the caller has checked that ``request.user``
    may see ``target``."""
    audit_download(request, target=target, filename=filename, details=details)
    return send_stored_file(stored, filename)
