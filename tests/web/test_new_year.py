"""A new campaign year is a data file: a 2026 scheme with a renamed heading, a changed limit and a
new field runs an application through the web flow without a change of code."""

from __future__ import annotations

import datetime
from importlib import resources
from pathlib import Path

import pytest
from django.urls import reverse

from manyi.documents import samples
from manyi.practice_report import render_report_pdf
from manyi.rules import clear_scheme_cache, load_scheme
from manyi.web.applications import services
from manyi.web.applications.precheck import run_precheck
from manyi.web.applications.samples import fill_complete
from manyi.web.applications.uploads import UploadRefused
from manyi.web.campaigns.services import campaign_create, campaign_open
from tests.conftest import upload

pytestmark = pytest.mark.django_db

NEW_FIELD = """
[[form.sections.fields]]
key = "digital_channels"
label = "数字化服务渠道"
type = "text"

"""


def scheme_2026() -> str:
    text = resources.files("manyi.rules").joinpath("schemes/2025.toml").read_text("utf-8")
    changes = [
        ("year = 2025", "year = 2026"),
        ("data_year = 2024", "data_year = 2025"),
        ('title = "满意理念"', 'title = "经营哲学与价值观"'),  # the enterprise outline's first
        ("max_pages = 15", "max_pages = 10"),
        ("# --- 班组类", NEW_FIELD + "# --- 班组类"),
    ]
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


@pytest.fixture
def campaign_2026(tmp_path: Path, monkeypatch):
    folder = tmp_path / "schemes"
    folder.mkdir()
    (folder / "2026.toml").write_text(scheme_2026(), encoding="utf-8")
    monkeypatch.setenv("MANYI_SCHEME_DIR", str(folder))
    clear_scheme_cache()
    today = datetime.date.today()
    campaign = campaign_create(
        actor=None,
        year=2026,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=90),
    )
    yield campaign_open(actor=None, campaign=campaign)
    clear_scheme_cache()


@pytest.fixture
def application(applicant, campaign_2026, promoting_body):
    return services.application_create(
        actor=applicant,
        campaign=campaign_2026,
        category="enterprise",
        level="four",
        kind="initial",
        promoting_body=promoting_body,
        project_name="",
    )


def test_the_new_years_form_shows_its_new_field(client, applicant, application):
    client.force_login(applicant)
    page = client.get(reverse("applications:form", args=[application.pk])).content.decode()
    assert "数字化服务渠道" in page
    missing = [i for i in run_precheck(application).items if i.where == "form.digital_channels"]
    assert [i.status for i in missing] == ["fail"]


def test_a_complete_2026_application_passes_its_own_rules_and_is_submitted(applicant, application):
    application = fill_complete(application, applicant)
    report = run_precheck(application)
    assert [i.message for i in report.items if i.status == "fail"] == []
    version = services.application_submit(actor=applicant, application=application)
    assert version.number == 1


def test_uploads_are_checked_against_the_new_years_limit(applicant, application):
    with pytest.raises(UploadRefused, match="10 页"):
        upload(application, applicant, "report_ppt", "汇报.pptx", samples.sample_pptx(12))
    assert upload(application, applicant, "report_ppt", "汇报.pptx", samples.sample_pptx(10))


def test_a_report_is_checked_against_the_new_years_outline(applicant, application):
    name = application.organisation.name
    filename = f"用户满意经营实践报告+{name}+企业类.pdf"
    old = render_report_pdf("enterprise", organisation_name=name, scheme=load_scheme(2025))
    stored = upload(application, applicant, "practice_report", filename, old)
    messages = " ".join(f["message"] for f in stored.findings)
    assert "经营哲学与价值观" in messages  # the 2025 report lacks the renamed heading

    new = render_report_pdf("enterprise", organisation_name=name, scheme=load_scheme(2026))
    stored = upload(application, applicant, "practice_report", filename, new)
    assert "经营哲学与价值观" not in " ".join(f["message"] for f in stored.findings)
