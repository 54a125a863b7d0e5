"""A complete application of every category passes the check, is submitted and frozen."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from manyi.cli import main
from manyi.web.applications import services
from manyi.web.applications.documents import package_write
from manyi.web.applications.models import ApplicationState
from manyi.web.applications.precheck import run_precheck
from manyi.web.applications.samples import fill_complete, project_name_for

pytestmark = pytest.mark.django_db

LEVELS = {
    "enterprise": "four",
    "team": "three",
    "service": "five",
    "product": "four",
    "engineering": "three",
}


def make_application(applicant, campaign, body, category, level, skip=()):
    application = services.application_create(
        actor=applicant,
        campaign=campaign,
        category=category,
        level=level,
        kind="initial",
        promoting_body=body,
        project_name=project_name_for(category),
    )
    return fill_complete(application, applicant, skip=skip)


@pytest.mark.parametrize("category", list(LEVELS))
def test_a_complete_application_passes_the_check_and_is_submitted(
    category, applicant, open_campaign, promoting_body
):
    application = make_application(
        applicant, open_campaign, promoting_body, category, LEVELS[category]
    )
    report = run_precheck(application)
    assert [i.message for i in report.items if i.status == "fail"] == []
    version = services.application_submit(actor=applicant, application=application)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert version.number == 1
    assert all(len(f["sha256"]) == 64 for f in version.files)
    assert version.form_data == application.form_data
    assert not application.is_editable


def test_a_submitted_application_cannot_be_edited(applicant, open_campaign, promoting_body):
    from django.core.exceptions import PermissionDenied

    application = make_application(applicant, open_campaign, promoting_body, "enterprise", "three")
    services.application_submit(actor=applicant, application=application)
    with pytest.raises(PermissionDenied):
        services.application_save_form(
            actor=applicant, application=application, raw_values={"employees": "1"}
        )
    version = application.versions.get()
    with pytest.raises(ValueError):
        version.save()


def test_a_five_star_application_without_its_video_is_held_back(
    applicant, open_campaign, promoting_body, capsys
):
    application = make_application(
        applicant, open_campaign, promoting_body, "enterprise", "five", skip=("report_video",)
    )
    report = run_precheck(application)
    failing = [i for i in report.items if i.status == "fail"]
    assert [i.code for i in failing] == ["material.report_video"]
    assert "讲解视频" in failing[0].message
    assert main(["application", "check", str(application.pk), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["fail"] == 1
    assert {"code", "status", "message", "where", "source", "quote"} <= set(data["items"][0])


def test_the_package_binds_everything_in_order_with_bookmarks(
    applicant, open_campaign, promoting_body
):
    application = make_application(applicant, open_campaign, promoting_body, "product", "four")
    buffer = io.BytesIO()
    pages = package_write(application, buffer)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    assert len(reader.pages) == pages
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0].startswith("封面")
    assert any("实践报告" in t for t in titles)
    assert titles.index(next(t for t in titles if "承诺书" in t)) < titles.index(
        next(t for t in titles if "实践报告" in t)
    )


def test_application_list_command_prints_json_rows(
    applicant, open_campaign, promoting_body, capsys
):
    services.application_create(
        actor=applicant,
        campaign=open_campaign,
        category="product",
        level="four",
        kind="initial",
        promoting_body=promoting_body,
        project_name=project_name_for("product"),
    )
    assert main(["application", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["category"] == "product" and rows[0]["level"] == 4
    assert set(rows[0]) >= {"id", "organisation", "category", "level", "state"}


def test_package_build_command_writes_a_pdf(applicant, open_campaign, promoting_body, tmp_path):
    application = make_application(applicant, open_campaign, promoting_body, "team", "three")
    target = tmp_path / "package.pdf"
    assert main(["package", "build", str(application.pk), "-o", str(target)]) == 0
    assert target.read_bytes()[:5] == b"%PDF-"
