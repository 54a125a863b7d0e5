"""An application with one stored file, for the download and upload tests."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from manyi.documents import samples
from manyi.web.applications import services
from tests.web.conftest import applicant  # noqa: F401  (the registered applicant)


@pytest.fixture
def application(applicant, open_campaign, promoting_body):  # noqa: F811
    return services.application_create(
        actor=applicant,
        campaign=open_campaign,
        category="enterprise",
        level="four",
        kind="initial",
        promoting_body=promoting_body,
    )


@pytest.fixture
def stored_file(application, applicant):  # noqa: F811
    return services.material_upload(
        actor=applicant,
        application=application,
        material_key="cover",
        uploaded=SimpleUploadedFile("封面.pdf", samples.sample_pdf(1)),
    )
