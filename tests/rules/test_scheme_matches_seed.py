"""The 2025 scheme file holds what the seed (the official 2025 application form) says.

The seed is a text export of a DOCX. Parsing rules used here:

* **Template sections** start at a line ``用户满意经营实践报告（X类模板）`` and run to the next one
  (the last runs to the end of the file).
* Inside a template, a non-blank line ending in ``。`` is a **guidance paragraph** belonging to
  the heading above it; every other non-blank line is a **heading line**. A heading's title is
  the line without its leading number (一、 / （一） / 1. / （1）, half- or full-width brackets,
  spaces after it) and without a trailing ``（N字）`` budget. Word's automatic numbers were lost
  in places, so numbers are compared only where the seed still has them.
* **Material phrases** come from sections 一, 二 and 三 of 填报说明 by three rules, see
  :func:`titled_documents`, :func:`item_names` and :func:`material_sentences`.
"""

from __future__ import annotations

import re

import pytest

from manyi.rules import Scheme

TEMPLATE_TITLE = re.compile(r"^用户满意经营实践报告（(?P<category>.+类)模板）$")
HEADING_NUMBER = re.compile(
    r"^(?P<number>[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+\.|[（(]\d+[）)])\s*"
)
BUDGET = re.compile(r"（(?P<budget>\d+)字）$")
CATEGORY_NAMES = {"企业类", "班组类", "服务类", "产品类", "工程类"}


def squeeze(text: str) -> str:
    """Whitespace removed; the lost check boxes ("(" in the export, "□" in the scheme) too."""
    return re.sub(r"[\s□(]", "", text)


# --- report outlines ---------------------------------------------------------------------------


def template_sections(lines: list[str]) -> dict[str, list[str]]:
    starts = [i for i, line in enumerate(lines) if TEMPLATE_TITLE.match(line)]
    ends = [*starts[1:], len(lines)]
    return {
        lines[s]: [line for line in lines[s + 1 : e] if line]
        for s, e in zip(starts, ends, strict=True)
    }


def seed_headings(section: list[str]) -> list[dict]:
    headings: list[dict] = []
    for line in section:
        if line.endswith("。"):
            headings[-1]["guidance"].append(line)
            continue
        number = HEADING_NUMBER.match(line)
        rest = line[number.end() :] if number else line
        budget = BUDGET.search(rest)
        headings.append(
            {
                "number": number.group("number") if number else None,
                "title": (rest[: budget.start()] if budget else rest).strip(),
                "budget": int(budget.group("budget")) if budget else None,
                "guidance": [],
            }
        )
    return headings


def fold_brackets(number: str) -> str:
    return number.replace("(", "（").replace(")", "）")


def test_the_seed_has_a_report_template_for_each_of_the_five_categories(seed_lines, scheme):
    names = {TEMPLATE_TITLE.match(t).group("category") for t in template_sections(seed_lines)}
    assert names == CATEGORY_NAMES == {c.name for c in scheme.categories}


def test_every_outline_heading_of_every_category_is_in_the_scheme_in_the_seed_order(
    seed_lines, scheme: Scheme
):
    for template, section in template_sections(seed_lines).items():
        category_name = TEMPLATE_TITLE.match(template).group("category")
        category = next(c for c in scheme.categories if c.name == category_name)
        outline = scheme.outline(category.key)
        expected = [h["title"] for h in seed_headings(section)]
        assert [h.title for h in outline.headings] == expected, category_name
        assert outline.template_name == template


def test_outline_numbers_budgets_and_guidance_are_the_seeds(seed_lines, scheme: Scheme):
    for template, section in template_sections(seed_lines).items():
        category_name = TEMPLATE_TITLE.match(template).group("category")
        outline = next(
            o for o in scheme.outlines if scheme.category(o.category).name == category_name
        )
        for ours, theirs in zip(outline.headings, seed_headings(section), strict=True):
            where = f"{category_name} {ours.text}"
            if theirs["number"]:
                assert ours.number == fold_brackets(theirs["number"]), where
            assert ours.budget == theirs["budget"], where
            assert ours.guidance == "\n".join(theirs["guidance"]), where


