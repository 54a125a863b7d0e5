"""GB/T 4754-2017 门类 and 大类: the table, look-ups and unknown codes."""

from __future__ import annotations

import pytest

from manyi.orgs import industries
from manyi.orgs.industries import UnknownIndustryError

# From the reference: 门类 → its range of 大类.
SECTION_RANGES = {
    "A": ("农、林、牧、渔业", 1, 5),
    "B": ("采矿业", 6, 12),
    "C": ("制造业", 13, 43),
    "D": ("电力、热力、燃气及水生产和供应业", 44, 46),
    "E": ("建筑业", 47, 50),
    "F": ("批发和零售业", 51, 52),
    "G": ("交通运输、仓储和邮政业", 53, 60),
    "H": ("住宿和餐饮业", 61, 62),
    "I": ("信息传输、软件和信息技术服务业", 63, 65),
    "J": ("金融业", 66, 69),
    "K": ("房地产业", 70, 70),
    "L": ("租赁和商务服务业", 71, 72),
    "M": ("科学研究和技术服务业", 73, 75),
    "N": ("水利、环境和公共设施管理业", 76, 79),
    "O": ("居民服务、修理和其他服务业", 80, 82),
    "P": ("教育", 83, 83),
    "Q": ("卫生和社会工作", 84, 85),
    "R": ("文化、体育和娱乐业", 86, 90),
    "S": ("公共管理、社会保障和社会组织", 91, 96),
    "T": ("国际组织", 97, 97),
}


def test_there_are_twenty_sections_a_to_t_with_their_names():
    assert {s.code: s.name for s in industries.sections()} == {
        code: name for code, (name, _, _) in SECTION_RANGES.items()
    }


def test_divisions_run_from_01_to_97_without_gaps_and_all_have_names():
    codes = [d.code for d in industries.divisions()]

    assert codes == [f"{n:02d}" for n in range(1, 98)]
    assert all(d.name for d in industries.divisions())


@pytest.mark.parametrize("section", list(SECTION_RANGES))
def test_each_section_holds_exactly_the_divisions_of_its_range(section):
    _, first, last = SECTION_RANGES[section]

    assert [d.code for d in industries.divisions(section)] == [
        f"{n:02d}" for n in range(first, last + 1)
    ]


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("01", "农业"),
        ("05", "农、林、牧、渔专业及辅助性活动"),
        ("11", "开采专业及辅助性活动"),
        ("13", "农副食品加工业"),
        ("39", "计算机、通信和其他电子设备制造业"),
        ("43", "金属制品、机械和设备修理业"),
        ("53", "铁路运输业"),
        ("58", "多式联运和运输代理业"),
        ("59", "装卸搬运和仓储业"),
        ("65", "软件和信息技术服务业"),
        ("70", "房地产业"),
        ("72", "商务服务业"),
        ("84", "卫生"),
        ("85", "社会工作"),
        ("96", "基层群众自治组织及其他组织"),
        ("97", "国际组织"),
    ],
)
def test_divisions_carry_their_official_names(code, name):
    assert industries.lookup(code).name == name


def test_section_lookup():
    found = industries.lookup("C")

    assert (found.level, found.code, found.name) == ("section", "C", "制造业")
    assert found.division is None
    assert found.path == ("C",)


def test_division_lookup_knows_its_section():
    found = industries.lookup("65")

    assert found.level == "division"
    assert (found.section, found.section_name) == ("I", "信息传输、软件和信息技术服务业")
    assert found.label == "65 软件和信息技术服务业"
    assert found.path == ("65", "I")


def test_group_and_class_codes_map_to_their_division_and_keep_the_detail():
    group = industries.lookup("702")
    klass = industries.lookup("7010")

    assert (group.level, group.division, group.group, group.name) == (
        "group",
        "70",
        "702",
        "物业管理",
    )
    assert (klass.level, klass.division, klass.group, klass.class_code) == (
        "class",
        "70",
        "701",
        "7010",
    )
    assert klass.name == "房地产开发经营"
    assert klass.path == ("7010", "701", "70", "K")


def test_detail_codes_in_divisions_without_a_group_listing_are_accepted_without_a_name():
    found = industries.lookup("1391")

    assert (found.level, found.division, found.group, found.name) == ("class", "13", "139", None)
    assert found.label == "1391（属 13 农副食品加工业）"


@pytest.mark.parametrize(("raw", "code"), [(" c ", "C"), ("K7010", "7010"), ("Ｋ７０１０", "7010")])
def test_lookup_accepts_lower_case_spaces_and_a_matching_section_prefix(raw, code):
    assert industries.lookup(raw).code == code


@pytest.mark.parametrize(
    "code", ["", "Z", "U", "00", "98", "705", "7011", "5915", "ABC", "1", "12345"]
)
def test_unknown_codes_raise_a_value_error_with_a_chinese_message(code):
    with pytest.raises(UnknownIndustryError) as caught:
        industries.lookup(code)

    assert isinstance(caught.value, ValueError)
    assert any("\u4e00" <= char <= "\u9fff" for char in str(caught.value))


def test_a_section_prefix_that_contradicts_the_division_is_rejected():
    with pytest.raises(UnknownIndustryError, match="门类 K"):
        industries.lookup("C7010")


def test_section_of_a_division_or_of_a_finer_code():
    assert industries.section_of("65").code == "I"
    assert industries.section_of("7010").name == "房地产业"


def test_divisions_of_an_unknown_section_is_an_error():
    with pytest.raises(UnknownIndustryError):
        industries.divisions("Z")


def test_children_go_one_level_down_where_the_table_knows_it():
    assert [c.code for c in industries.children("K")] == ["70"]
    assert [c.code for c in industries.children("70")] == ["701", "702", "703", "704", "709"]
    assert [c.code for c in industries.children("594")] == ["5941", "5942", "5949"]
    assert industries.children("13") == []
