"""Survey data as agencies deliver it: 问卷星, 腾讯问卷 and 金数据 exports, numbers or labels."""

from __future__ import annotations

import argparse
import datetime
import math
import tomllib

import numpy as np
import pytest

from manyi.measurement import (
    CodebookError,
    QualityRules,
    analyse,
    codebook_toml,
    load_survey,
    packaged_model,
    parse_model,
    recognise,
)
from manyi.measurement.cli import register
from manyi.measurement.codebook import parse_codebook_toml
from manyi.measurement.tables import read_table
from manyi.rules import load_scheme

from .exports import (
    ECSI_WORDING,
    five_levels,
    hand_written_model,
    wjx_export,
    wjx_headers,
    xlsx,
)
from .helpers import csv_bytes

RULES = QualityRules.from_scheme(load_scheme(2025))
TOLERANCE = 1e-6


def run(argv):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.handler(args)


@pytest.fixture(scope="module")
def items(satisfaction):
    return {k: v for k, v in satisfaction.items() if k in ECSI_WORDING}


@pytest.fixture(scope="module")
def reference(satisfaction):
    """The ECSI data as plspm ships it, estimated with the packaged ECSI model."""
    rows = [list(ECSI_WORDING)]
    rows += [[int(satisfaction[k][i]) for k in ECSI_WORDING] for i in range(250)]
    return analyse(csv_bytes(rows), "satisfaction.csv", model=packaged_model("ecsi"), rules=RULES)


def indices(analysis):
    return {k: v.value for k, v in analysis.result.index.items()}


def assert_same_indices(left, right):
    assert set(left) == set(right)
    for key in left:
        assert left[key] is not None and right[key] is not None, key
        assert abs(left[key] - right[key]) < TOLERANCE, key


# --- the ECSI data as a 问卷星 export ------------------------------------------------------------


def test_a_numeric_wjx_export_gives_the_reference_indices(items, reference):
    export = wjx_export(items)
    model = parse_model(hand_written_model(wjx_headers(list(items)), scale="[0, 10]"))
    analysis = analyse(export, "问卷星数据.xlsx", model=model, rules=RULES)
    assert analysis.error is None
    assert_same_indices(indices(analysis), indices(reference))


def test_five_level_text_with_a_reverse_item_declared_in_the_model(items):
    five = {k: five_levels(v) for k, v in items.items()}
    rows = [list(five)] + [[int(five[k][i]) for k in five] for i in range(250)]
    headers = wjx_headers(list(items), reverse=["qual3"])
    numeric = analyse(
        csv_bytes(rows),
        "五级.csv",
        model=parse_model(hand_written_model({k: k for k in items}, scale="[1, 5]")),
        rules=RULES,
    )
    text = analyse(
        wjx_export(items, as_text=True, reverse=["qual3"]),
        "问卷星数据（按文本）.xlsx",
        model=parse_model(hand_written_model(headers, scale="[1, 5]", reverse=["qual3"])),
        rules=RULES,
    )
    assert text.error is None
    assert_same_indices(indices(text), indices(numeric))
    assert any("5 级满意度" in note for note in text.notes)


def test_the_reverse_item_may_be_declared_in_the_codebook_instead(items, tmp_path):
    export = wjx_export(items, as_text=True, reverse=["qual3"])
    (tmp_path / "data.xlsx").write_bytes(export)
    assert (
        run(["survey", "codebook", str(tmp_path / "data.xlsx"), "-o", str(tmp_path / "c.toml")])
        == 0
    )
    text = (tmp_path / "c.toml").read_text(encoding="utf-8")
    header = wjx_headers(list(items), reverse=["qual3"])["qual3"]
    reversed_text = text.replace(f'column = "{header}"\n', f'column = "{header}"\nreverse = true\n')
    codebook = parse_codebook_toml(reversed_text)
    headers = wjx_headers(list(items), reverse=["qual3"])
    model = parse_model(hand_written_model(headers, scale="[1, 5]"))
    declared = analyse(export, "d.xlsx", codebook=codebook, model=model, rules=RULES)
    in_model = analyse(
        export,
        "d.xlsx",
        model=parse_model(hand_written_model(headers, scale="[1, 5]", reverse=["qual3"])),
        rules=RULES,
    )
    assert_same_indices(indices(declared), indices(in_model))


