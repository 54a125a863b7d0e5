"""The 申请表 (附件1-3) as a bordered form: labels from the scheme, the applicant's values,
the chosen category's section, ☑ for the chosen 类别与等级 and 初评/复评."""

from __future__ import annotations

import re

import pytest

from manyi.documents import render_application_form

from .conftest import ORGANISATION
from .pdfhelpers import all_text, page_texts


@pytest.fixture()
def enterprise_form(scheme, organisation, enterprise_values) -> bytes:
    return render_application_form(
        scheme,
        category="enterprise",
        level="four",
        values=enterprise_values,
        organisation=organisation,
    )


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_label_of_the_category_form_is_printed(scheme, enterprise_form):
    text = all_text(enterprise_form)
    for field in scheme.form_fields("enterprise"):
        assert squeeze(field.label) in text, field.label
    assert "附件1-3" in text
    assert "用户满意等级评价申请表" in text
    assert "用户满意等级评价申请表（续）" in text
    assert "请选择对应申请类别填写" in text and "企业类填写" in text


def test_only_the_chosen_category_section_is_printed(enterprise_form):
    text = all_text(enterprise_form)
    assert "班组人数" not in text and "工程类别" not in text and "商标名称" not in text
    # The 注 under 申报项目名称 names every category, as the official form prints it.
    assert "注：班组类填写班组名称，服务类填写专项服务名称" in text


def test_values_are_printed_with_units(enterprise_form):
    text = all_text(enterprise_form)
    for value in [
        ORGANISATION,
        "91350100M000100Y43",
        "D4420电力供应",
        "86.50",
        "13812345678",
        "1200人",
        "56000.00万元",
        "350000个/户",
        "标杆企业：国网上海市电力公司",
        "主要竞争对手：某能源集团",
        "1.供电可靠性2.电压合格率3.服务响应速度",
    ]:
        assert value in text, value


def test_the_chosen_category_and_level_is_ticked(enterprise_form):
    text = page_texts(enterprise_form)[0]
    assert re.findall(r"☑\s*(\S+)", text) == ["用户满意（四星）级", "初评（首次申请）"]
    enterprise_line = next(line for line in text.splitlines() if line.startswith("企业类："))
    assert "☐ 用户满意标杆（五星）级 ☑ 用户满意（四星）级" in enterprise_line
    assert "产品类：☐ 用户满意（四星）级 ☐ 用户满意亮诺（三星）级" in text


def test_renewal_is_ticked_by_key_or_name(scheme, organisation, enterprise_values):
    for kind in ("renewal", "复评"):
        pdf = render_application_form(
            scheme,
            category="enterprise",
            level="five",
            values={**enterprise_values, "application_kind": kind},
            organisation=organisation,
        )
        assert re.findall(r"☑\s*(\S+)", page_texts(pdf)[0])[-1] == "复评"


def test_an_exempt_empty_field_shows_its_note(enterprise_form):
    assert "申报项目名称（企业类免填）" in all_text(enterprise_form)


def test_the_engineering_section_ticks_the_project_type(scheme, organisation):
    from datetime import date

    values = {
        "project_name": "福州滨海新城综合管廊一期工程",
        "engineering_type": "市政工程",
        "owner_name": "福州滨海新城建设投资有限公司",
        "site": "福州市长乐区",
        "cost": "125000.00",
        "floor_area": "12.5",
        "completion_date": date(2024, 6, 30),
        "acceptance_date": date(2024, 9, 15),
        "designer": "某市政设计院",
        "supervisor": "某监理公司",
    }
    pdf = render_application_form(
        scheme, category="engineering", level="three", values=values, organisation=organisation
    )
    text = all_text(pdf)
    assert "工程类填写" in text
    assert "☑市政工程" in text and "☐公共建筑" in text
    assert "2024年6月30日" in text and "2024年9月15日" in text
    assert "125000.00" in text
    ticks = re.findall(r"☑\s*(\S+)", page_texts(pdf)[0])
    assert ticks[0] == "用户满意亮诺（三星）级"
    assert "工程类：☐ 用户满意（四星）级 ☑ 用户满意亮诺（三星）级" in page_texts(pdf)[0]


def test_user_text_is_printed_literally_not_as_markup(scheme, organisation, enterprise_values):
    values = {**enterprise_values, "main_products": "<b>电表</b> & 服务"}
    pdf = render_application_form(
        scheme, category="enterprise", level="four", values=values, organisation=organisation
    )
    assert "<b>电表</b>&服务" in all_text(pdf)
