"""A broken scheme file is refused with a Chinese message naming the file, the key path and why.

Each test takes the real 2025 file, breaks one thing, and loads it as ``2026.toml``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from manyi.rules import Scheme, SchemeError, load_scheme_file
from manyi.rules.loader import load_scheme


def broken(tmp_path: Path, text: str, old: str, new: str) -> Path:
    assert old in text, f"测试前提不成立：文件中没有 {old!r}"
    path = tmp_path / "2026.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def error_for(path: Path) -> str:
    with pytest.raises(SchemeError) as caught:
        load_scheme_file(path)
    message = str(caught.value)
    assert "2026.toml" in message
    return message


def test_the_packaged_file_itself_is_valid(tmp_path: Path, scheme_text: str):
    path = tmp_path / "2026.toml"
    path.write_text(scheme_text, encoding="utf-8")
    assert isinstance(load_scheme_file(path), Scheme)


def test_toml_syntax_error_gives_line_and_column(tmp_path: Path, scheme_text: str):
    path = broken(tmp_path, scheme_text, "year = 2025\n", "year = = 2025\n")
    line = scheme_text.splitlines().index("year = 2025") + 1
    message = error_for(path)
    assert f"第 {line} 行" in message and "列" in message and "TOML 语法错误" in message


def test_missing_key_is_named_with_its_path(tmp_path: Path, scheme_text: str):
    path = broken(tmp_path, scheme_text, 'version = "2025.1"', "")
    assert "campaign.version：缺少必填的键" in error_for(path)


def test_wrong_type_names_the_expected_type_and_the_value(tmp_path: Path, scheme_text: str):
    path = broken(tmp_path, scheme_text, 'formats = ["pdf"]\n', 'formats = "pdf"\n')
    index = [m.key for m in load_scheme(2025).materials].index("practice_report")
    message = error_for(path)
    assert f"materials[{index}].formats（practice_report）：类型错误，应为数组" in message
    assert "'pdf'" in message


def test_unknown_file_format_lists_the_accepted_ones(tmp_path: Path, scheme_text: str):
    path = broken(tmp_path, scheme_text, 'formats = ["pdf"]\n', 'formats = ["pfd"]\n')
    message = error_for(path)
    assert ".formats[0]（practice_report）：取值无效，可选值：" in message
    assert "至少需要" not in message  # the empty list is a consequence, not a second problem


def test_unknown_key_is_reported_as_a_probable_typo(tmp_path: Path, scheme_text: str):
    path = broken(tmp_path, scheme_text, "data_year = 2024", "data_year = 2024\ndata_yaer = 2024")
    assert "campaign.data_yaer：未知的键" in error_for(path)


def test_rule_referring_to_a_missing_field_is_a_dangling_reference(tmp_path, scheme_text):
    path = broken(tmp_path, scheme_text, 'other = "acceptance_date"', 'other = "acceptance_day"')
    message = error_for(path)
    assert "form.sections[4].fields[5].rules[0].other（completion_date）" in message
    assert "引用的字段 'acceptance_day' 不在 engineering 的申请表中" in message


def test_binding_order_naming_an_unknown_material_is_refused(tmp_path, scheme_text):
    path = broken(tmp_path, scheme_text, '  "trademark_certificate",\n', '  "trademark",\n')
    message = error_for(path)
    assert "binding.parts[5].materials[4]（other_proofs）：未知的材料 'trademark'" in message


def test_eligibility_naming_an_unknown_level_is_refused(tmp_path: Path, scheme_text: str):
    path = broken(tmp_path, scheme_text, 'product = ["four", "three"]', 'product = ["four", "two"]')
    assert "eligibility.product[1]：未知的等级 'two'" in error_for(path)


def test_outline_with_a_numbering_gap_is_refused(tmp_path: Path, scheme_text: str):
    old = 'number = "（三）"\ntitle = "评价"'
    path = broken(tmp_path, scheme_text, old, 'number = "（四）"\ntitle = "评价"')
    index = [h.title for h in load_scheme(2025).outline("enterprise").headings].index("评价")
    message = error_for(path)
    assert f"outlines[0].headings[{index}].number（评价）" in message
    assert "编号应为 '（三）'，实为 '（四）'" in message


def test_outline_skipping_a_level_is_refused(tmp_path: Path, scheme_text: str):
    old = 'level = 3\nnumber = "1."\ntitle = "满意理念"'
    path = broken(tmp_path, scheme_text, old, 'level = 4\nnumber = "（1）"\ntitle = "满意理念"')
    message = error_for(path)
    assert "outlines[0].headings[3].level（满意理念）" in message and "层级从 2 跳到 4" in message


def test_budgets_above_the_total_limit_are_refused(tmp_path: Path, scheme_text: str):
    path = broken(tmp_path, scheme_text, "budget = 8000", "budget = 9000")
    assert "outlines[0].headings（enterprise）：一级标题字数预算合计 11000，超过全文上限 10000" in (
        error_for(path)
    )


def test_unknown_rule_kind_lists_the_known_kinds(tmp_path: Path, scheme_text: str):
    path = broken(tmp_path, scheme_text, 'kind = "max_items"', 'kind = "max_item"')
    message = error_for(path)
    assert "rules[0].kind（quality_characteristics）：规则类型 kind 无效" in message
    assert "'max_items'" in message


def test_rule_on_a_field_of_the_wrong_type_is_refused(tmp_path: Path, scheme_text: str):
    old = 'kind = "exact_items"\nvalue = 1'
    path = broken(tmp_path, scheme_text, old, 'kind = "date_not_after"\nother = "revenue"')
    message = error_for(path)
    assert "rules[0].kind" in message and "date_not_after 规则只适用于 date 类型字段" in message


def test_data_year_must_be_the_previous_year(tmp_path: Path, scheme_text: str):
    path = broken(tmp_path, scheme_text, "data_year = 2024", "data_year = 2023")
    assert "campaign.data_year：应为上一年度 2024" in error_for(path)


def test_several_problems_are_reported_together(tmp_path: Path, scheme_text: str):
    text = scheme_text.replace('version = "2025.1"', "", 1)
    path = broken(tmp_path, text, "data_year = 2024", "data_year = 2024\nextra = 1")
    message = error_for(path)
    assert "有 2 处错误" in message
    assert "campaign.version" in message and "campaign.extra" in message


def test_a_missing_file_and_an_unknown_year_are_scheme_errors(tmp_path: Path):
    with pytest.raises(SchemeError, match="文件不存在"):
        load_scheme_file(tmp_path / "2026.toml")
    with pytest.raises(SchemeError, match="没有 1999 年的评价方案"):
        load_scheme(1999)