def test_an_unreversed_item_gives_no_index_but_the_reason(items):
    headers = wjx_headers(list(items), reverse=["qual3"])
    analysis = analyse(
        wjx_export(items, as_text=True, reverse=["qual3"]),
        "d.xlsx",
        model=parse_model(hand_written_model(headers, scale="[1, 5]")),
        rules=RULES,
    )
    quality = analysis.result.index["QUAL"]
    assert quality.value is None
    assert quality.note.startswith("题项可能需要反向计分：")
    assert headers["qual3"] in quality.note
    assert any(line.startswith("QUAL：题项可能需要反向计分") for line in analysis.index_failures())


# --- survey codebook, then survey check -----------------------------------------------------------


def test_the_generated_codebook_runs_survey_check_unchanged(items, tmp_path, capsys):
    (tmp_path / "data.xlsx").write_bytes(wjx_export(items, as_text=True))
    out = tmp_path / "codebook.toml"
    assert run(["survey", "codebook", str(tmp_path / "data.xlsx"), "-o", str(out)]) == 0
    assert "27 个题项" in capsys.readouterr().out
    assert run(["survey", "check", str(tmp_path / "data.xlsx"), "--codebook", str(out)]) == 0
    output = capsys.readouterr().out
    assert "原始样本 250 个" in output
    assert "所用时间 —— 问卷星的元数据列（作答用时），不参与分析" in output


def test_data_dated_before_the_campaign_start_is_refused_for_that_reason(items, tmp_path, capsys):
    export = wjx_export(items, as_text=True, first_day=datetime.date(2024, 12, 20))
    (tmp_path / "data.xlsx").write_bytes(export)
    out = tmp_path / "codebook.toml"
    assert run(["survey", "codebook", str(tmp_path / "data.xlsx"), "-o", str(out)]) == 0
    assert run(["survey", "check", str(tmp_path / "data.xlsx"), "--codebook", str(out)]) == 1
    output = capsys.readouterr().out
    assert "[不通过] 访问日期早于开始日期" in output
    assert "申请书要求：开展调查的时间在2025年1月1日之后" in output


def test_the_generated_codebook_says_what_it_guessed(items):
    table = read_table(wjx_export(items, as_text=True), "问卷星数据.xlsx")
    text = codebook_toml(recognise(table), "问卷星数据.xlsx")
    data = tomllib.loads(text)
    assert data["source"] == "问卷星"
    assert data["respondent"] == {"id": "序号", "date": "提交答卷时间"}
    assert data["item"]["q1_1"]["column"] == "1、(该公司值得信赖)"
    assert data["item"]["q1_1"]["labels"] == "satisfaction5"
    assert data["item"]["q21"]["construct"] == "顾客忠诚"
    assert 'construct = "顾客忠诚"' in text and "# 猜测：题目含「推荐」" in text
    assert "#   来自IP —— 问卷星的元数据列（填写者 IP），不参与分析" in text


# --- layouts -----------------------------------------------------------------------------------


def test_wjx_columns_are_classified_with_reasons():
    rows = [
        ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、(服务态度)",
         "1、(响应速度)", "2、您常用哪些业务？(多选)", "3、(宽带)", "3、(电视)", "4、您的年龄",
         "5、您的意见和建议", "6、您的姓名", "7、您的手机号", "8、总体满意度"],
    ]  # fmt: skip
    for i in range(40):
        rows.append(
            [i + 1, datetime.datetime(2025, 4, 1, 10), "80秒", "微信", "群聊", "1.2.3.4",
             ("满意", "非常满意")[i % 2], ("一般", "满意", "不满意")[i % 3], "宽带┋电视",
             i % 2, (i + 1) % 2, 20 + i, f"建议{i}", f"张{i}", f"1390000{i:04d}", 7 + i % 4]
        )  # fmt: skip
    layout = recognise(read_table(xlsx(rows), "wjx.xlsx"))
    kinds = {c.header: c.kind for c in layout.columns}
    assert layout.service == "问卷星"
    assert kinds["所用时间"] == kinds["来自IP"] == "meta"
    assert [c.key for c in layout.items()] == ["q1_1", "q1_2", "q8"]
    assert kinds["2、您常用哪些业务？(多选)"] == "multi"
    assert kinds["3、(宽带)"] == kinds["3、(电视)"] == "multi"
    assert kinds["4、您的年龄"] == "choice"
    assert kinds["5、您的意见和建议"] == "text"
    roles = {c.role: c.header for c in layout.columns if c.kind == "role"}
    assert roles == {
        "id": "序号",
        "date": "提交答卷时间",
        "name": "6、您的姓名",
        "contact": "7、您的手机号",
    }
    assert layout.column("1、(服务态度)").construct == "QUAL"
    assert layout.column("8、总体满意度").construct == "SAT"
    assert layout.column("8、总体满意度").bounds == (1.0, 10.0)
    reasons = dict(layout.unused())
    assert "多选题" in reasons["3、(宽带)"] and "填空题" in reasons["5、您的意见和建议"]


