"""Absolute links for notices, QR codes and anything read outside the browser."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """An absolute URL: ``MANYI_PUBLIC_BASE_URL`` when set, else the request's host."""
    base = getattr(settings, "MANYI_PUBLIC_BASE_URL", "")
    if base:
        return base.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return DEFAULT_PUBLIC_BASE_URL + path
