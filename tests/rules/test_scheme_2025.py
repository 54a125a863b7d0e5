"""What the 2025 scheme says, read through the API the web layer and the engines use."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from manyi.rules import Scheme, available_years, load_scheme

MB = 1024 * 1024


def test_2025_is_available_and_loaded_once(scheme: Scheme):
    assert 2025 in available_years()
    assert load_scheme(2025) is load_scheme(2025)


def test_campaign_facts(scheme: Scheme):
    campaign = scheme.campaign
    assert (campaign.year, campaign.title) == (2025, "2025年用户满意等级评价")
    assert campaign.data_year == 2024
    assert campaign.survey_start_date == date(2025, 1, 1)
    assert [s.code for s in campaign.standards] == ["T/CAQ 10306-2022", "GB/T 19038-2009"]
    assert scheme.cover.title == "2025年用户满意等级评价申请书"


# --- categories, levels, eligibility -----------------------------------------------------------


def test_five_categories_and_three_levels(scheme: Scheme):
    assert [(c.key, c.name) for c in scheme.categories] == [
        ("enterprise", "企业类"),
        ("team", "班组类"),
        ("service", "服务类"),
        ("product", "产品类"),
        ("engineering", "工程类"),
    ]
    assert [(lv.key, lv.short_name, lv.name, lv.cover_name) for lv in scheme.levels] == [
        ("five", "五星", "用户满意标杆（五星）级", "标杆级"),
        ("four", "四星", "用户满意（四星）级", "用户满意级"),
        ("three", "三星", "用户满意亮诺（三星）级", "满意亮诺级"),
    ]
    assert [k.name for k in scheme.application_kinds] == ["初评（首次申请）", "复评"]


@pytest.mark.parametrize("category", ["enterprise", "team", "service"])
def test_enterprise_team_and_service_may_apply_for_every_level(scheme: Scheme, category):
    assert [lv.key for lv in scheme.allowed_levels(category)] == ["five", "four", "three"]


@pytest.mark.parametrize("category", ["product", "engineering"])
def test_product_and_engineering_may_only_apply_for_four_or_three_stars(scheme: Scheme, category):
    assert [lv.key for lv in scheme.allowed_levels(category)] == ["four", "three"]
    assert not scheme.is_eligible(category, "five")
    assert scheme.is_eligible(category, "three")


def test_unknown_category_or_level_is_not_eligible_and_lookup_says_so(scheme: Scheme):
    assert not scheme.is_eligible("enterprise", "two")
    assert not scheme.is_eligible("club", "five")
    with pytest.raises(KeyError, match="未知的申请类别"):
        scheme.allowed_levels("club")


# --- application form --------------------------------------------------------------------------


def test_cover_asks_category_level_name_with_seal_promoting_body_and_date(scheme: Scheme):
    fields = {f.key: f for f in scheme.cover.fields}
    assert [f.label for f in scheme.cover.fields] == [
        "申请类别", "申请等级", "企业名称", "推进机构", "填表日期",
    ]  # fmt: skip
    assert fields["enterprise_name"].seal
    assert fields["promoting_body"].choices_from == "promoting_bodies"
    assert fields["fill_date"].type == "date"


def test_common_fields_come_first_in_every_category(scheme: Scheme):
    common = [
        "enterprise_name", "credit_code", "enterprise_type", "industry", "org_size",
        "category_level", "project_name", "satisfaction_score", "application_kind",
        "contact_name", "contact_department", "contact_title", "contact_mobile",
        "contact_address",
    ]  # fmt: skip
    for category in scheme.categories:
        assert [f.key for f in scheme.form_fields(category.key)][: len(common)] == common


def test_type_industry_and_size_are_filled_automatically(scheme: Scheme):
    auto = [f.key for f in scheme.form.common if f.auto]
    assert auto == ["enterprise_type", "industry", "org_size"]


def test_project_name_is_exempt_for_enterprises_and_means_something_per_category(scheme):
    field = scheme.form_field("team", "project_name")
    assert not field.is_required("enterprise")
    assert field.is_required("team")
    assert field.hint_for("team") == "填写班组名称"
    assert "专项服务名称" in field.hint_for("service")
    assert "竣工验收证明" in field.hint_for("engineering")


def test_section_fields_per_category(scheme: Scheme):
    def labels(category: str) -> list[str]:
        return [f.label for f in scheme.form.section(category).fields]

    assert labels("enterprise") == [
        "员工人数", "2024年度营业收入", "主要的产品/服务", "主要服务对象",
        "直接服务受益的用户数", "所在行业的标杆企业和主要竞争对手（各1个）",
        "行业普遍关注的产品/服务质量特性（限3项）", "我们的竞争优势（限3项）",
    ]  # fmt: skip
    assert labels("team") == ["提供的产品/服务", "班组人数", "主要服务对象", "直接服务受益的用户数"]
    assert labels("service")[:2] == ["主要业务职能", "专项服务工作人员数"]
    assert labels("product")[:3] == ["商标名称", "产品型号及规格", "主要销售对象"]
    assert labels("engineering") == [
        "工程类别", "建设单位（用户）名称：", "工程地点：", "工程造价（万元）",
        "建筑面积（万平方米）", "竣工日期", "验收日期", "工程设计单位", "工程监理单位",
    ]  # fmt: skip


def test_field_types_units_and_limits(scheme: Scheme):
    enterprise = {f.key: f for f in scheme.form_fields("enterprise")}
    assert (enterprise["employees"].type, enterprise["employees"].unit) == ("integer", "人")
    assert (enterprise["revenue"].type, enterprise["revenue"].unit) == ("decimal", "万元")
    assert enterprise["quality_characteristics"].type == "list"
    assert enterprise["quality_characteristics"].max_items == 3
    assert enterprise["competitive_advantages"].max_items == 3
    pair = enterprise["benchmark_and_competitor"]
    assert pair.type == "pair" and [p.label for p in pair.parts] == ["标杆企业", "主要竞争对手"]
    assert pair.max_items == 1
    engineering = {f.key: f for f in scheme.form_fields("engineering")}
    assert engineering["engineering_type"].choices == (
        "公共建筑", "市政工程", "交通工程", "住宅工程", "其他",
    )  # fmt: skip
    assert engineering["floor_area"].unit == "万平方米"


def enterprise_form(**changes) -> dict:
    values = {
        "enterprise_name": "某某股份有限公司",
        "credit_code": "91350100M000100Y43",
        "enterprise_type": "股份有限公司",
        "industry": "C3831",
        "org_size": "大型",
        "category_level": "enterprise/five",
        "satisfaction_score": Decimal("86.5"),
        "application_kind": "initial",
        "contact_name": "张三",
        "contact_department": "质量部",
        "contact_title": "部长",
        "contact_mobile": "13812345678",
        "contact_address": "福州市鼓楼区某路 1 号",
        "employees": 1200,
        "revenue": Decimal("35000.5"),
        "main_products": "电线电缆",
        "main_customers": "电网公司",
        "direct_beneficiaries": 300,
        "benchmark_and_competitor": {"benchmark": "甲公司", "competitor": "乙公司"},
        "quality_characteristics": ["可靠性", "交付及时"],
        "competitive_advantages": ["质量", "服务", "价格"],
    }
    return values | changes


def messages(scheme: Scheme, category: str, values: dict) -> list[tuple[str, str]]:
    return [(p.where.removeprefix("form."), p.status) for p in scheme.check_form(category, values)]


def test_a_complete_enterprise_form_passes_without_a_project_name(scheme: Scheme):
    assert scheme.check_form("enterprise", enterprise_form()) == []


def test_quality_characteristics_are_limited_to_three(scheme: Scheme):
    values = enterprise_form(quality_characteristics=["一", "二", "三", "四"])
    assert messages(scheme, "enterprise", values) == [("quality_characteristics", "fail")]


def test_benchmark_and_competitor_are_exactly_one_each(scheme: Scheme):
    values = enterprise_form(benchmark_and_competitor={"benchmark": "甲公司", "competitor": ""})
    assert messages(scheme, "enterprise", values) == [("benchmark_and_competitor", "fail")]


def test_satisfaction_is_a_score_out_of_100(scheme: Scheme):
    values = enterprise_form(satisfaction_score=Decimal("100.5"))
    assert messages(scheme, "enterprise", values) == [("satisfaction_score", "fail")]


def test_a_mobile_number_of_another_form_is_only_advised_on(scheme: Scheme):
    values = enterprise_form(contact_mobile="0591-8888888")
    [finding] = scheme.check_form("enterprise", values)
    assert (finding.where, finding.status, finding.source) == (
        "form.contact_mobile",
        "warn",
        "advice",
    )
    assert finding.reason


def test_missing_required_values_are_reported_by_label(scheme: Scheme):
    problems = scheme.check_form("enterprise", enterprise_form(contact_name="  "))
    assert [(p.where, p.message) for p in problems] == [("form.contact_name", "请填写「联系人」")]
    assert problems[0].quote == "申请所有类别的企业均需填写申请表并加盖公章。"


def test_service_named_after_an_institution_gets_a_warning(scheme: Scheme):
    field = scheme.form_field("service", "project_name")
    rules = [r for r in field.rules_for("service") if r.kind == "suffix_warning"]
    assert rules and rules[0].effective_severity == "warn" and rules[0].source == "seed"
    assert rules[0].violated(field, "某某市供电公司客户服务中心", {})
    assert not rules[0].violated(field, "95598供电服务热线", {})
    assert not field.rules_for("team")  # the service rule does not touch 班组类


@pytest.mark.parametrize("name", ["XX牌空调系列", "XX牌系列产品空调", "A、B等产品"])
def test_product_series_is_refused(scheme: Scheme, name):
    field = scheme.form_field("product", "project_name")
    assert any(r.violated(field, name, {}) for r in field.rules_for("product"))


@pytest.mark.parametrize("name", ["某某牌家用空调", "某某牌变频空调器"])
def test_product_name_without_any_model_or_specification_fails_quoting_the_form(scheme, name):
    values = enterprise_form(project_name=name)
    [finding] = [f for f in scheme.check_form("product", values) if f.where == "form.project_name"]
    assert finding.status == "fail" and finding.source == "seed"
    assert finding.quote == "产品类项目名称必须填写型号、规格，填写系列产品无效。"


def test_product_with_model_and_specification_is_accepted(scheme: Scheme):
    field = scheme.form_field("product", "project_name")
    name = "XX牌KFR-35GW/A1 1.5匹壁挂式空调"
    assert not any(r.violated(field, name, {}) for r in field.rules_for("product"))


def test_engineering_form_has_no_field_the_official_form_lacks(scheme: Scheme):
    keys = [field.key for field in scheme.form_fields("engineering")]
    assert "completion_certificate_name" not in keys
    # The name is looked up in the uploaded 竣工验收证明 instead, and only advised on.
    field = scheme.form_field("engineering", "project_name")
    [rule] = field.rules_for("engineering")
    assert (rule.kind, rule.material, rule.effective_severity) == (
        "appears_in_material",
        "completion_acceptance",
        "warn",
    )
    assert rule.found_in("某某大桥工程（一期）", ["工程竣工验收证明\n某某大桥工程(一期) 验收合格"])
    assert rule.found_in("某某大桥", ["某某隧道工程"]) is False
    assert rule.found_in("某某大桥", ["", "  "]) is None  # scans: cannot be checked


def test_completion_date_after_acceptance_date_is_advice(scheme: Scheme):
    field = scheme.form_field("engineering", "completion_date")
    (rule,) = field.rules
    assert (rule.source, rule.effective_severity) == ("advice", "warn")
    values = {"acceptance_date": date(2024, 6, 30)}
    assert rule.violated(field, date(2024, 7, 1), values)
    assert not rule.violated(field, date(2024, 6, 30), values)


# --- materials ---------------------------------------------------------------------------------


def keys(scheme: Scheme, category: str, level: str) -> dict[str, str]:
    return {m.key: requirement for m, requirement in scheme.materials_for(category, level)}


def test_three_stars_need_report_and_proofs_but_no_ppt_or_video(scheme: Scheme):
    three = keys(scheme, "enterprise", "three")
    assert three["practice_report"] == "required"
    assert three["business_licence"] == "required"
    assert "report_ppt" not in three and "report_video" not in three


def test_four_stars_add_a_ppt_of_at_most_15_pages(scheme: Scheme):
    four = keys(scheme, "product", "four")
    assert four["report_ppt"] == "required" and "report_video" not in four
    assert scheme.material("report_ppt").max_pages == 15


def test_five_stars_add_ppt_and_a_video_of_15_minutes_and_30_mb(scheme: Scheme):
    five = keys(scheme, "team", "five")
    assert five["report_ppt"] == five["report_video"] == "required"
    video = scheme.material("report_video")
    assert video.max_duration_seconds == 15 * 60
    assert video.max_size_bytes == 30 * MB
    assert video.formats == ("mp4", "mov", "m4v")
    assert any("演讲者音频" in note for note in video.notes)


def test_materials_for_an_ineligible_combination_is_refused(scheme: Scheme):
    with pytest.raises(ValueError, match="产品类不能申请用户满意标杆（五星）级"):
        scheme.materials_for("product", "five")


def test_category_specific_proofs(scheme: Scheme):
    enterprise = keys(scheme, "enterprise", "four")
    product = keys(scheme, "product", "four")
    engineering = keys(scheme, "engineering", "three")
    assert "category_awards" not in enterprise
    assert product["category_awards"] == engineering["category_awards"] == "required"
    assert {"product_test_report", "trademark_certificate"} <= product.keys()
    assert not {"product_test_report", "trademark_certificate"} & engineering.keys()
    assert {"completion_acceptance", "owner_satisfaction_opinion"} <= engineering.keys()
    assert enterprise["other_proofs"] == "optional"


def test_not_applicable_materials_are_listed_on_request(scheme: Scheme):
    everything = scheme.materials_for("enterprise", "three", include_not_applicable=True)
    assert len(everything) == len(scheme.materials)
    assert dict((m.key, r) for m, r in everything)["report_video"] == "not_applicable"


def test_both_commitments_are_signed_and_sealed_as_the_binding_order_asks(scheme: Scheme):
    operation = scheme.material("commitment_operation")
    application = scheme.material("commitment_application")
    assert (operation.attachment, operation.seal, operation.signature) == ("附件1-1", True, True)
    assert (application.attachment, application.seal, application.signature) == (
        "附件1-2", True, True,
    )  # fmt: skip
    assert scheme.material("application_form").seal


def test_third_party_measurement_is_required_at_every_level(scheme: Scheme):
    measurement = [m.key for m in scheme.materials if m.group == "第三方测量材料"]
    for category in scheme.categories:
        for level in scheme.allowed_levels(category.key):
            needed = keys(scheme, category.key, level.key)
            for key in ("measurement_plan", "questionnaire", "implementation_plan",
                        "survey_database", "measurement_report", "agency_qualification",
                        "respondent_list"):  # fmt: skip
                assert needed[key] == "required"
            assert all(key in needed for key in measurement)


@pytest.mark.parametrize(
    ("total", "listed"), [(30, (30, 30)), (50, (50, 50)), (51, (50, 51)), (800, (50, 100))]
)
def test_respondent_list_size_depends_on_the_number_interviewed(scheme: Scheme, total, listed):
    rule = scheme.measurement.respondent_list
    assert rule.required_range(total) == listed
    assert rule.required_columns == ("姓名", "联系方式")


def test_file_formats_are_checked_by_extension(scheme: Scheme):
    assert scheme.material("survey_database").accepts_format("问卷数据.XLSX")
    assert scheme.material("survey_database").accepts_format("data.csv")
    assert not scheme.material("practice_report").accepts_format("报告.docx")
    assert not scheme.material("practice_report").accepts_format("报告")


# --- report file name --------------------------------------------------------------------------


def test_report_file_name_is_built_from_enterprise_and_category(scheme: Scheme):
    assert (
        scheme.report_filename("某某有限公司", "service")
        == "用户满意经营实践报告+某某有限公司+服务类.pdf"
    )


@pytest.mark.parametrize(
    "filename",
    [
        "用户满意经营实践报告+某某有限公司+服务类.pdf",
        "用户满意经营实践报告某某有限公司服务类.pdf",
        "用户满意经营实践报告＋某某有限公司＋服务类.PDF",
        "用户满意经营实践报告 + 某某有限公司 + 服务类.pdf",
        "用户满意经营实践报告-某某有限公司-服务类.pdf",
        "用户满意经营实践报告_某某有限公司_服务类.pdf",
        "用户满意经营实践报告—某某有限公司—服务类.pdf",
        "用户满意经营实践报告+某某有限公司_服务类.pdf",
    ],
)
def test_report_file_name_is_accepted_with_any_usual_separator_or_none(scheme: Scheme, filename):
    assert scheme.report_filename_ok(filename, "某某有限公司", "service")


@pytest.mark.parametrize(
    "filename",
    [
        "用户满意经营实践报告+某某有限公司+企业类.pdf",
        "实践报告+某某有限公司+服务类.pdf",
        "用户满意经营实践报告+某某有限公司+服务类.docx",
        "用户满意经营实践报告+服务类+某某有限公司.pdf",
        "用户满意经营实践报告+某某有限公司+服务类（终稿）.pdf",
    ],
)
def test_report_file_name_with_wrong_parts_is_refused(scheme: Scheme, filename):
    assert not scheme.report_filename_ok(filename, "某某有限公司", "service")


# --- binding, report format, outlines, letters -------------------------------------------------


def test_binding_order_follows_the_seed(scheme: Scheme):
    parts = scheme.binding.parts
    assert [(p.name, p.attachment) for p in parts[:6]] == [
        ("封面和目录", "附件1"),
        ("企业用户满意经营承诺书", "附件1-1"),
        ("用户满意等级评价申报承诺书", "附件1-2"),
        ("用户满意等级评价申请表", "附件1-3"),
        ("用户满意经营的实践报告", "附件1-4"),
        ("其他证实性材料", None),
    ]
    assert parts[0].contents_page
    assert parts[-1].annex and parts[-1].name == "第三方用户满意度测量材料"
    order = [m.key for m in scheme.binding_order()]
    assert order[:5] == [
        "cover", "commitment_operation", "commitment_application", "application_form",
        "practice_report",
    ]  # fmt: skip


def test_every_material_except_ppt_and_video_is_bound(scheme: Scheme):
    bound = set(scheme.binding.material_keys())
    assert {m.key for m in scheme.materials} - bound == {"report_ppt", "report_video"}


def test_report_format(scheme: Scheme):
    fmt = scheme.report_format
    assert (fmt.title.font, fmt.title.size_name, fmt.title.size_pt) == ("宋体", "小二", 18)
    assert fmt.title.bold and fmt.title.alignment == "center" and fmt.title.line_spacing == 1
    assert (fmt.body.font, fmt.body.size_name, fmt.body.size_pt) == ("宋体", "四号", 14)
    assert (fmt.body.line_spacing, fmt.body.first_line_indent_chars) == (1.5, 2)
    assert fmt.body.alignment == "justify" and not fmt.body.bold
    assert fmt.page_number == "bottom_center"
    assert fmt.max_chars == 10000
    assert [fmt.heading_style(n).number(1) for n in (1, 2, 3, 4)] == [
        "一、",
        "（一）",
        "1.",
        "（1）",
    ]
    assert [s.bold for s in fmt.headings] == [True, False, False, False]


def test_every_outline_budgets_1000_8000_1000_characters(scheme: Scheme):
    for outline in scheme.outlines:
        top = [(h.title, h.budget) for h in outline.headings if h.level == 1]
        assert top == [("企业简介", 1000), ("用户满意经营实践", 8000), ("总结思考", 1000)]
        assert outline.title == "用户满意经营实践报告"
        assert outline.budget_total() <= scheme.report_format.max_chars


def test_outline_headings_print_with_number_and_budget(scheme: Scheme):
    headings = scheme.outline("enterprise").headings
    assert headings[0].text == "一、企业简介（1000字）"
    assert headings[2].text == "（一）策划"
    assert headings[3].text == "1.满意理念"
    assert headings[3].guidance.startswith("介绍企业建立用户满意理念")


def test_commitment_letters(scheme: Scheme):
    operation = scheme.commitment_letter("operation")
    application = scheme.commitment_letter("application")
    assert operation.title == "企业用户满意经营承诺书" and len(operation.clauses) == 8
    assert operation.signature_lines[0] == "承诺企业（盖章）："
    assert application.title == "用户满意等级评价申报承诺书" and len(application.clauses) == 6
    assert application.signature_lines[:2] == ("单位名称：（盖章）", "主要负责人签字：")
    assert scheme.material(application.material).signature