def test_tencent_layout_with_colon_sub_questions():
    rows = [["编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置省", "1.请评价:服务态度",
             "1.请评价:办理效率", "2.您会向朋友推荐我们吗"]]  # fmt: skip
    for i in range(30):
        rows.append([i + 1, "2025/04/01 10:00:00", "2025/04/01 10:05:00", "300", "福建",
                     3 + i % 3, 2 + i % 4, 6 + i % 5])  # fmt: skip
    layout = recognise(read_table(csv_bytes(rows), "tencent.csv"))
    assert layout.service == "腾讯问卷"
    assert [(c.key, c.wording) for c in layout.items()] == [
        ("q1_1", "服务态度"),
        ("q1_2", "办理效率"),
        ("q2", "您会向朋友推荐我们吗"),
    ]
    roles = {c.role: c.header for c in layout.columns if c.kind == "role"}
    assert roles == {"id": "编号", "date": "结束答题时间"}
    assert layout.column("答题时长").kind == "meta"


def test_jinshuju_layout_with_unnumbered_questions_and_trailing_metadata():
    rows = [["序号", "您对产品质量的评价", "您对售后服务的评价", "您会再次购买吗", "提交人",
             "提交时间", "填写设备", "操作系统", "浏览器", "IP"]]  # fmt: skip
    for i in range(30):
        rows.append([i + 1, ("非常满意", "满意", "一般")[i % 3], ("满意", "一般")[i % 2],
                     ("非常同意", "同意", "一般")[i % 3], "匿名", "2025-05-02 10:00:00",
                     "手机", "iOS", "微信", "1.1.1.1"])  # fmt: skip
    layout = recognise(read_table(xlsx(rows), "jinshuju.xlsx"))
    assert layout.service == "金数据"
    assert [(c.key, c.labels, c.construct) for c in layout.items()] == [
        ("q1", "satisfaction5", "QUAL"),
        ("q2", "satisfaction5", "QUAL"),
        ("q3", "agreement5", "LOY"),
    ]
    assert {c.header for c in layout.columns if c.kind == "meta"} == {
        "提交人",
        "填写设备",
        "操作系统",
        "浏览器",
        "IP",
    }


# --- labels and missing answers ----------------------------------------------------------------


def test_seven_level_labels_are_told_apart_from_five():
    labels = ["非常满意", "满意", "比较满意", "一般", "比较不满意", "不满意", "非常不满意"]
    rows = [["序号", "1、(服务)", "1、(价格)"]]
    rows += [[i + 1, labels[i % 7], labels[(i + 2) % 5]] for i in range(35)]
    layout = recognise(read_table(xlsx(rows), "x.xlsx"))
    assert {c.labels for c in layout.items()} == {"satisfaction7"}
    assert {c.bounds for c in layout.items()} == {(1.0, 7.0)}


def test_agreement_with_three_levels_and_do_not_know_as_missing():
    rows = [["编号", "1、我赞成这项改革", "2、我认可这项服务"]]
    answers = ["赞成", "一般", "不赞成", "不知道", "不适用", "拒答"]
    rows += [[i + 1, answers[i % 6], ("同意", "一般", "不同意")[i % 3]] for i in range(36)]
    codebook = parse_codebook_toml(
        '[respondent]\nid = "编号"\n'
        '[item.q1]\ncolumn = "1、我赞成这项改革"\nconstruct = "SAT"\nlabels = "agreement3"\n'
        '[item.q2]\ncolumn = "2、我认可这项服务"\nconstruct = "SAT"\nlabels = "agreement3"\n'
    )
    survey = load_survey(csv_bytes(rows), "x.csv", codebook)
    assert survey.values[:6, 0].tolist()[:3] == [3.0, 2.0, 1.0]
    assert all(math.isnan(v) for v in survey.values[3:6, 0])
    assert survey.codebook.bounds()["q1"] == (1.0, 3.0)


