"""Anyone may object during the window; attachments are checked by content; the secretariat
records how each objection was handled."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from manyi.web.audit.models import AuditEntry, Notification
from manyi.web.publicity.attachments import MAX_ATTACHMENT_BYTES
from manyi.web.publicity.models import Objection, ObjectionAttachment, ObjectionOutcome
from manyi.web.publicity.services import objection_handle, objection_submit, publication_open
from tests.publicity.conftest import close_window, jpeg_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def _item(publication, application):
    return publication.items.get(application=application)


def _post(client, publication, item, **overrides):
    data = {
        "item": str(item.pk),
        "name": "张三",
        "contact": "13700137000",
        "content": "该单位去年发生过重大质量投诉，与申报材料不符。",
    }
    data.update(overrides)
    return client.post(reverse("publicity:objection", args=[publication.pk]), data)


# --- the public form --------------------------------------------------------------------------


def test_the_form_is_open_to_anyone_during_the_window(client, publication):
    response = client.get(reverse("publicity:objection", args=[publication.pk]))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_an_objection_with_several_attachments_is_stored(
    client, publication, enterprise_application
):
    item = _item(publication, enterprise_application)
    files = [upload("投诉记录.pdf", pdf_bytes()), upload("现场照片.jpg", jpeg_bytes())]
    response = _post(client, publication, item, attachments=files)
    assert response.status_code == 200
    assert "秘书处已收到您的异议" in response.content.decode()
    objection = Objection.objects.get()
    assert objection.item == item and objection.name == "张三"
    assert sorted(a.kind for a in objection.attachments.all()) == ["jpg", "pdf"]
    assert all(
        a.file.read()[:4] in (b"%PDF", b"\xff\xd8\xff\xe0")
        for a in ObjectionAttachment.objects.all()
    )


def test_the_secretariat_is_notified_without_the_objectors_contact(
    client, secretariat, publication, enterprise_application
):
    _post(client, publication, _item(publication, enterprise_application))
    notice = Notification.objects.get(recipient=secretariat)
    assert "福州测试制造有限公司" in notice.subject
    assert "13700137000" not in notice.body and "张三" not in notice.body


def test_the_audit_log_records_the_objection_but_not_the_objectors_personal_data(
    client, publication, enterprise_application
):
    _post(client, publication, _item(publication, enterprise_application))
    entry = AuditEntry.objects.get(action="objection.submit")
    recorded = f"{entry.target_label} {entry.new_values} {entry.actor_label}"
    assert "张三" not in recorded and "13700137000" not in recorded


@pytest.mark.parametrize("contact", ["13700137000", "0591-87654321", "zhang.san@example.com"])
def test_a_phone_number_or_an_email_address_is_accepted(
    client, publication, enterprise_application, contact
):
    _post(client, publication, _item(publication, enterprise_application), contact=contact)
    assert Objection.objects.count() == 1


@pytest.mark.parametrize("contact", ["", "12345", "张三家", "zhang@", "1370013700"])
def test_an_unusable_contact_is_refused_with_what_to_type(
    client, publication, enterprise_application, contact
):
    response = _post(
        client, publication, _item(publication, enterprise_application), contact=contact
    )
    assert Objection.objects.count() == 0
    assert response.status_code == 200
    page = response.content.decode()
    assert "手机号码" in page or "电子邮箱" in page or "必填" in page


def test_an_objection_must_name_an_application_of_this_list(
    client, secretariat, campaign, publication, make_publicised, applicant
):
    outsider = make_publicised(applicant, category="team", project_name="总装一班")
    other = publication_open(actor=secretariat, campaign=campaign, applications=[outsider])
    response = _post(client, publication, _item(other, outsider))
    assert response.status_code == 200
    assert Objection.objects.count() == 0


# --- the window -------------------------------------------------------------------------------


def test_after_the_window_the_form_says_so_and_stores_nothing(
    client, publication, enterprise_application
):
    item = _item(publication, enterprise_application)
    close_window(publication)
    response = _post(client, publication, item, attachments=[upload("a.pdf", pdf_bytes())])
    page = response.content.decode()
    assert response.status_code == 200
    assert "不在公示期内" in page and "没有保存" in page
    assert Objection.objects.count() == 0
    assert ObjectionAttachment.objects.count() == 0
    get = client.get(reverse("publicity:objection", args=[publication.pk])).content.decode()
    assert "不再接收异议" in get and "objection-form" not in get


def test_the_service_refuses_an_objection_after_the_window(publication, enterprise_application):
    item = _item(publication, enterprise_application)
    close_window(publication)
    with pytest.raises(ValidationError, match="不在公示期内"):
        objection_submit(
            publication=publication,
            item_id=item.pk,
            name="张三",
            contact="13700137000",
            content="异议",
        )
    assert Objection.objects.count() == 0


def test_the_public_page_offers_the_form_only_during_the_window(client, publication):
    url = reverse("publicity:detail", args=[publication.pk])
    assert 'data-testid="objection-link"' in client.get(url).content.decode()
    close_window(publication)
    page = client.get(url).content.decode()
    assert 'data-testid="objection-link"' not in page
    assert "公示期已结束" in page


# --- attachments are checked by content -------------------------------------------------------


def test_a_png_renamed_to_pdf_is_refused_with_the_reason_and_nothing_is_stored(
    client, publication, enterprise_application
):
    item = _item(publication, enterprise_application)
    _post(client, publication, item, attachments=[upload("first.pdf", pdf_bytes())])
    before = list(Objection.objects.values_list("pk", "content"))
    response = _post(
        client,
        publication,
        item,
        content="第二条异议",
        attachments=[upload("证据.pdf", pdf_bytes()), upload("照片.pdf", png_bytes())],
    )
    page = response.content.decode()
    assert "附件“照片.pdf”未接收" in page
    assert "文件内容是 PNG 图片，但扩展名是 .pdf" in page
    assert "第二条异议" in page  # what was typed is kept in the form
    assert list(Objection.objects.values_list("pk", "content")) == before
    assert ObjectionAttachment.objects.count() == 1


def test_a_file_that_is_not_pdf_jpg_or_png_is_refused(client, publication, enterprise_application):
    response = _post(
        client,
        publication,
        _item(publication, enterprise_application),
        attachments=[upload("说明.txt", "纯文本内容".encode())],
    )
    assert "只接收 PDF、JPG 或 PNG" in response.content.decode()
    assert Objection.objects.count() == 0


def test_an_oversized_attachment_is_refused(client, publication, enterprise_application):
    big = pdf_bytes() + b"%" * MAX_ATTACHMENT_BYTES
    response = _post(
        client,
        publication,
        _item(publication, enterprise_application),
        attachments=[upload("大文件.pdf", big)],
    )
    assert "超过每个附件" in response.content.decode()
    assert Objection.objects.count() == 0


def test_at_most_five_attachments(client, publication, enterprise_application):
    files = [upload(f"{n}.png", png_bytes()) for n in range(6)]
    response = _post(
        client, publication, _item(publication, enterprise_application), attachments=files
    )
    assert "最多上传 5 个附件" in response.content.decode()
    assert Objection.objects.count() == 0


# --- handling ---------------------------------------------------------------------------------


@pytest.fixture
def objection(publication, enterprise_application) -> Objection:
    return objection_submit(
        publication=publication,
        item_id=_item(publication, enterprise_application).pk,
        name="张三",
        contact="13700137000",
        content="材料中的获奖证书与发证机构记录不一致。",
        uploads=[upload("证书照片.png", png_bytes())],
    )


def test_the_secretariat_sees_objections_with_contact_and_attachments(
    client, secretariat, publication, objection
):
    client.force_login(secretariat)
    page = client.get(reverse("publicity:manage_publication", args=[publication.pk]))
    assert "张三" in page.content.decode() and "13700137000" in page.content.decode()
    detail = client.get(reverse("publicity:objection_detail", args=[objection.pk])).content.decode()
    assert "获奖证书与发证机构记录不一致" in detail and "证书照片.png" in detail


def test_downloading_an_attachment_is_audited(client, secretariat, objection):
    attachment = objection.attachments.get()
    client.force_login(secretariat)
    response = client.get(reverse("publicity:attachment", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == png_bytes()
    entry = AuditEntry.objects.get(action="objection.attachment_download")
    assert entry.actor == secretariat and entry.new_values["sha256"] == attachment.sha256


def test_the_handling_is_recorded_with_who_and_when_and_audited(client, secretariat, objection):
    client.force_login(secretariat)
    response = client.post(
        reverse("publicity:objection_detail", args=[objection.pk]),
        {"outcome": "upheld", "handling": "经向发证机构核实，证书系伪造，异议成立。"},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.outcome == ObjectionOutcome.UPHELD
    assert objection.handled_by == secretariat and objection.handled_at is not None
    entry = AuditEntry.objects.get(action="objection.handle")
    assert entry.new_values == {"outcome": "upheld", "handling": objection.handling}
    assert entry.old_values == {"outcome": "", "handling": ""}


def test_handling_needs_a_text_and_an_outcome(secretariat, objection):
    with pytest.raises(ValidationError):
        objection_handle(actor=secretariat, objection=objection, handling=" ", outcome="upheld")
    with pytest.raises(ValidationError):
        objection_handle(actor=secretariat, objection=objection, handling="核实", outcome="maybe")


def test_only_the_secretariat_handles_objections(applicant, objection):
    with pytest.raises(PermissionDenied):
        objection_handle(actor=applicant, objection=objection, handling="无", outcome="dismissed")


def test_a_refused_file_is_reported_together_with_other_mistakes(
    client, publication, enterprise_application
):
    response = _post(
        client,
        publication,
        _item(publication, enterprise_application),
        contact="123",
        attachments=[upload("照片.pdf", png_bytes())],
    )
    page = response.content.decode()
    assert "请填写手机号码" in page and "附件“照片.pdf”未接收" in page
    assert Objection.objects.count() == 0
