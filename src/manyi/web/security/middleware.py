"""Middleware: trusted proxy headers, the request-size cap, the CSP header and rate limits."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from manyi.web.security import throttle
from manyi.web.security.limits import request_body_limit

GetResponse = Callable[[HttpRequest], HttpResponse]
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
)


def _networks(addresses: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(address.strip(), strict=False) for address in addresses]


class TrustedProxyMiddleware:
    """Believe X-Forwarded-For/-Proto only from the peers in ``MANYI_TRUSTED_PROXY``.

    From a trusted peer, the client address becomes the right-most forwarded address that is not
    itself a trusted proxy, and the scheme becomes the forwarded one (so HTTPS redirects settle).
    From anyone else the forwarded headers are dropped: a client cannot claim another address.
    """

    def __init__(self, get_response: GetResponse):
        self.get_response = get_response
        self.proxies = _networks(getattr(settings, "MANYI_TRUSTED_PROXY", []))

    def _is_proxy(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if self.proxies and self._is_proxy(meta.get("REMOTE_ADDR", "")):
            forwarded = [a.strip() for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            client = next((a for a in reversed(forwarded) if a and not self._is_proxy(a)), None)
            if client:
                meta["REMOTE_ADDR"] = client
            proto = meta.get("HTTP_X_FORWARDED_PROTO", "").split(",")[0].strip().lower()
            if proto in ("http", "https"):
                meta["wsgi.url_scheme"] = proto
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a body larger than the upload limit from its Content-Length, before reading it."""

    def __init__(self, get_response: GetResponse):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = request_body_limit()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            # Before sessions and users: a page that needs neither.
            page = render_to_string(
                "security/too_large.html",
                {"limit_mb": limit // (1024 * 1024), "size_mb": length // (1024 * 1024)},
            )
            return HttpResponse(page, status=413)
        return self.get_response(request)


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class ContentSecurityPolicyMiddleware:
    """A CSP header on every response; inline scripts carry ``nonce="{{ request.csp_nonce }}"``."""

    def __init__(self, get_response: GetResponse):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy(request.csp_nonce)
        )
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


class RateLimitMiddleware:
    """``MANYI_RATE_LIMITS``: per URL name, how many requests one address may make per window."""

    def __init__(self, get_response: GetResponse):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        match = request.resolver_match
        rule = getattr(settings, "MANYI_RATE_LIMITS", {}).get(match.view_name if match else "")
        if rule is None:
            return None
        method, limit, window = rule
        if request.method != method:
            return None
        client = request.META.get("REMOTE_ADDR", "")
        if throttle.allow(match.view_name, client, limit=limit, window_seconds=window):
            return None
        minutes = max(1, window // 60)
        response = render(request, "security/too_many.html", {"minutes": minutes}, status=429)
        response["Retry-After"] = str(window)
        return response
