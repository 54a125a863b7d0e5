"""Login lockout after repeated failures, rate limits on the public forms, superuser-only admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from manyi.web.accounts.models import User

pytestmark = pytest.mark.django_db


def _login(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_the_right_password_is_refused_after_repeated_failures(client, settings, secretariat):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "mishu", "wrong-password").status_code == 200
    assert _login(client, "mishu", "wrong-password").status_code == 429
    response = _login(client, "mishu", "Zq8-long-enough-pass")
    page = response.content.decode()
    assert response.status_code == 429
    assert "登录已锁定 15 分钟" in page and "连续 5 次密码错误" in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_account_and_address(client, settings, secretariat):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "mishu", "wrong-password")
    response = _login(client, "mishu", "Zq8-long-enough-pass", address="10.0.0.2")
    assert response.status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, settings, secretariat):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "mishu", "wrong-password")
    assert _login(client, "mishu", "Zq8-long-enough-pass").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "mishu", "wrong-password")
    assert _login(client, "mishu", "Zq8-long-enough-pass").status_code == 302


def test_objections_are_rate_limited_per_address(client, settings):
    _method, limit, _window = settings.MANYI_RATE_LIMITS["publicity:objection"]
    url = reverse("publicity:objection", args=[999])
    for _ in range(limit):
        assert client.post(url, REMOTE_ADDR="10.0.0.9").status_code == 404
    response = client.post(url, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "提交了太多次请求" in response.content.decode()
    assert client.post(url, REMOTE_ADDR="10.0.0.10").status_code == 404
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 404  # reading is not limited


def test_certificate_lookups_are_rate_limited(client, settings):
    _method, limit, _window = settings.MANYI_RATE_LIMITS["publicity:certificate_verify"]
    url = reverse("publicity:certificate_verify", args=["NOPE-1"])
    statuses = [client.get(url).status_code for _ in range(limit + 1)]
    assert statuses[:-1] == [404] * limit and statuses[-1] == 429


def test_the_admin_is_closed_to_staff_accounts(client, secretariat):
    assert secretariat.is_staff and not secretariat.is_superuser
    client.force_login(secretariat)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_admin_is_open_to_superusers(client):
    root = User.objects.create_superuser("root", "root@example.cn", "Zq8-long-enough-pass")
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
