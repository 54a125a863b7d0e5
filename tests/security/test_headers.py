"""The CSP header, inline scripts with the per-request nonce, the proxy headers, safe defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

import manyi.web
from manyi.web.security.middleware import TrustedProxyMiddleware

pytestmark = pytest.mark.django_db
TEMPLATES = Path(manyi.web.__file__).parent / "templates"


def test_every_page_has_a_csp_with_a_fresh_nonce(client):
    first = client.get(reverse("accounts:register"))
    second = client.get(reverse("accounts:register"))
    policy = first["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'nonce="{nonce}"' in first.content.decode()
    assert nonce not in second["Content-Security-Policy"]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=str)
def test_inline_scripts_carry_the_nonce_and_no_inline_handlers_exist(template):
    text = template.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or 'nonce="{{ request.csp_nonce }}"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert "javascript:" not in text


def _request(address: str, **headers):
    request = RequestFactory().get("/", REMOTE_ADDR=address, **headers)
    return request


@override_settings(MANYI_TRUSTED_PROXY=["127.0.0.1", "10.1.0.0/16"])
def test_a_trusted_proxy_gives_the_client_address_and_scheme():
    seen = {}

    def view(request):
        seen.update(address=request.META["REMOTE_ADDR"], secure=request.is_secure())
        return None

    request = _request(
        "127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7, 10.1.2.3",
        HTTP_X_FORWARDED_PROTO="https",
    )
    TrustedProxyMiddleware(view)(request)
    assert seen == {"address": "203.0.113.7", "secure": True}


@override_settings(MANYI_TRUSTED_PROXY=["127.0.0.1"])
def test_forwarded_headers_from_anyone_else_are_dropped():
    seen = {}

    def view(request):
        seen.update(
            address=request.META["REMOTE_ADDR"],
            secure=request.is_secure(),
            forwarded="HTTP_X_FORWARDED_FOR" in request.META,
        )

    request = _request(
        "198.51.100.4", HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_X_FORWARDED_PROTO="https"
    )
    TrustedProxyMiddleware(view)(request)
    assert seen == {"address": "198.51.100.4", "secure": False, "forwarded": False}


def test_without_a_trusted_proxy_nothing_forwarded_is_believed():
    request = _request("127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    TrustedProxyMiddleware(lambda r: r.is_secure())(request)
    assert not request.is_secure()


def test_debug_is_off_unless_asked_for(monkeypatch):
    import importlib

    import manyi.web.settings.base as base

    monkeypatch.delenv("MANYI_DEBUG", raising=False)
    assert importlib.reload(base).DEBUG is False
    monkeypatch.setenv("MANYI_DEBUG", "true")
    assert importlib.reload(base).DEBUG is True
    monkeypatch.delenv("MANYI_DEBUG")
    importlib.reload(base)


def test_sqlite_waits_for_the_write_lock_instead_of_failing(settings):
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        pytest.skip("SQLite options")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 20
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


@override_settings(ROOT_URLCONF="tests.security.urls_failing", DEBUG=False)
def test_a_server_error_is_the_friendly_chinese_500_page(client):
    client.raise_request_exception = False
    response = client.get("/fails/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统暂时出错" in page and "RuntimeError" not in page and "Traceback" not in page


def test_a_missing_page_does_not_list_the_url_patterns(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "URLconf" not in page
