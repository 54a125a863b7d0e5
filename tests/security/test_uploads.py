"""Request bodies are capped before they are read; large uploads are inspected from their
temporary file, never read whole into memory."""

from __future__ import annotations

import struct
import tracemalloc

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from manyi.rules import load_scheme
from manyi.web.applications import services
from manyi.web.security.limits import MARGIN_BYTES, largest_material_bytes, request_body_limit
from manyi.web.security.middleware import RequestSizeLimitMiddleware

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class Unreadable:
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_the_cap_is_the_largest_material_limit_plus_a_margin():
    largest = max(m.max_size_bytes for m in load_scheme(2025).materials)
    assert largest_material_bytes() == largest
    assert request_body_limit() == largest + MARGIN_BYTES


def test_the_cap_can_be_configured(settings):
    settings.MANYI_MAX_REQUEST_BYTES = 10 * MB
    assert request_body_limit() == 10 * MB


def test_a_body_over_the_cap_is_refused_from_its_length_without_being_read():
    request = RequestFactory().post("/applications/1/materials/x/upload/")
    request.META["CONTENT_LENGTH"] = str(200 * MB)
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()
    response = RequestSizeLimitMiddleware(lambda r: HttpResponse("reached"))(request)
    assert response.status_code == 413
    page = response.content.decode()
    assert "200 MB" in page and f"{request_body_limit() // MB} MB" in page


def test_a_body_under_the_cap_goes_through():
    request = RequestFactory().post("/x/", data={"a": "b"})
    response = RequestSizeLimitMiddleware(lambda r: HttpResponse("reached"))(request)
    assert response.content == b"reached"


def test_the_client_gets_413_for_an_oversized_upload(client, applicant):
    client.force_login(applicant)
    response = client.generic(
        "POST", reverse("accounts:login"), data=b"x", CONTENT_LENGTH=str(300 * MB)
    )
    assert response.status_code == 413


def _large_mp4(path, seconds: float, size: int) -> None:
    """ftyp, moov/mvhd, then an mdat of zeros up to ``size`` bytes, written in chunks."""
    mvhd_body = struct.pack(">B3xIIII", 0, 0, 0, 1000, int(seconds * 1000)) + b"\0" * 80
    mvhd = struct.pack(">I4s", len(mvhd_body) + 8, b"mvhd") + mvhd_body
    head = struct.pack(">I4s", 24, b"ftyp") + b"isom\0\0\x02\0isomiso2"
    head += struct.pack(">I4s", len(mvhd) + 8, b"moov") + mvhd
    with open(path, "wb") as handle:
        handle.write(head)
        handle.write(struct.pack(">I4s", size - len(head), b"mdat"))
        remaining = size - len(head) - 8
        chunk = b"\0" * MB
        while remaining > 0:
            handle.write(chunk[: min(MB, remaining)])
            remaining -= MB


def test_a_large_upload_is_checked_and_stored_without_being_read_into_memory(
    applicant, open_campaign, promoting_body
):
    application = services.application_create(
        actor=applicant,
        campaign=open_campaign,
        category="enterprise",
        level="five",
        kind="initial",
        promoting_body=promoting_body,
    )
    size = 25 * MB
    upload = TemporaryUploadedFile("讲解视频.mp4", "video/mp4", size, None)
    _large_mp4(upload.temporary_file_path(), 600, size)
    upload.size = size
    tracemalloc.start()
    try:
        stored = services.material_upload(
            actor=applicant, application=application, material_key="report_video", uploaded=upload
        )
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload.close()  # as Django does after the request (the file was moved into storage)
    assert stored.size == size and stored.facts["duration_seconds"] == 600
    assert peak < 8 * MB, f"peak {peak / MB:.1f} MB"
    with stored.file.open("rb") as handle:
        assert handle.read(8)[4:] == b"ftyp"
