"""Reviewers see what changed between two submitted versions: fields and files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from manyi.documents.samples import sample_pdf
from manyi.web.applications import services as application_services
from manyi.web.applications.models import ApplicationState as S
from manyi.web.applications.models import SubmittedVersion
from manyi.web.review import services
from manyi.web.review.diff import version_diff

pytestmark = pytest.mark.django_db

SHA = {name: name * 64 for name in "abcdef"}


def version(application, number, form_data, files, **meta):
    return SubmittedVersion.objects.create(
        application=application,
        number=number,
        submitted_by=application.created_by,
        meta={"category": "enterprise", "level": "three", **meta},
        form_data=form_data,
        files=[{"material": m, "name": n, "sha256": SHA[h], "size": 1} for m, n, h in files],
    )


@pytest.fixture
def draft(make_in_state, applicant):
    return make_in_state(applicant, S.DRAFT)


def test_changed_fields_show_old_and_new_value_per_label(draft):
    old = version(draft, 1, {"contact_name": "林一", "employees": "120", "gone": "x"}, [])
    new = version(draft, 2, {"contact_name": "王二", "employees": "120", "main_products": "泵"}, [])
    diff = version_diff(old, new)
    changes = {c.key: (c.label, c.old, c.new) for c in diff.fields}
    assert changes == {
        "contact_name": ("联系人", "林一", "王二"),
        "main_products": ("主要的产品/服务", "", "泵"),
        "gone": ("gone", "x", ""),
    }


def test_list_values_read_as_one_line(draft):
    old = version(draft, 1, {"quality_characteristics": ["可靠", "安全"]}, [])
    new = version(draft, 2, {"quality_characteristics": ["可靠", "节能"]}, [])
    [change] = version_diff(old, new).fields
    assert (change.old, change.new) == ("可靠；安全", "可靠；节能")


def test_files_are_compared_by_sha256(draft):
    old = version(
        draft, 1, {},
        [("business_licence", "执照.pdf", "a"), ("questionnaire", "问卷.pdf", "b"),
         ("other_proofs", "证明1.pdf", "c"), ("enterprise_awards", "奖项.pdf", "d")],
    )  # fmt: skip
    new = version(
        draft, 2, {},
        [("business_licence", "执照-新.pdf", "e"), ("questionnaire", "问卷（改名）.pdf", "b"),
         ("enterprise_awards", "奖项.pdf", "d"), ("enterprise_awards", "新奖项.pdf", "f")],
    )  # fmt: skip
    changes = {(c.material, c.status): c for c in version_diff(old, new).files}
    assert set(changes) == {
        ("business_licence", "changed"),
        ("other_proofs", "removed"),
        ("enterprise_awards", "added"),
    }
    licence = changes["business_licence", "changed"]
    assert (licence.old_name, licence.name) == ("执照.pdf", "执照-新.pdf")
    assert (licence.old_sha256, licence.new_sha256) == (SHA["a"], SHA["e"])
    assert changes["enterprise_awards", "added"].name == "新奖项.pdf"
    assert changes["other_proofs", "removed"].material_name == "其他证实性材料"


def test_identical_versions_have_no_changes(draft):
    files = [("business_licence", "执照.pdf", "a")]
    assert version_diff(
        version(draft, 1, {"x": 1}, files), version(draft, 2, {"x": 1}, files)
    ).is_empty


def test_the_reviewer_sees_the_changes_of_a_resubmission(
    client, submitted, promoter, secretariat, applicant
):
    services.application_recommend(actor=promoter, application=submitted, opinion="同意。")
    services.finding_add(
        actor=secretariat,
        application=submitted,
        target_kind="material",
        target_key="business_licence",
        text="营业执照不清晰。",
    )
    services.application_return_for_revision(actor=secretariat, application=submitted)
    application_services.application_save_form(
        actor=applicant, application=submitted, raw_values={"contact_name": "新联系人"}
    )
    old_licence = submitted.files.get(material_key="business_licence", removed_at=None)
    application_services.material_remove(actor=applicant, stored=old_licence)
    application_services.material_upload(
        actor=applicant,
        application=submitted,
        material_key="business_licence",
        uploaded=SimpleUploadedFile("营业执照-清晰版.pdf", sample_pdf(3, "营业执照清晰版")),
    )
    application_services.application_submit(actor=applicant, application=submitted)

    client.force_login(secretariat)
    page = client.get(reverse("review:changes", args=[submitted.pk]))
    assert page.status_code == 200
    diff = page.context["diff"]
    assert (diff.old_number, diff.new_number) == (1, 2)
    assert [(c.key, c.new) for c in diff.fields] == [("contact_name", "新联系人")]
    assert [(c.material, c.status, c.name) for c in diff.files] == [
        ("business_licence", "changed", "营业执照-清晰版.pdf")
    ]
    assert "新联系人" in page.content.decode()


def test_with_one_version_there_is_nothing_to_compare(client, submitted, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("review:changes", args=[submitted.pk]))
    assert page.status_code == 200 and page.context["diff"] is None


def test_foreign_users_cannot_see_the_changes(client, submitted, other_applicant):
    client.force_login(other_applicant)
    assert client.get(reverse("review:changes", args=[submitted.pk])).status_code == 403
