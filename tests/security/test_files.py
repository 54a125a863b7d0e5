"""Files leave only through permission-checked, audited views; stored names are random."""

from __future__ import annotations

import importlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import clear_url_caches, reverse

from manyi.web.audit.models import AuditEntry
from manyi.web.security.storage import random_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_there_is_no_media_route_in_any_setting(client, settings, stored_file, debug):
    settings.DEBUG = debug
    import manyi.web.urls

    importlib.reload(manyi.web.urls)
    clear_url_caches()
    for url in (f"/media/{stored_file.file.name}", "/media/survey-reports/测评报告.pdf"):
        assert client.get(url).status_code == 404


def test_stored_files_have_no_public_url(stored_file):
    with pytest.raises(ValueError):
        stored_file.file.url  # noqa: B018


def test_stored_names_are_random_and_keep_only_the_folder_and_suffix():
    first = default_storage.save("survey-reports/测评报告.pdf", ContentFile(b"%PDF-1.4"))
    second = default_storage.save("survey-reports/测评报告.pdf", ContentFile(b"%PDF-1.4"))
    for name in (first, second):
        assert re.fullmatch(r"survey-reports/[0-9a-f]{32}\.pdf", name), name
    assert first != second


def test_a_suffix_that_is_not_plain_is_dropped():
    assert re.fullmatch(r"x/[0-9a-f]{32}", random_name("x/a.p d\nf"))


def test_an_anonymous_download_is_sent_to_the_login_page(client, stored_file):
    response = client.get(reverse("applications:file", args=[stored_file.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not AuditEntry.objects.filter(action="file.download").exists()


def test_nginx_can_send_the_bytes_after_the_check(client, settings, applicant, stored_file):
    settings.MANYI_SENDFILE = "x-accel-redirect"
    settings.MANYI_SENDFILE_PREFIX = "/protected-files/"
    client.force_login(applicant)
    response = client.get(reverse("applications:file", args=[stored_file.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-files/{stored_file.file.name}"
    assert response.content == b""
    assert "attachment" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="file.download", actor=applicant).exists()


def test_apache_can_send_the_bytes_after_the_check(client, settings, applicant, stored_file):
    settings.MANYI_SENDFILE = "x-sendfile"
    client.force_login(applicant)
    response = client.get(reverse("applications:file", args=[stored_file.pk]))
    assert response["X-Sendfile"] == stored_file.file.path


def test_without_sendfile_python_sends_the_bytes(client, applicant, stored_file):
    client.force_login(applicant)
    response = client.get(reverse("applications:file", args=[stored_file.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
