"""The survey analysis runs in a real Celery worker through the Redis broker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from manyi.measurement.samples import sample_survey
from manyi.web.celery import app as celery_app
from manyi.web.surveys.models import AnalysisStatus, SurveyAnalysis
from tests.conftest import create_application, upload

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("MANYI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _forget_connections() -> None:
    """Earlier tests may have opened the in-memory broker; make the app reconnect."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def worker_queue():
    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("Redis 未在 127.0.0.1:6379 运行，CI 需要它。")
        pytest.skip("Redis 未运行")
    queue = f"manyi-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "manyi.web.settings.test",
        "MANYI_DATA_DIR": str(settings.DATA_DIR),
        "DATABASE_URL": _test_database_url(),
        "MANYI_BROKER_URL": REDIS_URL,
        "MANYI_SURVEY_RESAMPLES": "200",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "manyi.web.celery",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = {
        key: getattr(celery_app.conf, key)
        for key in ("task_always_eager", "broker_url", "task_default_queue")
    }
    celery_app.conf.update(task_always_eager=False, broker_url=REDIS_URL, task_default_queue=queue)
    _forget_connections()
    try:
        yield worker
    finally:
        celery_app.conf.update(previous)
        _forget_connections()
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_the_analysis_is_done_by_a_worker_process(
    worker_queue, applicant, open_campaign, promoting_body
):
    application = create_application(applicant, open_campaign, promoting_body)
    upload(
        application, applicant, "survey_database", "数据.xlsx", sample_survey(100, seed=9).database
    )
    deadline = time.monotonic() + 180
    analysis = SurveyAnalysis.objects.get(application=application)
    while time.monotonic() < deadline:
        analysis.refresh_from_db()
        if analysis.status in (AnalysisStatus.DONE, AnalysisStatus.FAILED):
            break
        assert worker_queue.poll() is None, worker_queue.stdout.read()
        time.sleep(0.5)
    if analysis.status != AnalysisStatus.DONE:
        worker_queue.terminate()
        log = worker_queue.communicate(timeout=20)[0]
        pytest.fail(f"状态 {analysis.status}，{analysis.error}\n{log[-3000:]}")
    assert 0 < analysis.recomputed_index < 100
    assert analysis.index_low is not None and analysis.index_low <= analysis.recomputed_index
    assert [f["used"] for f in analysis.details["files"]] == [True]
