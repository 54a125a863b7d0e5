"""Deeply nested codebooks and scheme files give a clear message in the web and the CLI."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from manyi import cli
from manyi.measurement.samples import sample_survey
from tests.conftest import create_application, upload

DEEP = ("a = " + "[" * 100_000).encode()


@pytest.fixture
def deep_toml(tmp_path):
    path = tmp_path / "嵌套.toml"
    path.write_bytes(DEEP)
    return path


def test_a_deep_scheme_file_is_a_clear_error_in_the_cli(deep_toml, capsys):
    code = cli.main(["scheme", "check", str(deep_toml)])
    captured = capsys.readouterr()
    assert code != 0
    assert "嵌套层次过深" in captured.out + captured.err
    assert "Traceback" not in captured.err


def test_a_deep_codebook_is_a_clear_error_in_the_cli(deep_toml, tmp_path, capsys):
    data = tmp_path / "数据.xlsx"
    data.write_bytes(sample_survey(60).database)
    code = cli.main(["survey", "check", str(data), "--codebook", str(deep_toml), "--json"])
    error = json.loads(capsys.readouterr().out)
    assert code != 0 and "嵌套层次过深" in json.dumps(error, ensure_ascii=False)


@pytest.mark.django_db
def test_a_deep_codebook_uploaded_on_the_web_is_refused_with_a_message(
    client, applicant, open_campaign, promoting_body
):
    application = create_application(applicant, open_campaign, promoting_body)
    upload(application, applicant, "survey_database", "数据.xlsx", sample_survey(60).database)
    client.force_login(applicant)
    response = client.post(
        reverse("surveys:start", args=[application.pk]),
        {"codebook": SimpleUploadedFile("码本.toml", DEEP)},
        follow=True,
    )
    assert response.status_code == 200
    assert "嵌套层次过深" in response.content.decode()
