"""《统计上大中小微型企业划分办法（2017）》: every row of the table, at every boundary.

The expected bounds below are copied from the project reference
(/work/shared/reference/enterprise-size-2017.md), independently of the data file, so that a
change to the data file that disagrees with the reference fails here.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from manyi.orgs import industries
from manyi.orgs.industries import UnknownIndustryError
from manyi.orgs.sizeclass import (
    AmbiguousIndustryError,
    MissingIndicatorError,
    SizeDataError,
    SizeInputError,
    classify,
    default_rules,
    load_rules,
    rule_for,
)

# Row name in the data → (industry codes to try, {indicator: (large, medium, small)}).
TABLE = {
    "农、林、牧、渔业": (["A", "01", "05"], {"revenue": (20000, 500, 50)}),
    "工业": (
        ["B", "C", "D", "06", "13", "46"],
        {"employees": (1000, 300, 20), "revenue": (40000, 2000, 300)},
    ),
    "建筑业": (["E", "47", "50"], {"revenue": (80000, 6000, 300), "assets": (80000, 5000, 300)}),
    "批发业": (["51"], {"employees": (200, 20, 5), "revenue": (40000, 5000, 1000)}),
    "零售业": (["52"], {"employees": (300, 50, 10), "revenue": (20000, 500, 100)}),
    "交通运输业": (
        ["54", "55", "56", "57", "58", "591", "5910"],
        {"employees": (1000, 300, 20), "revenue": (30000, 3000, 200)},
    ),
    "仓储业": (
        ["592", "593", "594", "5942", "595", "596", "599"],
        {"employees": (200, 100, 20), "revenue": (30000, 1000, 100)},
    ),
    "邮政业": (["60"], {"employees": (1000, 300, 20), "revenue": (30000, 2000, 100)}),
    "住宿业、餐饮业": (
        ["61", "62", "H"],
        {"employees": (300, 100, 10), "revenue": (10000, 2000, 100)},
    ),
    "信息传输业": (["63", "64"], {"employees": (2000, 100, 10), "revenue": (100000, 1000, 100)}),
    "软件和信息技术服务业": (
        ["65"],
        {"employees": (300, 100, 10), "revenue": (10000, 1000, 50)},
    ),
    "房地产开发经营": (
        ["7010", "701"],
        {"revenue": (200000, 1000, 100), "assets": (10000, 5000, 2000)},
    ),
    "物业管理": (["702", "7020"], {"employees": (1000, 300, 100), "revenue": (5000, 1000, 500)}),
    "租赁和商务服务业": (
        ["L", "71", "72"],
        {"employees": (300, 100, 10), "assets": (120000, 8000, 100)},
    ),
    "其他未列明行业": (
        ["M", "73", "N", "79", "O", "82", "85", "R", "90", "703", "7030", "709"],
        {"employees": (300, 100, 10)},
    ),
}
LEVELS = ("大型", "中型", "小型")
NEXT_DOWN = {"大型": "中型", "中型": "小型", "小型": "微型"}
# "One below" a bound: one person, or one 万元 cent — lower-inclusive bounds.
STEP = {"employees": 1, "revenue": Decimal("0.01"), "assets": Decimal("0.01")}

ROW_CASES = [
    pytest.param(row, code, bounds, id=f"{row}-{code}")
    for row, (codes, bounds) in TABLE.items()
    for code in codes
]
ROWS_ONCE = [pytest.param(row, codes[0], bounds, id=row) for row, (codes, bounds) in TABLE.items()]
MULTI_INDICATOR_ROWS = [case for case in ROWS_ONCE if len(case.values[2]) > 1]


def at(bounds: dict, level: str) -> dict:
    """Every indicator exactly at the lower bound of ``level``."""
    index = LEVELS.index(level)
    return {key: _value(key, values[index]) for key, values in bounds.items()}


def _value(key: str, number: int | Decimal):
    return int(number) if key == "employees" else Decimal(number)


# ---------------------------------------------------------------------- every row, every bound


@pytest.mark.parametrize(("row", "code", "bounds"), ROW_CASES)
def test_each_industry_code_uses_its_row_of_the_table(row, code, bounds):
    entry = rule_for(code)

    assert entry.name == row
    assert {k: tuple(v.values()) for k, v in entry.bounds.items()} == bounds


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(("row", "code", "bounds"), ROWS_ONCE)
def test_exactly_at_every_lower_bound_gives_that_class(row, code, bounds, level):
    result = classify(code, **at(bounds, level))

    assert result.size == level
    assert result.classified is True
    assert result.industry_row == row


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(("row", "code", "bounds"), ROWS_ONCE)
def test_one_below_a_lower_bound_on_any_indicator_drops_one_class(row, code, bounds, level):
    for key in bounds:
        values = at(bounds, level)
        values[key] -= STEP[key]

        assert classify(code, **values).size == NEXT_DOWN[level], key


@pytest.mark.parametrize(("row", "code", "bounds"), ROWS_ONCE)
def test_below_every_small_bound_is_micro(row, code, bounds):
    values = {key: v - STEP[key] for key, v in at(bounds, "小型").items()}

    assert classify(code, **values).size == "微型"


@pytest.mark.parametrize(("row", "code", "bounds"), ROWS_ONCE)
def test_zero_is_micro(row, code, bounds):
    assert classify(code, **dict.fromkeys(bounds, 0)).size == "微型"


@pytest.mark.parametrize(("row", "code", "bounds"), MULTI_INDICATOR_ROWS)
def test_one_indicator_large_and_another_only_medium_is_medium(row, code, bounds):
    first, second = list(bounds)
    values = at(bounds, "大型")
    values[second] = at(bounds, "中型")[second]

    assert classify(code, **values).size == "中型"
    values = at(bounds, "大型")
    values[first] = at(bounds, "中型")[first]
    assert classify(code, **values).size == "中型"


@pytest.mark.parametrize(("row", "code", "bounds"), MULTI_INDICATOR_ROWS)
def test_micro_when_any_one_indicator_is_below_the_small_bound(row, code, bounds):
    for key in bounds:
        values = at(bounds, "大型")
        values[key] = at(bounds, "小型")[key] - STEP[key]

        assert classify(code, **values).size == "微型", key


def test_result_records_the_rule_row_and_indicators_used():
    result = classify("C", employees=350, revenue=Decimal("1500"), assets=Decimal("99"))

    assert result.size == "小型"
    assert result.industry_row == "工业"
    assert result.indicators_used == {"employees": 350, "revenue": Decimal("1500")}
    assert "工业（B、C、D）" in result.rule
    assert "从业人员" in result.rule and "≥1000" in result.rule and "≥300" in result.rule
    assert "按最低一档定为小型" in result.explanation
    assert result.reason is None


def test_json_dict_has_size_and_keeps_money_exact():
    data = classify("65", employees=120, revenue="1000.50").to_dict()

    assert data["size"] == "中型"
    assert data["classified"] is True
    assert data["indicators_used"] == {"employees": 120, "revenue": "1000.50"}
    json.dumps(data, ensure_ascii=False)


def test_indicators_the_row_does_not_use_are_ignored():
    result = classify("M", employees=50, revenue=Decimal("999999"), assets=Decimal("999999"))

    assert result.size == "小型"
    assert result.indicators_used == {"employees": 50}


# ---------------------------------------------------------------------- most specific match


def test_real_estate_development_7010_uses_revenue_and_assets():
    assert rule_for("7010").name == "房地产开发经营"


def test_property_management_702_has_its_own_row():
    assert rule_for("702").name == "物业管理"
    assert rule_for("7020").name == "物业管理"


@pytest.mark.parametrize("code", ["703", "7030", "709", "7090"])
def test_other_real_estate_uses_the_employees_only_row(code):
    assert rule_for(code).name == "其他未列明行业"


def test_loading_and_unloading_591_counts_as_transport_not_warehousing():
    assert rule_for("591").name == "交通运输业"
    assert rule_for("592").name == "仓储业"


@pytest.mark.parametrize(
    ("code", "options"),
    [
        ("70", ["701", "702", "703", "704", "709"]),
        ("K", ["701", "702", "703", "704", "709"]),
        ("59", ["591", "592", "593", "594", "595", "596", "599"]),
        ("G", ["53", "54", "55", "56", "57", "58", "59", "60"]),
        ("F", ["51", "52"]),
        ("I", ["63", "64", "65"]),
        ("Q", ["84", "85"]),
    ],
)
def test_a_code_too_coarse_to_pick_one_row_asks_for_a_finer_one(code, options):
    with pytest.raises(AmbiguousIndustryError) as caught:
        classify(code, employees=10, revenue=10, assets=10)

    assert [c for c, _ in caught.value.options] == options
    assert "请填写更具体的行业代码" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_every_division_has_a_row_an_exclusion_or_finer_rows():
    coarse = set()
    for division in industries.divisions():
        try:
            rule_for(division.code)
        except AmbiguousIndustryError:
            coarse.add(division.code)

    assert coarse == {"59", "70"}


# ---------------------------------------------------------------------- outside the rules


@pytest.mark.parametrize(
    ("code", "row"),
    [
        ("J", "金融业"),
        ("66", "金融业"),
        ("53", "铁路运输业"),
        ("P", "教育"),
        ("83", "教育"),
        ("84", "卫生"),
        ("S", "公共管理、社会保障和社会组织"),
        ("92", "公共管理、社会保障和社会组织"),
        ("T", "国际组织"),
        ("704", "房地产租赁经营"),
    ],
)
def test_industries_outside_the_rules_are_not_classified_with_a_reason(code, row):
    result = classify(code, employees=5000, revenue=10**6, assets=10**6)

    assert result.size is None
    assert result.classified is False
    assert result.industry_row == row
    assert result.reason
    assert result.to_dict()["size"] is None


def test_not_classified_needs_no_indicators():
    assert classify("J").classified is False


# ---------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("code", "given", "missing"),
    [
        ("E", {"revenue": 1000}, "资产总额"),
        ("7010", {"revenue": 1000}, "资产总额"),
        ("A", {"employees": 10}, "营业收入"),
        ("L", {"employees": 10}, "资产总额"),
        ("C", {"revenue": 1000}, "从业人员"),
        ("M", {"revenue": 1000}, "从业人员"),
    ],
)
def test_a_missing_needed_indicator_is_an_error_naming_it(code, given, missing):
    with pytest.raises(MissingIndicatorError) as caught:
        classify(code, **given)

    assert missing in str(caught.value)
    assert caught.value.indicators == [missing]


@pytest.mark.parametrize(
    "given",
    [
        {"employees": -1},
        {"employees": "3.5"},
        {"employees": True},
        {"employees": "十"},
        {"revenue": -1},
        {"revenue": "NaN"},
        {"revenue": "abc"},
        {"assets": Decimal("-0.01")},
        {"assets": "Infinity"},
    ],
)
def test_negative_or_non_numeric_values_are_rejected(given):
    with pytest.raises(SizeInputError):
        classify("C", **{"employees": 1, "revenue": 1, **given})


def test_numbers_may_be_given_as_strings():
    assert classify("C", employees="300", revenue="2000.00").size == "中型"


def test_unknown_industry_is_an_error():
    with pytest.raises(UnknownIndustryError):
        classify("98", employees=1, revenue=1)


# ---------------------------------------------------------------------- the data file


def packaged_data() -> dict:
    resource = resources.files("manyi.orgs").joinpath("data", "size_classes_2017.json")
    return json.loads(resource.read_text("utf-8"))


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "size_classes.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def row_named(data: dict, key: str) -> dict:
    return next(row for row in data["rows"] if row["key"] == key)


def test_the_packaged_table_has_one_row_per_line_of_the_reference():
    assert [row.name for row in default_rules().rows] == list(TABLE)


def test_a_corrected_copy_of_the_data_file_changes_the_result(tmp_path):
    data = packaged_data()
    row_named(data, "industry")["bounds"]["employees"]["medium"] = 250
    rules = load_rules(write(tmp_path, data))

    assert classify("C", employees=250, revenue=2000, rules=rules).size == "中型"
    assert classify("C", employees=250, revenue=2000).size == "小型"


def _mutations():
    def descending(data):
        row_named(data, "industry")["bounds"]["revenue"]["medium"] = 50000

    def unknown_indicator(data):
        row_named(data, "industry")["bounds"]["profit"] = {"large": 3, "medium": 2, "small": 1}

    def missing_level(data):
        del row_named(data, "retail")["bounds"]["employees"]["small"]

    def negative_bound(data):
        row_named(data, "agriculture")["bounds"]["revenue"]["small"] = -5

    def unknown_industry(data):
        row_named(data, "postal")["industries"] = ["99"]

    def duplicate_industry(data):
        row_named(data, "postal")["industries"] = ["60", "52"]

    def gap(data):
        data["not_classified"] = [x for x in data["not_classified"] if x["key"] != "finance"]

    def no_reason(data):
        data["not_classified"][0]["reason"] = ""

    return [
        pytest.param(descending, "rows[industry].bounds.revenue", "从大到小", id="not-descending"),
        pytest.param(unknown_indicator, "rows[industry].bounds.profit", "未知指标", id="indicator"),
        pytest.param(missing_level, "rows[retail].bounds.employees", "small", id="missing-level"),
        pytest.param(
            negative_bound, "rows[agriculture].bounds.revenue.small", "正数", id="negative"
        ),
        pytest.param(unknown_industry, "rows[postal].industries", "99", id="unknown-industry"),
        pytest.param(duplicate_industry, "rows[postal].industries", "零售业", id="duplicate"),
        pytest.param(gap, "rows / not_classified", "大类 66", id="coverage-gap"),
        pytest.param(no_reason, "not_classified[finance].reason", "原因", id="no-reason"),
    ]


@pytest.mark.parametrize(("mutate", "key", "problem"), _mutations())
def test_the_loader_rejects_a_malformed_file_naming_file_key_and_problem(
    tmp_path, mutate, key, problem
):
    data = copy.deepcopy(packaged_data())
    mutate(data)
    path = write(tmp_path, data)

    with pytest.raises(SizeDataError) as caught:
        load_rules(path)

    message = str(caught.value)
    assert str(path) in message
    assert key in message
    assert problem in message
    assert (caught.value.path, caught.value.key) == (str(path), key)


def test_the_loader_rejects_invalid_json_with_the_position(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"rows": [', "utf-8")

    with pytest.raises(SizeDataError, match="不是合法的 JSON") as caught:
        load_rules(path)

    assert str(path) in str(caught.value)
    assert "第1行" in caught.value.key


def test_the_loader_reports_a_missing_file(tmp_path):
    with pytest.raises(SizeDataError, match="无法读取"):
        load_rules(tmp_path / "absent.json")
