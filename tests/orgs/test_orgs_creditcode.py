"""统一社会信用代码 (GB 32100-2015): what is accepted, refused or sent to a person."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from stdnum.cn import uscc

from manyi.orgs.creditcode import analyze, normalize, region_names

PILOT_CODE = "91350211M0000XUF46"


def with_check_char(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


@pytest.mark.parametrize(
    ("code", "authority", "category", "region", "province", "city", "district"),
    [
        ("91350100M000100Y43", "工商", "企业", "350100", "福建省", "福州市", None),
        ("91110108551385082Q", "工商", "企业", "110108", "北京市", None, "海淀区"),
        ("91440300708461136T", "工商", "企业", "440300", "广东省", "深圳市", None),
        ("91110105771583283D", "工商", "企业", "110105", "北京市", None, "朝阳区"),
        ("51610700305332460K", "民政", "社会团体", "610700", "陕西省", "汉中市", None),
    ],
)
def test_genuine_codes_are_valid_and_derive_authority_category_and_region(
    code, authority, category, region, province, city, district
):
    info = analyze(code)

    assert info.valid is True
    assert info.refused is False
    assert info.check_char_ok is True
    assert info.problems == ()
    assert (info.authority, info.category) == (authority, category)
    assert (info.region_code, info.province, info.city, info.district) == (
        region,
        province,
        city,
        district,
    )
    assert info.authority_code == code[0]
    assert info.category_code == code[1]
    assert info.org_code == code[8:17]


def test_enterprise_code_derives_gongshang_and_enterprise_from_positions_1_and_2():
    info = analyze("91350100M000100Y43")

    assert (info.authority_code, info.authority) == ("9", "工商")
    assert (info.category_code, info.category) == ("1", "企业")


def test_social_organisation_code_derives_minzheng_and_shehui_tuanti():
    info = analyze("51610700305332460K")

    assert (info.authority_code, info.authority) == ("5", "民政")
    assert (info.category_code, info.category) == ("1", "社会团体")


def test_individual_business_category_is_derived_for_gongshang():
    info = analyze(with_check_char("92350100MA0000001"))

    assert info.category == "个体工商户"
    assert info.valid is True


def test_embedded_organisation_code_check_is_reported_but_only_informational():
    good = analyze("91350100M000100Y43")
    assert good.org_code == "M000100Y4"
    assert good.org_code_check_ok is True

    bad_org_code = analyze(with_check_char("91110108551385083"))
    assert bad_org_code.org_code_check_ok is False
    assert bad_org_code.valid is True
    assert bad_org_code.problems == ()


def test_wrong_check_character_is_a_warning_that_leaves_the_code_unrefused_but_not_valid():
    info = analyze("91350100M000100Y44")

    assert info.check_char_ok is False
    assert info.valid is False
    assert info.refused is False
    assert info.problem_codes == ("check_char",)
    problem = info.problems[0]
    assert problem.status == "warn"
    assert "校验码不符" in problem.message
    assert "人工核实后放行" in problem.message
    assert "「3」" in problem.message  # tells the person what the check character should be


def test_pilot_region_code_fails_the_check_but_is_only_warned_about():
    info = analyze(PILOT_CODE)

    assert info.refused is False
    assert info.valid is False
    assert info.check_char_ok is False
    assert [p.status for p in info.problems] == ["warn"]
    assert (info.authority, info.category) == ("工商", "企业")
    assert (info.province, info.city, info.district) == ("福建省", "厦门市", "集美区")


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_each_letter_never_used_in_credit_codes_is_refused_and_named(letter):
    code = "91350100M" + letter + "00100Y43"  # position 10 replaced

    info = analyze(code)

    assert info.refused is True
    assert info.valid is False
    charset = [p for p in info.problems if p.code == "charset"]
    assert len(charset) == 1
    assert charset[0].status == "fail"
    assert f"第10位「{letter}」" in charset[0].message
    assert "I、O、Z、S、V" in charset[0].message


def test_other_illegal_characters_are_refused_and_named_with_their_position():
    info = analyze("91350100-M000100Y4")

    assert info.refused is True
    assert "第9位「-」" in info.problems[0].message


@pytest.mark.parametrize(
    ("code", "given"), [("91350100M000100Y4", 17), ("91350100M000100Y433", 19)]
)
def test_wrong_length_is_refused_and_says_how_many_characters_were_given(code, given):
    info = analyze(code)

    assert info.refused is True
    assert info.valid is False
    assert info.problem_codes[0] == "length"
    assert info.problems[0].status == "fail"
    assert f"现在是{given}位" in info.problems[0].message
    assert "18位" in info.problems[0].message


@pytest.mark.parametrize("raw", ["", "   ", "\u3000"])
def test_empty_input_is_refused_as_empty(raw):
    info = analyze(raw)

    assert info.refused is True
    assert info.problem_codes == ("empty",)


@pytest.mark.parametrize(
    "raw",
    [
        "91350100m000100y43",
        " 9135 0100 M000 100Y 43 ",
        "91350100M000100Y43\n",
        "9135\u30000100M000100Y43",  # full-width (ideographic) space
        "\t91350100M000\u00a0100Y43",
        "９１３５０１００ｍ０００１００Ｙ４３",  # full-width letters and digits
        "\u200b91350100M000100Y43",  # zero-width space from copy and paste
    ],
)
def test_lower_case_spaces_and_full_width_characters_are_normalised(raw):
    assert normalize(raw) == "91350100M000100Y43"
    info = analyze(raw)
    assert info.code == "91350100M000100Y43"
    assert info.valid is True


def test_unknown_registration_authority_is_refused():
    info = analyze(with_check_char("B1350100M000100Y4"))

    assert info.refused is True
    assert info.problem_codes == ("authority",)
    assert "第1位「B」" in info.problems[0].message
    assert info.authority is None


@pytest.mark.parametrize(
    ("first17", "authority", "allowed"),
    [
        ("94350100M000100Y4", "工商", "1 企业、2 个体工商户、3 农民专业合作社"),
        ("99350100M000100Y4", "工商", "3 农民专业合作社"),
        ("Y2350100M000100Y4", "其他", "1 其他"),
        ("54350100M000100Y4", "民政", "3 基金会"),
    ],
)
def test_category_not_defined_for_the_authority_is_refused_and_lists_allowed_ones(
    first17, authority, allowed
):
    info = analyze(with_check_char(first17))

    assert info.refused is True
    assert info.problem_codes == ("category",)
    assert info.authority == authority
    assert info.category is None
    assert f"「{authority}」" in info.problems[0].message
    assert allowed in info.problems[0].message


def test_region_not_in_the_gbt2260_table_is_only_a_warning_and_the_code_is_kept():
    info = analyze(with_check_char("91999999M000100Y4"))

    assert info.refused is False
    assert info.valid is True  # valid = no error and a correct check character
    assert info.problem_codes == ("region",)
    assert info.problems[0].status == "warn"
    assert info.region_code == "999999"
    assert info.province is None


def test_region_that_is_not_six_digits_is_a_format_error():
    info = analyze(with_check_char("9111A108551385082"))

    assert info.refused is True
    assert "region_format" in info.problem_codes
    assert info.region_code is None


def test_format_error_and_warning_can_both_be_reported():
    info = analyze("94350100M000100Y43")  # category 4 is not defined for 工商, check fails too

    assert info.refused is True
    assert set(info.problem_codes) == {"category", "check_char"}
    assert {p.code: p.status for p in info.problems} == {
        "category": "fail",
        "check_char": "warn",
    }


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("110000", ("北京市", None, None)),
        ("110108", ("北京市", None, "海淀区")),
        ("350000", ("福建省", None, None)),
        ("350100", ("福建省", "福州市", None)),
        ("350211", ("福建省", "厦门市", "集美区")),
        ("429004", ("湖北省", None, "仙桃市")),  # 省直辖县级行政单位 has no city
        ("500101", ("重庆市", None, "万州区")),
    ],
)
def test_region_names_follow_province_city_district(region, expected):
    names = region_names(region)

    assert (names["province"], names["city"], names["district"]) == expected


def test_result_is_immutable_and_serialises_to_json_ready_dict():
    info = analyze(PILOT_CODE)

    with pytest.raises(dataclasses.FrozenInstanceError):
        info.valid = True  # type: ignore[misc]
    data = info.to_dict()
    for key in (
        "code",
        "valid",
        "refused",
        "check_char_ok",
        "authority",
        "authority_code",
        "category",
        "category_code",
        "region_code",
        "province",
        "city",
        "district",
        "org_code",
        "org_code_check_ok",
        "problems",
    ):
        assert key in data
    [problem] = data["problems"]
    assert (problem["code"], problem["status"]) == ("check_char", "warn")
    assert problem["message"] == info.problems[0].message


def test_orgs_engine_does_not_import_django():
    script = (
        "import sys\n"
        "import manyi.orgs.cli, manyi.orgs.creditcode, manyi.orgs.industries\n"
        "import manyi.orgs.provider, manyi.orgs.sizeclass\n"
        "manyi.orgs.sizeclass.default_rules()\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
