"""How large a request body may be: the largest material limit of any packaged scheme plus a
margin for the other form fields and the multipart framing, unless configured."""

from __future__ import annotations

from functools import cache

from django.conf import settings

MARGIN_BYTES = 4 * 1024 * 1024


@cache
def largest_material_bytes() -> int:
    from manyi.rules.loader import available_years, load_scheme

    return max(
        material.max_size_bytes
        for year in available_years()
        for material in load_scheme(year).materials
    )


def request_body_limit() -> int:
    configured = int(getattr(settings, "MANYI_MAX_REQUEST_BYTES", 0) or 0)
    return configured or largest_material_bytes() + MARGIN_BYTES
