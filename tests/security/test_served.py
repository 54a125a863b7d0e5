"""Against a real ``manyi serve`` (production settings, SQLite): no 500 under 24 concurrent
clients, debug off, bodies capped before they are received, the proxy's scheme believed."""

from __future__ import annotations

import http.client
import os
import socket
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.security import served as server

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the served instance is the SQLite default; PostgreSQL runs the other concurrency tests",
)

CLIENTS = 24
REQUESTS_PER_CLIENT = 10


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    running = server.start(tmp_path_factory.mktemp("served"))
    yield running
    server.stop(running)


def get(instance, path: str, *, session: str | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=60)
    all_headers = {"X-Forwarded-Proto": "https", **(headers or {})}
    if session:
        all_headers["Cookie"] = f"sessionid={session}"
    connection.request("GET", path, headers=all_headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_24_concurrent_clients_get_no_server_error_and_the_chain_holds(instance):
    paths = [
        f"/applications/{instance.application}/",
        f"/applications/{instance.application}/materials/",
        "/applications/",
        "/review/formal/",
    ]

    def client(number: int) -> list[int]:
        session = instance.sessions["secretariat" if number % 3 else "applicant"]
        statuses = []
        for n in range(REQUESTS_PER_CLIENT):
            path = paths[(number + n) % len(paths)]
            response, _body = get(instance, path, session=session)
            statuses.append(response.status)
        return statuses

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = Counter(s for result in pool.map(client, range(CLIENTS)) for s in result)
    assert sum(statuses.values()) == CLIENTS * REQUESTS_PER_CLIENT
    assert not [s for s in statuses if s >= 500], statuses
    assert set(statuses) <= {200, 403}, statuses  # the applicant may not see the review queue
    assert statuses[200] > CLIENTS * REQUESTS_PER_CLIENT // 2
    verify = instance.manyi("audit", "verify")
    assert verify.returncode == 0, verify.stderr


def _csrf(instance, path: str, session: str) -> str:
    response, _body = get(instance, path, session=session)
    cookie = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
    return cookie.split(";")[0].split("=", 1)[1]


def test_concurrent_automatic_assignments_give_no_server_error_and_no_double_assignment(
    instance,
):
    session = instance.sessions["secretariat"]
    page = f"/review/applications/{instance.accepted}/experts/"
    token = _csrf(instance, page, session)

    def assign(_n: int) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=60)
        connection.request(
            "POST",
            f"/review/applications/{instance.accepted}/experts/auto/",
            headers={
                "X-Forwarded-Proto": "https",
                "Cookie": f"sessionid={session}; csrftoken={token}",
                "X-CSRFToken": token,
                "Referer": f"https://127.0.0.1:{instance.port}{page}",
            },
        )
        status = connection.getresponse().status
        connection.close()
        return status

    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = list(pool.map(assign, range(5)))
    assert statuses == [302] * 5, statuses
    count = instance.manyi(
        "manage",
        "shell",
        "-c",
        "from manyi.web.review.models import ExpertAssignment as A;"
        f"ids=list(A.objects.filter(application={instance.accepted}).values_list('expert',flat=True));"
        "print(len(ids), len(set(ids)))",
    )
    assigned, distinct = map(int, count.stdout.strip().splitlines()[-1].split())
    assert assigned == distinct and assigned > 0


def test_a_missing_page_is_the_friendly_chinese_404_without_debug_details(instance):
    response, body = get(instance, "/no-such-page/")
    page = body.decode()
    assert response.status == 404
    assert "页面不存在" in page
    assert "URLconf" not in page and "Traceback" not in page


def test_the_csp_header_is_on_every_page(instance):
    response, _body = get(instance, "/")
    assert "script-src 'self' 'nonce-" in response.getheader("Content-Security-Policy")


def test_plain_http_without_the_proxy_header_is_redirected_to_https(instance):
    response, _body = get(instance, "/", headers={"X-Forwarded-Proto": "http"})
    assert response.status == 301 and response.getheader("Location").startswith("https://")


def test_the_trusted_proxys_https_header_is_believed_without_a_redirect_loop(instance):
    response, body = get(instance, "/")
    assert response.status == 200, body[:300]


def test_an_oversized_body_is_refused_from_its_length_before_it_is_sent(instance):
    with socket.create_connection(("127.0.0.1", instance.port), timeout=30) as raw:
        raw.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"X-Forwarded-Proto: https\r\nContent-Type: application/octet-stream\r\n"
            + f"Content-Length: {200 * 1024 * 1024}\r\n\r\n".encode()
        )
        raw.sendall(b"x" * 1024)  # a little of the 200 MB; the answer comes anyway
        answer = raw.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")
