"""Survey data as the online services export it: recognise the layout and propose a codebook.

What the services write (from their export files and public code that reads them):

* 问卷星 (wjx.cn): 序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP, then one column per
  question headed "N、题目"; a matrix question gives a column per row, "N、(子题)"; a
  multi-choice question a column per option, "N、(选项)" holding 1/0 (按选项序号), or one column
  with the chosen options joined by "┋" (按文本). Answers are numbers (按序号/按分数) or the option
  text (按文本); a question skipped by logic is −3 (numbers) or "(跳过)" (text). Older exports
  head option columns "第N题(选项)".
* 腾讯问卷: 编号, 开始答题时间, 结束答题时间, 答题时长, 地理位置…, 用户类型, 用户标识, 昵称,
  自定义字段, then "N.题目" and, for matrix rows and options, "N.题目:子题".
* 金数据: 序号, the questions by their title (not numbered), then 提交人, 提交时间, 修改时间,
  填写时长, 填写设备, 操作系统, 浏览器, 填写地区, IP, 微信昵称 ….

Anything else is read by its column names (imag1, 品牌形象2, 编号, 访问日期 …) and its answers.
Every column gets a kind and a one-line reason, so nothing is dropped without saying why.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Literal

from manyi.measurement.codebook import (
    ROLE_LABELS,
    Codebook,
    ItemSpec,
    suggest_codebook,
)
from manyi.measurement.labels import (
    BUILT_IN,
    LabelSet,
    fitting_sets,
    fold_label,
    is_missing_marker,
    numeric_scale,
    score_from_text,
)
from manyi.measurement.model import Bounds, Model, default_model
from manyi.measurement.tables import Table

Kind = Literal["role", "meta", "item", "multi", "choice", "text", "number", "empty"]

# Metadata columns each service writes, and what they are. A layout is recognised when at
# least two of its telltale columns are present.
SERVICES: dict[str, dict[str, str]] = {
    "问卷星": {
        "序号": "答卷序号",
        "提交答卷时间": "提交时间",
        "所用时间": "作答用时",
        "来源": "答卷来源",
        "来源详情": "来源详情",
        "来自IP": "填写者 IP",
        "总分": "问卷总分",
        "用户ID": "填写者账号",
    },
    "腾讯问卷": {
        "编号": "答卷编号",
        "开始答题时间": "开始作答时间",
        "结束答题时间": "提交时间",
        "答题时长": "作答用时",
        "地理位置国家和地区": "填写地点",
        "地理位置省": "填写地点",
        "地理位置市": "填写地点",
        "用户类型": "填写者账号类型",
        "用户标识": "填写者账号",
        "昵称": "填写者昵称",
        "自定义字段": "投放时的自定义参数",
        "IP": "填写者 IP",
        "来源渠道": "答卷来源",
        "答卷状态": "答卷状态",
    },
    "金数据": {
        "序号": "答卷序号",
        "提交人": "填写者账号",
        "提交时间": "提交时间",
        "修改时间": "修改时间",
        "填写时长": "作答用时",
        "填写设备": "填写设备",
        "操作系统": "填写设备",
        "浏览器": "填写设备",
        "填写地区": "填写地点",
        "IP": "填写者 IP",
        "ID": "答卷编号",
        "微信昵称": "填写者微信信息",
        "微信性别": "填写者微信信息",
        "微信国家": "填写者微信信息",
        "微信省市": "填写者微信信息",
        "微信OpenID": "填写者微信信息",
        "微信头像": "填写者微信信息",
        "来源渠道": "答卷来源",
        "自定义字段": "投放时的自定义参数",
    },
}
_TELLTALES = {
    "问卷星": ("提交答卷时间", "所用时间", "来源详情", "来自IP"),
    "腾讯问卷": ("开始答题时间", "结束答题时间", "答题时长", "地理位置省", "用户标识"),
    "金数据": ("提交人", "修改时间", "填写设备", "操作系统", "浏览器", "填写地区", "微信昵称"),
}
# The metadata column that is the respondent id / the interview date in each layout.
_ID_COLUMNS = ("序号", "编号", "ID", "答卷编号")
_DATE_COLUMNS = ("提交答卷时间", "结束答题时间", "提交时间")
# 问卷星 writes −3 for a question skipped by logic and −2 for one not shown.
SKIP_CODES = {"问卷星": (-3.0, -2.0)}

# "5、题目", "5.题目", "Q5.题目", "5、(子题)", "5(子题)", "第5题(选项)".
_NUMBERED = re.compile(
    r"^(?:第\s*(\d{1,3})\s*题\s*|[Qq]?(\d{1,3})\s*(?:[、.．:：]|(?=[（(])))\s*(.*)$", re.S
)
_BRACKETED = re.compile(r"^[（(](.*)[)）]$", re.S)
_MULTI_JOINERS = ("┋", "|", "｜")
_DEMOGRAPHIC = (
    "性别", "年龄", "年纪", "学历", "文化程度", "职业", "收入", "月收入", "家庭收入", "地区",
    "城市", "省份", "所在地", "民族", "婚姻", "单位性质", "岗位", "职务", "职称", "工龄",
    "年级", "专业", "行业", "部门", "客户类型", "用户类型", "使用年限", "购买渠道", "户籍",
)  # fmt: skip
_NAME_WORDS = ("姓名", "名字", "称呼")
_CONTACT_WORDS = ("手机", "电话", "联系方式", "联系电话", "邮箱")
# GB/T 19038 constructs suggested from a question's wording, checked in this order.
WORDING: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("SAT", ("总体满意", "整体满意", "总的来说", "总体而言", "总体上", "综合考虑", "与预期相比",
             "与期望相比", "符合您的期望", "符合期望", "理想")),
    ("LOY", ("推荐", "再次", "继续", "忠诚", "回购", "再购买", "重复购买", "还会", "介绍给",
             "首选", "长期合作", "换用", "转向")),
    ("EXPE", ("预期", "期望", "期待", "事先", "之前", "预想")),
    ("VAL", ("价格", "价值", "性价比", "物有所值", "收费", "费用", "划算", "花费", "资费")),
    ("IMAG", ("形象", "品牌", "声誉", "信誉", "口碑", "知名", "信赖", "信任", "社会责任",
              "实力", "诚信")),
    ("QUAL", ("质量", "服务", "态度", "专业", "及时", "可靠", "响应", "效率", "环境", "设施",
              "技能", "准确", "便捷", "便利", "速度", "售后", "安全", "性能", "功能", "耐用",
              "外观", "交付", "沟通", "解决", "规范", "水平", "能力", "处理")),
    ("SAT", ("满意",)),
)  # fmt: skip


@dataclass(frozen=True)
class ColumnGuess:
    """What one column of an export is, and why (a reason a person can check)."""

    header: str
    kind: Kind
    why: str
    role: str | None = None
    key: str = ""  # the item id proposed for an item column (q5, q5_2)
    wording: str = ""  # the question (or matrix row) text
    number: int | None = None
    labels: str | None = None  # name of the label set read from the answers
    bounds: Bounds | None = None
    construct: str | None = None  # model key suggested from the wording
    guesses: tuple[str, ...] = ()  # what was guessed, for the codebook's comments


@dataclass(frozen=True)
class Layout:
    """A data file's columns, each classified; the basis of a proposed codebook."""

    service: str  # 问卷星 / 腾讯问卷 / 金数据, or "" for a file of another origin
    answers: str  # 数字 / 文本 / 数字和文本
    columns: tuple[ColumnGuess, ...]
    missing: tuple[float, ...] = ()

    def items(self) -> list[ColumnGuess]:
        return [c for c in self.columns if c.kind == "item"]

    def column(self, header: str) -> ColumnGuess | None:
        return next((c for c in self.columns if c.header == header), None)

    def unused(self) -> list[tuple[str, str]]:
        """(header, why) of every column that is neither an item nor a respondent column."""
        return [(c.header, c.why) for c in self.columns if c.kind not in ("item", "role")]

    def describe(self) -> str:
        origin = f"{self.service}导出" if self.service else "调查数据"
        return f"{origin}，答案为{self.answers}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data (kept with an analysis, e.g. for the web's question mapping)."""
        return {
            "service": self.service,
            "answers": self.answers,
            "missing": list(self.missing),
            "columns": [
                {
                    "header": c.header,
                    "kind": c.kind,
                    "why": c.why,
                    "role": c.role,
                    "key": c.key,
                    "wording": c.wording,
                    "number": c.number,
                    "labels": c.labels,
                    "bounds": list(c.bounds) if c.bounds else None,
                    "construct": c.construct,
                    "guesses": list(c.guesses),
                }
                for c in self.columns
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Layout:
        columns = []
        for c in data.get("columns", []):
            bounds = c.get("bounds")
            columns.append(
                ColumnGuess(
                    header=c["header"],
                    kind=c["kind"],
                    why=c.get("why", ""),
                    role=c.get("role"),
                    key=c.get("key", ""),
                    wording=c.get("wording", ""),
                    number=c.get("number"),
                    labels=c.get("labels"),
                    bounds=(float(bounds[0]), float(bounds[1])) if bounds else None,
                    construct=c.get("construct"),
                    guesses=tuple(c.get("guesses", ())),
                )
            )
        missing = tuple(float(v) for v in data.get("missing", ()))
        return cls(data.get("service", ""), data.get("answers", ""), tuple(columns), missing)

    def codebook(self) -> Codebook:
        roles = {c.role: c.header for c in self.columns if c.kind == "role" and c.role}
        items = tuple(
            ItemSpec(
                column=c.header,
                construct=c.construct,
                bounds=None if c.labels else c.bounds,
                label=c.wording or None,
                id=c.key if c.key != c.header else "",
                labels=c.labels,
            )
            for c in self.items()
        )
        return Codebook(items, roles, None, {}, self.missing, self.service)


# ---------------------------------------------------------------------------------------------
# Recognition


def recognise(table: Table, model: Model | None = None) -> Layout:
    """Classify every column of ``table``: respondent, metadata, item (with labels and scale),
    multi-choice, category, free text, number or empty."""
    model = model or default_model()
    service = detect_service(table.header)
    skip = SKIP_CODES.get(service, ())
    profiles = [_profile(table, i, skip) for i in range(len(table.header))]
    parsed = [_parse_header(h, service) for h in table.header]
    guesses = [
        _classify(header, profile, question, service, model)
        for header, profile, question in zip(table.header, profiles, parsed, strict=True)
    ]
    guesses = _multi_choice_groups(guesses, profiles, parsed)
    guesses = _settle_labels(guesses, profiles)
    guesses = _settle_bounds(guesses, profiles, parsed)
    guesses = _item_keys(guesses, parsed)
    guesses = _single_roles(guesses)
    answers = _answer_kind(guesses)
    missing = SKIP_CODES.get(service, ()) if "数字" in answers else ()
    return Layout(service, answers, tuple(guesses), missing)


def detect_service(header: Sequence[str]) -> str:
    present = {h.strip() for h in header}
    scores = {name: sum(t in present for t in telltales) for name, telltales in _TELLTALES.items()}
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] >= 2 else ""


@dataclass
class _Profile:
    numbers: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    dates: int = 0
    missing: int = 0


def _profile(table: Table, index: int, skip: Sequence[float] = ()) -> _Profile:
    profile = _Profile()
    for row in table.rows:
        value = row[index]
        if value is None or (isinstance(value, int | float) and value in skip):
            profile.missing += 1
        elif isinstance(value, datetime | date):
            profile.dates += 1
        elif isinstance(value, bool):
            profile.texts.append(str(value))
        elif isinstance(value, int | float):
            profile.numbers.append(float(value))
        else:
            text = str(value).strip()
            if is_missing_marker(text):
                profile.missing += 1
                continue
            number = score_from_text(text)
            if number is not None and number in skip:
                profile.missing += 1
            elif number is not None:
                profile.numbers.append(number)
            else:
                profile.texts.append(text)
    return profile


@dataclass(frozen=True)
class _Question:
    number: int | None
    text: str  # the wording after the number
    sub: str | None  # a matrix row / option text


def _parse_header(header: str, service: str) -> _Question | None:
    text = header.strip()
    if service and unicodedata.normalize("NFKC", text) in SERVICES[service]:
        return None
    match = _NUMBERED.match(text)
    if match is None or not match.group(3).strip():
        return _Question(None, header.strip(), None) if service == "金数据" else None
    number = int(match.group(1) or match.group(2))
    rest = match.group(3).strip()
    bracketed = _BRACKETED.match(rest)
    if bracketed is not None:
        return _Question(number, "", bracketed.group(1).strip())
    if service == "腾讯问卷" and re.search("[:：]", rest):
        title, sub = re.split("[:：]", rest, maxsplit=1)
        if sub.strip():
            return _Question(number, title.strip(), sub.strip())
    return _Question(number, rest, None)


def _classify(
    header: str, profile: _Profile, question: _Question | None, service: str, model: Model
) -> ColumnGuess:
    stripped = header.strip()
    if service and stripped in SERVICES[service]:
        return _metadata(stripped, service)
    if question is None:
        return _plain_column(header, profile, model)
    wording = question.sub or question.text
    role = _wording_role(wording, profile)
    if role is not None:
        return ColumnGuess(
            header, "role", f"{ROLE_LABELS[role]}（按题目判断）", role, wording=wording
        )
    return _by_answers(header, profile, question.number, wording, model)


def _metadata(header: str, service: str) -> ColumnGuess:
    what = SERVICES[service][header]
    if header in _ID_COLUMNS:
        return ColumnGuess(header, "role", f"{service}的{what}，作为样本编号", "id")
    if header in _DATE_COLUMNS:
        return ColumnGuess(header, "role", f"{service}的{what}，作为访问日期", "date")
    return ColumnGuess(header, "meta", f"{service}的元数据列（{what}），不参与分析")


def _plain_column(header: str, profile: _Profile, model: Model) -> ColumnGuess:
    """A column without a question number: an item named like imag1, a respondent column by
    its usual name, or whatever its answers show."""
    suggested = suggest_codebook([header], model)
    if suggested.items:
        construct = suggested.items[0].construct
        why = f"列名像「{model.label(construct or '')}」的题项"
        guess = _by_answers(header, profile, None, header, model)
        if guess.kind == "item":
            return replace(guess, construct=construct, why=why, key=header)
        return guess
    role = suggested.roles
    if role:
        name = next(iter(role))
        return ColumnGuess(header, "role", f"{ROLE_LABELS[name]}（按列名判断）", name)
    if profile.dates and not profile.numbers and not profile.texts:
        return ColumnGuess(header, "meta", "日期列，未用作访问日期")
    return _by_answers(header, profile, None, header, model)


def _wording_role(wording: str, profile: _Profile) -> str | None:
    if profile.numbers and not profile.texts and len(set(profile.numbers)) < 10:
        return None  # coded answers, not names or phone numbers
    if any(word in wording for word in _NAME_WORDS):
        return "name"
    if any(word in wording for word in _CONTACT_WORDS):
        return "contact"
    return None


def _by_answers(
    header: str, profile: _Profile, number: int | None, wording: str, model: Model
) -> ColumnGuess:
    base = ColumnGuess(header, "empty", "全部为空，没有回答", number=number, wording=wording)
    answered = len(profile.numbers) + len(profile.texts)
    if not answered:
        return base
    if profile.texts and any(j in t for t in profile.texts for j in _MULTI_JOINERS):
        return replace(base, kind="multi", why="多选题（选中的选项连在一格），不是量表题")
    if _demographic(wording):
        return replace(base, kind="choice", why="分类题（被访者信息），可在码本中作分组列")
    if len(profile.numbers) >= 0.8 * answered:
        return _numeric_item(base, profile, model)
    fitting = fitting_sets(profile.texts)
    if fitting:
        return _item(base, model, labels=fitting[0].name)
    distinct = {fold_label(t) for t in profile.texts}
    if len(distinct) <= 12 and max(len(t) for t in profile.texts) <= 20:
        shown = "、".join(sorted(distinct)[:4])
        return replace(
            base,
            kind="choice",
            why=f"文字答案（{shown}…）不是内置的量表标签：若是量表题，请在码本 [labels] 中给出分值",
        )
    return replace(base, kind="text", why="填空题（文字回答），不参与计算")


def _numeric_item(base: ColumnGuess, profile: _Profile, model: Model) -> ColumnGuess:
    low, high = min(profile.numbers), max(profile.numbers)
    integral = all(float(v).is_integer() for v in profile.numbers)
    if integral and numeric_scale(low, high) is not None:
        return _item(base, model)
    return replace(
        base,
        kind="number",
        why=f"数值题（取值 {low:g}–{high:g}），不是常用的评分量表",
    )


def _item(base: ColumnGuess, model: Model, labels: str | None = None) -> ColumnGuess:
    construct, reason = suggest_construct(base.wording, model)
    guesses = (f"潜变量：{reason}",) if construct else ()
    why = "量表题" + (f"，{reason}" if construct else "，未能从题目判断潜变量")
    return replace(base, kind="item", why=why, labels=labels, construct=construct, guesses=guesses)


def suggest_construct(wording: str, model: Model | None = None) -> tuple[str | None, str]:
    """The construct a question's wording suggests, and why: ("LOY", "题目含「推荐」")."""
    model = model or default_model()
    text = unicodedata.normalize("NFKC", wording)
    for construct in model.constructs:
        for name in (construct.label, *construct.aliases):
            if len(name) >= 2 and not name.isascii() and name in text:
                return construct.key, f"题目含「{name}」"
    keys = set(model.keys)
    for key, words in WORDING:
        if key not in keys:
            continue
        for word in words:
            if word in text:
                return key, f"题目含「{word}」"
    return None, ""


def _demographic(wording: str) -> bool:
    text = unicodedata.normalize("NFKC", wording)
    return len(text) <= 30 and any(word in text for word in _DEMOGRAPHIC)


# -- whole-file passes --------------------------------------------------------------------------


def _groups(parsed: Sequence[_Question | None]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for index, question in enumerate(parsed):
        if question is not None and question.number is not None and question.sub is not None:
            groups.setdefault(question.number, []).append(index)
    return groups


def _multi_choice_groups(
    guesses: list[ColumnGuess], profiles: Sequence[_Profile], parsed: Sequence[_Question | None]
) -> list[ColumnGuess]:
    """Option columns holding only 0/1 (选中/未选) are a multi-choice question, not a matrix."""
    result = list(guesses)
    for number, members in _groups(parsed).items():
        values = {v for i in members for v in profiles[i].numbers}
        texts = {fold_label(t) for i in members for t in profiles[i].texts}
        if values <= {0.0, 1.0} and not texts and len(members) > 1:
            for i in members:
                why = f"多选题第 {number} 题的选项列（1 = 选中），不是量表题"
                result[i] = replace(result[i], kind="multi", why=why)
    return result


def _family(label_set: LabelSet) -> str:
    return label_set.name.rstrip("0123456789")


def _settle_labels(guesses: list[ColumnGuess], profiles: Sequence[_Profile]) -> list[ColumnGuess]:
    """One label set per family of scales in a file (a 7-level scale whose middle answers
    nobody chose still reads as 7 levels when another column shows them)."""
    fitting = {
        i: fitting_sets(profiles[i].texts) for i, g in enumerate(guesses) if g.labels is not None
    }
    families: dict[str, list[int]] = {}
    for i, sets in fitting.items():
        families.setdefault(_family(sets[0]), []).append(i)
    result = list(guesses)
    for family, members in families.items():
        candidates = [s for s in BUILT_IN if _family(s) == family]
        shared = next((s for s in candidates if all(s in fitting[i] for i in members)), None)
        for i in members:
            chosen = shared or fitting[i][0]
            note = f"答案按「{chosen.title}」标签读为 {chosen.describe()}"
            others = [s.name for s in fitting[i] if s is not chosen]
            if others:
                note += f"；若问卷为其他级数，可改为 {others[0]}"
            result[i] = replace(
                result[i],
                labels=chosen.name,
                bounds=chosen.bounds,
                guesses=(*result[i].guesses, note),
            )
    return result


def _settle_bounds(
    guesses: list[ColumnGuess], profiles: Sequence[_Profile], parsed: Sequence[_Question | None]
) -> list[ColumnGuess]:
    """Numeric items take the smallest usual scale holding every answer of their question
    (all rows of a matrix together). An item nobody scored 0 on, in a file whose other items
    are on 0–10, is read on 0–10 as well."""
    groups = _groups(parsed)
    scales: dict[int, Bounds] = {}
    for i, guess in enumerate(guesses):
        if guess.kind != "item" or guess.labels is not None:
            continue
        members = groups.get(guess.number, [i]) if guess.number is not None else [i]
        values = [v for m in members if guesses[m].kind == "item" for v in profiles[m].numbers]
        bounds = numeric_scale(
            min(values or profiles[i].numbers), max(values or profiles[i].numbers)
        )
        if bounds is not None:
            scales[i] = bounds
    common = Counter(scales.values()).most_common(1)
    usual = common[0][0] if common else None
    result = list(guesses)
    for i, bounds in scales.items():
        note = f"量表按答案范围推断为 {bounds[0]:g}–{bounds[1]:g} 分"
        if bounds == (1, 10) and usual == (0, 10):
            bounds = usual
            note = "量表按本文件多数题项取 0–10 分（本题没有人答 0 分）"
        elif bounds == (1, 10):
            note += "（没有人答 0 分；若为 0–10 分量表请改 scale = [0, 10]）"
        guess = result[i]
        result[i] = replace(guess, bounds=bounds, guesses=(*guess.guesses, note))
    return result


def _item_keys(guesses: list[ColumnGuess], parsed: Sequence[_Question | None]) -> list[ColumnGuess]:
    """q5 for question 5, q5_2 for the second row of matrix 5, q12 for the 12th unnumbered."""
    result = list(guesses)
    counters: Counter[int] = Counter()
    taken: set[str] = set()
    position = 0
    for i, guess in enumerate(guesses):
        question = parsed[i]
        if question is not None and question.number is None:
            position += 1
        if guess.kind != "item" or guess.key:
            if guess.key:
                taken.add(guess.key)
            continue
        if question is None:
            key = guess.header
        elif question.number is None:
            key = f"q{position}"
        elif question.sub is not None:
            counters[question.number] += 1
            key = f"q{question.number}_{counters[question.number]}"
        else:
            key = f"q{question.number}"
        while key in taken:
            key += "_"
        taken.add(key)
        result[i] = replace(guess, key=key)
    return result


def _single_roles(guesses: list[ColumnGuess]) -> list[ColumnGuess]:
    """A role is played by one column: the first found; later ones are listed as unused."""
    result, seen = [], set()
    for guess in guesses:
        if guess.kind == "role" and guess.role in seen:
            why = f"又一个{ROLE_LABELS[guess.role or 'id']}列，未使用（码本只取第一列）"
            guess = replace(guess, kind="meta", why=why, role=None)
        elif guess.kind == "role":
            seen.add(guess.role)
        result.append(guess)
    return result


def _answer_kind(guesses: Sequence[ColumnGuess]) -> str:
    items = [i for i, g in enumerate(guesses) if g.kind == "item"]
    labelled = any(guesses[i].labels for i in items)
    numeric = any(guesses[i].labels is None for i in items)
    if labelled and numeric:
        return "数字和文本"
    return "文本" if labelled else "数字"