def test_a_labels_table_in_the_codebook_reads_other_scales():
    rows = [["编号", "服务评价"]] + [
        [i + 1, ("很好", "较好", "较差", "很差")[i % 4]] for i in range(8)
    ]
    codebook = parse_codebook_toml(
        '[labels."好坏"]\n"很好" = 4\n"较好" = 3\n"较差" = 2\n"很差" = 1\n'
        '[item.q1]\ncolumn = "服务评价"\nconstruct = "SAT"\nlabels = "好坏"\n'
    )
    survey = load_survey(csv_bytes(rows), "x.csv", codebook)
    assert survey.values[:4, 0].tolist() == [4.0, 3.0, 2.0, 1.0]
    assert survey.codebook.bounds() == {"q1": (1.0, 4.0)}


def test_scores_written_with_their_unit_are_numbers_and_skip_codes_are_missing():
    rows = [["序号", "提交答卷时间", "所用时间", "来源详情", "1、推荐的可能性"]]
    for number, answer in enumerate(("9分", -3, "10（非常愿意）", 0), start=1):
        rows.append([number, "2025-04-01", "60秒", "x", answer])
    table = read_table(csv_bytes(rows), "x.csv")
    layout = recognise(table)
    survey = load_survey(csv_bytes(rows), "x.csv", layout.codebook())
    assert layout.missing == (-3.0, -2.0)
    assert survey.values[:, 0].tolist()[0] == 9.0 and math.isnan(survey.values[1, 0])
    assert survey.values[2:, 0].tolist() == [10.0, 0.0]
    assert layout.items()[0].bounds == (0.0, 10.0)


# --- codebook and model by the agency's words ------------------------------------------------


def test_a_model_names_items_by_codebook_id_or_by_header():
    rows = [["编号", "1、(服务态度)", "1、(办理效率)", "2、总体满意度", "3、总体满意吗"]]
    rng = np.random.default_rng(1)
    for i in range(60):
        base = rng.normal(7, 1.2)
        rows.append(
            [i + 1, *(int(np.clip(round(base + rng.normal(0, 1)), 1, 10)) for _ in range(4))]
        )
    codebook = parse_codebook_toml(
        'scale = [1, 10]\n[item.q1_1]\ncolumn = "1、(服务态度)"\n'
        '[item.q1_2]\ncolumn = "1、(办理效率)"\n'
        '[item.sat]\ncolumn = "2、总体满意度"\n[item.sat2]\ncolumn = "3、总体满意吗"\n'
    )
    model = parse_model(
        '[construct.QUAL]\nitems = ["q1_1", "1、(办理效率)"]\n'
        '[construct.SAT]\nitems = ["2、总体满意度", "sat2"]\n[paths]\nQUAL = ["SAT"]\n'
    )
    analysis = analyse(csv_bytes(rows), "x.csv", codebook=codebook, model=model, rules=RULES)
    assert analysis.result.items == ("q1_1", "q1_2", "sat", "sat2")
    with pytest.raises(CodebookError, match="「1、\\(态度\\)」在码本和数据中找不到"):
        analyse(
            csv_bytes(rows),
            "x.csv",
            codebook=codebook,
            model=parse_model(
                model_text := '[construct.QUAL]\nitems = ["1、(态度)"]\n'
                '[construct.SAT]\nitems = ["sat"]\n[paths]\nQUAL = ["SAT"]\n'
            ),
            rules=RULES,
        )
    assert model_text


def test_codebook_reverse_needs_a_scale():
    with pytest.raises(CodebookError, match="反向计分"):
        parse_codebook_toml('[item.q1]\ncolumn = "a"\nconstruct = "SAT"\nreverse = true\n')


def test_a_reverse_item_is_turned_round_before_anything_else():
    rows = [["编号", "a", "b"]] + [[i + 1, 1 + i % 5, 5 - i % 5] for i in range(10)]
    codebook = parse_codebook_toml(
        'scale = [1, 5]\n[construct.SAT]\nitems = ["a", "b"]\nreverse = ["b"]\n'
    )
    survey = load_survey(csv_bytes(rows), "x.csv", codebook)
    assert survey.values[:, 0].tolist() == survey.values[:, 1].tolist()
    assert survey.reversed_items == ("b",)
