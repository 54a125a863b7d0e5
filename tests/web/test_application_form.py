"""The 申请表 page: numbers checked on save with precise messages, nothing marked wrong before
it was typed or saved, one label per field, registration figures pre-filled, and labels that
tell what the system fills from what the organisation chose."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from manyi.web.applications import services
from manyi.web.applications.precheck import run_precheck

pytestmark = pytest.mark.django_db


def save(client, applicant, application, **values):
    client.force_login(applicant)
    return client.post(reverse("applications:form", args=[application.pk]), values)


def form_errors(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def test_a_negative_amount_is_refused_on_save_with_a_precise_message(
    client, applicant, application
):
    response = save(client, applicant, application, revenue="-5", contact_name="林测试")
    assert response.status_code == 200
    assert form_errors(response)["revenue"] == ["「2024年度营业收入」不能为负数，现在填的是 -5。"]
    application.refresh_from_db()
    assert application.form_data["contact_name"] == "林测试"  # the rest is saved
    assert application.form_data["revenue"] != "-5"


def test_a_negative_count_says_it_is_negative_not_that_it_is_no_integer(
    client, applicant, application
):
    response = save(client, applicant, application, direct_beneficiaries="-3")
    assert form_errors(response)["direct_beneficiaries"] == [
        "「直接服务受益的用户数」不能为负数，现在填的是 -3。"
    ]


def test_a_count_with_decimals_or_words_is_refused_with_what_was_typed(
    client, applicant, application
):
    response = save(client, applicant, application, employees="12.5", revenue="一千")
    errors = form_errors(response)
    assert errors["employees"] == ["「员工人数」应为整数，不带小数，例如 120；现在填的是 12.5。"]
    assert errors["revenue"] == ["「2024年度营业收入」应为数字，例如 1250.5；现在填的是“一千”。"]


def test_the_satisfaction_score_must_lie_between_0_and_100(client, applicant, application):
    response = save(client, applicant, application, satisfaction_score="120")
    assert form_errors(response)["satisfaction_score"] == [
        "满意度为百分制得分，应在 0 至 100 之间；现在填的是 120。"
    ]
    response = save(client, applicant, application, satisfaction_score="86.5")
    assert response.status_code == 302


def test_the_check_fails_a_negative_amount_stored_before_instead_of_calling_it_filled(
    application, applicant
):
    services.application_save_form(
        actor=applicant, application=application, raw_values={"revenue": "-5"}
    )
    application.refresh_from_db()
    findings = {f.code: f for f in run_precheck(application).items}
    assert findings["form.revenue.type"].status == "fail"
    assert "不能为负数" in findings["form.revenue.type"].message
    assert "form.revenue" not in findings  # not "已填写"


def test_a_failed_save_shows_an_error_summary_linking_each_field(client, applicant, application):
    html = save(client, applicant, application, revenue="-5").content.decode()
    assert "data-error-summary" in html
    assert 'href="#id_revenue"' in html
    assert 'aria-describedby="id_revenue_error"' in html and 'id="id_revenue_error"' in html
    assert 'aria-invalid="true"' in html


def test_no_field_is_marked_wrong_before_it_was_typed_or_saved(client, applicant, application):
    client.force_login(applicant)
    url = reverse("applications:form", args=[application.pk])
    html = client.get(url).content.decode()
    assert 'class="problem' not in html and "请填写" not in html
    save(client, applicant, application, contact_name="")
    html = client.get(url).content.decode()
    assert 'id="problems-contact_name"' in html


def test_each_field_has_one_label(client, applicant, application):
    client.force_login(applicant)
    html = client.get(reverse("applications:form", args=[application.pk])).content.decode()
    assert len(re.findall(r"<label[^>]*>联系人</label>", html)) == 1
    assert "<legend>联系人" not in html
    # A list keeps its name once, as the group's legend; its inputs are numbered.
    assert html.count("我们的竞争优势（限3项）") == 1
    assert '<label for="id_competitive_advantages__0">第 1 项</label>' in html


def test_the_registration_figures_are_pre_filled(client, applicant, application):
    client.force_login(applicant)
    form = client.get(reverse("applications:form", args=[application.pk])).context["form"]
    assert form["employees"].value() == "500"
    assert form["revenue"].value() == "30000"


def test_the_industry_is_labelled_as_chosen_not_as_automatic(client, applicant, application):
    client.force_login(applicant)
    html = client.get(reverse("applications:form", args=[application.pk])).content.decode()
    origin = re.search(r'data-testid="origin-industry">([^<]*)<', html).group(1)
    assert "选择" in origin and "自动" not in origin
    assert "自动" in re.search(r'data-testid="origin-org_size">([^<]*)<', html).group(1)
    assert "自动抓取" not in html
