"""The public 公示 page shows the list and the window, and nothing else about the applicants."""

from __future__ import annotations

import pytest
from django.urls import reverse

from manyi.web.applications.models import ApplicationState
from manyi.web.publicity.services import publication_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, publication) -> str:
    response = client.get(reverse("publicity:detail", args=[publication.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_organisation_category_project_and_proposed_level(page):
    assert "福州测试制造有限公司" in page
    assert "企业类" in page
    assert "北京示例服务有限公司" in page
    assert "服务类" in page
    assert "24小时家电上门维修服务" in page
    assert "用户满意（四星）级" in page


def test_it_shows_the_window_dates(page, publication):
    assert "公示期：" in page
    assert f"{publication.closes_at.year}年" in page


def test_it_shows_the_level_proposed_not_the_level_applied_for(page):
    # The enterprise applied for 五星 but is proposed for 四星.
    assert "用户满意标杆（五星）级" not in page


def test_it_leaks_no_credit_codes_contacts_or_addresses(page, applicant, other_applicant):
    for secret in (
        "91350100M000100Y43",
        "91110108551385082Q",
        "13800138001",
        "fuzhou@example.cn",
        "联系人fuzhou",
        "福建省福州市鼓楼区示例路",
        "福建省质量管理协会",  # the 推进机构
    ):
        assert secret not in page, secret


def test_applications_outside_the_publicity_are_not_listed(
    client, secretariat, campaign, make_publicised, applicant, publication
):
    later = make_publicised(applicant, category="team", project_name="总装一班")
    response = client.get(reverse("publicity:detail", args=[publication.pk]))
    assert "总装一班" not in response.content.decode()
    assert later.state == ApplicationState.PUBLICISED


def test_applications_proposed_for_no_level_are_not_shown_publicly(
    client, secretariat, campaign, make_publicised, applicant
):
    refused = make_publicised(
        applicant, category="team", project_name="总装一班", proposed_level=""
    )
    publication = publication_open(actor=secretariat, campaign=campaign, applications=[refused])
    response = client.get(reverse("publicity:detail", args=[publication.pk]))
    assert "总装一班" not in response.content.decode()


def test_the_index_lists_open_publicities(client, publication):
    page = client.get(reverse("publicity:list")).content.decode()
    assert publication.title in page
    assert reverse("publicity:detail", args=[publication.pk]) in page


def test_an_unknown_publicity_is_not_found(client, db):
    assert client.get(reverse("publicity:detail", args=[999])).status_code == 404
