"""A real ``manyi serve`` (waitress, production settings, SQLite in a fresh data directory) with
two logged-in users and one application, for the tests that need real concurrent HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PORTS = range(8130, 8140)

SETUP = r"""
import json, django
django.setup()
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from decimal import Decimal
from manyi.web.accounts.models import PromotingBody, Role
from manyi.web.accounts.services import ProfileFigures, organisation_register, staff_user_create
from manyi.web.applications.services import application_create
from manyi.web.campaigns.services import campaign_create, campaign_open
import datetime

secretariat = staff_user_create(actor=None, username="mishu", password="Zq8-long-enough-pass",
    role=Role.SECRETARIAT, full_name="秘书处")
applicant = organisation_register(credit_code="91350100M000100Y43", name="福州测试制造有限公司",
    figures=ProfileFigures("34", employees=500, revenue=Decimal("30000"), assets=Decimal("20000")),
    username="applicant", password="Zq8-long-enough-pass", full_name="林测试",
    email="applicant@example.cn")
body = PromotingBody.objects.create(name="福建省质量管理协会", region="福建省")
campaign = campaign_open(actor=None, campaign=campaign_create(actor=None, year=2025,
    opens_on=datetime.date(2025, 3, 1), closes_on=datetime.date.today() + datetime.timedelta(90)))
application = application_create(actor=applicant, campaign=campaign, category="enterprise",
    level="four", kind="initial", promoting_body=body)
# An accepted application and a pool of experts, for concurrent automatic assignment.
from manyi.web.applications.models import Application
from manyi.web.review.services.experts import expert_create
accepted = application_create(actor=applicant, campaign=campaign, category="service",
    level="four", kind="initial", promoting_body=body, project_name="客服热线")
Application.objects.filter(pk=accepted.pk).update(state="accepted")
for n in range(6):
    expert_create(actor=secretariat, username=f"expert{n}", password="Zq8-long-enough-pass",
        full_name=f"专家{n}", categories=["service"], industries=["C"],
        organisation_name=f"某大学{n}", region="福建省")

def session_for(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

print(json.dumps({"secretariat": session_for(secretariat), "applicant": session_for(applicant),
    "application": application.pk, "accepted": accepted.pk}))
"""


@dataclass
class Served:
    url: str
    port: int
    env: dict[str, str]
    sessions: dict[str, str]
    application: int
    accepted: int
    process: subprocess.Popen

    def manyi(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "manyi.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("8130–8139 端口都被占用")


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stdout.read() if process.stdout else "server exited")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("manyi serve did not start")


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MANYI_", "DJANGO_", "DATABASE_URL", "PYTEST"))
    }
    return {
        **inherited,
        "MANYI_DATA_DIR": str(data_dir),
        "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "manyi.web.settings.production",
        "MANYI_SECRET_KEY": "s3cret-" * 10,
        "MANYI_AUDIT_KEY": "audit-key-" * 4,
        "MANYI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MANYI_TRUSTED_PROXY": "127.0.0.1",
        "MANYI_HSTS_SECONDS": "0",
        **extra,
    }


def start(data_dir: Path) -> Served:
    env = environment(data_dir)
    for step in (["manage", "migrate", "--noinput"], ["manage", "collectstatic", "--noinput"]):
        done = subprocess.run(
            [sys.executable, "-m", "manyi.cli", *step], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    setup = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, timeout=120
    )
    assert setup.returncode == 0, setup.stderr
    created = json.loads(setup.stdout.strip().splitlines()[-1])
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "manyi.cli", "serve", "--port", str(port), "--no-migrate"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _wait_for(port, process)
    return Served(
        url=f"http://127.0.0.1:{port}",
        port=port,
        env=env,
        sessions={"secretariat": created["secretariat"], "applicant": created["applicant"]},
        application=created["application"],
        accepted=created["accepted"],
        process=process,
    )


def stop(served: Served) -> None:
    served.process.terminate()
    try:
        served.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        served.process.kill()