def test_numbers_lost_in_the_export_are_restored(scheme: Scheme):
    enterprise = [h.text for h in scheme.outline("enterprise").headings]
    assert "（一）策划" in enterprise and "（二）实施" in enterprise
    team = scheme.outline("team").headings
    assert [h.text for h in team[:3]] == [
        "一、企业简介（1000字）",
        "（一）企业简介",
        "（二）所申报班组的情况介绍",
    ]


def test_category_specific_headings_differ_as_in_the_seed(scheme: Scheme):
    def titles(category: str) -> list[str]:
        return [h.title for h in scheme.outline(category).headings]

    assert {"识别用户要求", "确定用户要求", "项目沟通机制", "工程社会影响"} <= set(
        titles("engineering")
    )
    assert "开展调研分析" not in titles("team")  # 班组类 需求分析 has no level-4 headings
    assert "实现社会效益" in titles("product")
    for category in ("team", "service", "product", "engineering"):
        assert titles(category)[2].startswith("所申报")


# --- materials ---------------------------------------------------------------------------------

# Every material the seed names, and the scheme material it is. A phrase matches its material
# when it occurs (whitespace ignored) in the material's name or in one of its ``sources``.
SEED_MATERIALS = {
    "封面和目录": "cover",
    "企业用户满意经营承诺书": "commitment_operation",
    "用户满意等级评价申报承诺书": "commitment_application",
    "用户满意等级评价申请表": "application_form",
    "用户满意经营实践报告": "practice_report",
    "用户满意经营的实践报告": "practice_report",
    "PDF版本报告": "practice_report",
    "PPT": "report_ppt",
    "讲解视频": "report_video",
    "其他证实性材料": "other_proofs",
    "有效期内年检合格营业执照复印件": "business_licence",
    "企业近三年与用户有关的奖项、荣誉复印件": "enterprise_awards",
    "所申请类别的奖项和荣誉证实性材料": "category_awards",
    "产品检测报告复印件": "product_test_report",
    "商标注册证书": "trademark_certificate",
    "工程竣工验收证明": "completion_acceptance",
    "建设单位（用户）满意度评价鉴定意见": "owner_satisfaction_opinion",
    "测量方案": "measurement_plan",
    "调查问卷": "questionnaire",
    "实施方案": "implementation_plan",
    "数据库": "survey_database",
    "第三方测量报告": "measurement_report",
    "第三方测量机构资质证书复印件": "agency_qualification",
    "被访者名单": "respondent_list",
    "其他证实性资料": "measurement_other_evidence",
    "数据采集过程证实性材料": "data_collection_evidence",
    "数据复核记录": "data_review_record",
    "数据校验标准和查错记录": "data_validation_record",
    "数据清洗过程记录": "data_cleaning_record",
}
ITEM = re.compile(r"^（[一二三四五六七八九十]+）(?P<name>.+)$")


def instruction_sections(lines: list[str]) -> dict[str, list[str]]:
    """填报说明 sections 一, 二, 三 (from "一、申请材料构成" up to 附件1-1), blank lines dropped."""
    body = lines[lines.index("填 报 说 明") + 1 : lines.index("附件1-1")]
    sections: dict[str, list[str]] = {}
    current = ""
    for line in body:
        if re.match(r"^[一二三]、", line):
            current = line[0]
        if line and current:
            sections.setdefault(current, []).append(line)
    return sections


def titled_documents(sections: dict[str, list[str]]) -> list[str]:
    """Rule 1: every 《…》 title in section 一."""
    return [t for line in sections["一"] for t in re.findall(r"《(.+?)》", line)]


def item_names(sections: dict[str, list[str]]) -> list[str]:
    """Rule 2: every （n） item of sections 二 and 三, without （附件…） and 如有请提供."""
    names = []
    for line in sections["二"] + sections["三"]:
        item = ITEM.match(line)
        if item:
            name = re.sub(r"（附件[^）]*）$", "", item.group("name"))
            names.append(name.removesuffix("如有请提供"))
    return names


