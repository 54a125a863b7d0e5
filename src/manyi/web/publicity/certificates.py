"""Certificate numbers, validity dates, public URLs, the QR code and the PDF."""

from __future__ import annotations

import datetime
import io
import re
from base64 import b64encode

import segno
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from manyi.documents.render import chinese_date, html_to_pdf
from manyi.rules.model import Scheme
from manyi.web.core.links import public_url
from manyi.web.publicity.models import Certificate

NUMBER_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,49}$")
QR_SCALE = 8  # pixels per module: sharp at print size without relying on viewer interpolation
QR_BORDER = 2


def category_code(scheme: Scheme, category: str) -> str:
    """A category's two-digit code: its position in the scheme's list (企业类 → 01)."""
    keys = [c.key for c in scheme.categories]
    return f"{keys.index(category) + 1:02d}"


def certificate_number(scheme: Scheme, year: int, category: str, sequence: int) -> str:
    """E.g. ``YHMY-2025-01-0001``: prefix, campaign year, category code, sequence."""
    prefix = scheme.publicity.certificate_number_prefix
    return f"{prefix}-{year}-{category_code(scheme, category)}-{sequence:04d}"


def normalise_number(raw: str) -> str | None:
    """What a person typed as a certificate number, or None when it cannot be one."""
    number = re.sub(r"\s+", "", raw or "").upper()
    return number if NUMBER_PATTERN.match(number) else None


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def verification_url(number: str, request: HttpRequest | None = None) -> str:
    return public_url(reverse("publicity:certificate_verify", args=[number]), request)


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(
        buffer, kind="png", scale=QR_SCALE, border=QR_BORDER
    )
    return buffer.getvalue()


def qr_data_uri(text: str) -> str:
    return "data:image/png;base64," + b64encode(qr_png(text)).decode("ascii")


def certificate_html(certificate: Certificate, url: str) -> str:
    return render_to_string(
        "publicity/certificate_pdf.html",
        {
            "certificate": certificate,
            "campaign_title": certificate.campaign.title,
            "issued_on": chinese_date(certificate.issued_on),
            "valid_until": chinese_date(certificate.valid_until),
            "verification_url": url,
            "qr": qr_data_uri(url),
        },
    )


def certificate_pdf(certificate: Certificate, request: HttpRequest | None = None) -> bytes:
    """The printable certificate: Chinese text (extractable) and a QR code to verify it."""
    return html_to_pdf(certificate_html(certificate, verification_url(certificate.number, request)))


def certificate_filename(certificate: Certificate) -> str:
    return f"证书-{certificate.number}-{certificate.organisation_name}.pdf"
