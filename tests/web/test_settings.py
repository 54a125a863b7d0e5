"""Settings: one data directory per instance, production settings pass the deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from manyi.web.paths import data_dir, default_data_dir


def _run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_data_directory_defaults_under_the_users_data_home(monkeypatch, tmp_path):
    monkeypatch.delenv("MANYI_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert data_dir() == tmp_path / "manyi"
    assert default_data_dir() == tmp_path / "manyi"


def test_all_local_state_lives_in_the_data_directory(tmp_path):
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['NAME']);print(settings.MEDIA_ROOT);"
        "print(settings.STATIC_ROOT)"
    )
    env = {
        "MANYI_DATA_DIR": str(tmp_path / "one"),
        "DJANGO_SETTINGS_MODULE": "manyi.web.settings.base",
        "DATABASE_URL": "",
    }
    result = _run_python("import django;django.setup();" + code, env)
    assert result.returncode == 0, result.stderr
    for line in result.stdout.split():
        assert Path(line).is_relative_to(tmp_path / "one")
    assert (tmp_path / "one" / "secret_key").exists()


def test_database_url_switches_to_postgresql(tmp_path):
    code = (
        "import django;django.setup();from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'])"
    )
    env = {
        "MANYI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "manyi.web.settings.base",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/manyi",
    }
    result = _run_python(code, env)
    assert result.stdout.strip() == "django.db.backends.postgresql"


def _production(tmp_path: Path, **overrides: str) -> dict[str, str]:
    return {
        "MANYI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "manyi.web.settings.production",
        "MANYI_SECRET_KEY": "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz!@#$%^&*",
        "MANYI_AUDIT_KEY": "a" * 16 + "0123456789abcdefghij",
        "MANYI_ALLOWED_HOSTS": "manyi.example.cn",
        "DATABASE_URL": "",
        **overrides,
    }


def test_production_settings_pass_the_deploy_check(tmp_path):
    code = (
        "import django;django.setup();from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = _run_python(code, _production(tmp_path))
    assert result.returncode == 0, result.stderr


def test_manyi_manage_check_deploy_is_clean(tmp_path):
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "manyi.cli",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env={**inherited, **_production(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_keeps_no_audit_key_file_beside_the_data(tmp_path):
    code = (
        "import django;django.setup();from django.conf import settings;"
        "print(repr(settings.MANYI_AUDIT_KEY_FILE))"
    )
    result = _run_python(code, _production(tmp_path))
    assert result.stdout.strip() == "''"
    assert not (tmp_path / "audit_key").exists()


@pytest.mark.parametrize("missing", ["MANYI_SECRET_KEY", "MANYI_ALLOWED_HOSTS", "MANYI_AUDIT_KEY"])
def test_production_settings_refuse_to_start_without_secrets(tmp_path, missing):
    env = {**_production(tmp_path), "MANYI_SECRET_KEY": "s" * 60, missing: ""}
    result = _run_python("import django;django.setup()", env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_the_ui_speaks_chinese_in_shanghai_time(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_an_english_browser_still_gets_a_chinese_login_page(client):
    response = client.post(
        "/accounts/login/", {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" not in html and "Username" not in html
    assert "这个字段是必填项" in html and "用户名" in html