def material_sentences(sections: dict[str, list[str]]) -> list[str]:
    """Rule 3: the sentences that name materials: section 一's numbered lines (1.–4.), every
    line under 二（六）其他证实性材料, and section 三's lines starting with 附 or 包括."""
    numbered = [line for line in sections["一"] if re.match(r"^\d+\.", line)]
    second = sections["二"]
    proofs = second[second.index("（六）其他证实性材料") + 1 :]
    third = [line for line in sections["三"] if line.startswith(("附", "包括"))]
    return numbered + proofs + third


def matches(scheme: Scheme, phrase: str, key: str) -> bool:
    material = scheme.material(key)
    return any(squeeze(phrase) in squeeze(text) for text in (material.name, *material.sources))


def test_every_listed_seed_material_phrase_is_in_the_seed(seed_lines):
    sections = instruction_sections(seed_lines)
    instructions = squeeze("".join(line for lines in sections.values() for line in lines))
    for phrase in SEED_MATERIALS:
        assert squeeze(phrase) in instructions, phrase


def test_every_material_the_seed_names_is_a_scheme_material(seed_lines, scheme: Scheme):
    sections = instruction_sections(seed_lines)
    named = set(titled_documents(sections) + item_names(sections))
    assert len(named) == 14  # 4 titled documents, 封面和目录, 实践报告, 其他证实性材料, 7 of 三
    for phrase in named:
        assert phrase in SEED_MATERIALS, f"申请书提到的材料未列入：{phrase}"
    for phrase, key in SEED_MATERIALS.items():
        assert matches(scheme, phrase, key), f"{phrase} → {key}"


def test_every_seed_sentence_about_materials_is_quoted_by_a_material(seed_lines, scheme):
    sources = {squeeze(s) for m in scheme.materials for s in m.sources}
    sentences = material_sentences(instruction_sections(seed_lines))
    assert len(sentences) == 4 + 5 + 2
    for sentence in sentences:
        assert squeeze(sentence) in sources, sentence
        assert any(phrase in sentence for phrase in SEED_MATERIALS), sentence


def seed_quotes(scheme: Scheme) -> list[str]:
    """Every text the scheme says it took from the form, rules' quotes included."""
    quoted = [s for m in scheme.materials for s in m.sources]
    quoted += list(scheme.binding.sources) + list(scheme.report_format.sources)
    quoted += [scheme.measurement.source]
    quoted += [r.quote for _, r in scheme.measurement.rules().values() if r.source == "seed"]
    fields = (
        scheme.cover.fields
        + scheme.form.common
        + tuple(f for section in scheme.form.sections for f in section.fields)
    )
    quoted += [field.quote for field in fields if field.quote]
    quoted += list(scheme.form.instructions)
    rules = [rule for field in fields for rule in field.rules]
    rules += list(scheme.general_rules.values())
    rules += [rule for _group, rule in scheme.report_format.rules]
    for material in scheme.materials:
        rules += [*material.presence, *material.limits.values()]
        rules += [material.filename] if material.filename else []
    quoted += [rule.quote for rule in rules if rule.source == "seed" and rule.quote]
    return quoted


# The exported seed prints the form's tick boxes □ as "(".
def as_exported(text: str) -> str:
    return squeeze(text).replace("□", "(")


def test_every_quoted_source_is_seed_text(seed_lines, scheme: Scheme):
    seed = squeeze("".join(seed_lines))
    for text in seed_quotes(scheme):
        assert as_exported(text) in seed, text


# --- form and letters --------------------------------------------------------------------------


def test_every_form_label_is_the_seeds_colons_included(seed_lines, scheme: Scheme):
    form = seed_lines[seed_lines.index("附件1-3") : seed_lines.index("附件1-4")]
    boxes = {line for line in form if line}
    for category in scheme.categories:
        for field in scheme.form_fields(category.key):
            assert field.label in boxes, field.label
        assert scheme.form.section(category.key).title in boxes


@pytest.mark.parametrize("attachment", ["附件1-1", "附件1-2"])
def test_commitment_letters_are_the_seeds_lines(seed_lines, scheme: Scheme, attachment):
    letter = next(x for x in scheme.commitment_letters if x.attachment == attachment)
    start = seed_lines.index(attachment) + 1
    end = next(i for i in range(start, len(seed_lines)) if seed_lines[i].startswith("附件1-"))
    assert letter.lines() == [line for line in seed_lines[start:end] if line]
