"""``validate()``: check and clean the survey database, and write down everything done.

The report holds the four records the application form asks for:

* 数据校验标准 — every rule applied, with its parameters, severity and action;
* 查错记录 — each flagged cell or respondent: row, id, column, rule, value, action;
* 数据清洗过程记录 — each cleaning step with the counts before and after;
* 数据复核记录 — the review of the cleaned data (sample, coverage, ranges, dates, missing).

Order of the steps: out-of-range and non-numeric values become missing; respondents with an
unusable interview date, a repeated id (the later ones), too many missing answers and —
when asked — straight-lining or a repeated answer vector are removed; the remaining missing
answers are imputed with the item mean (or median) of the kept respondents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from manyi.measurement.survey import Survey
from manyi.verdict import STATUS_LABELS, Finding, Status, worst

if TYPE_CHECKING:
    from manyi.rules.model import MeasurementRule, Scheme

Severity = Literal["fail", "warn"]

# Each check of the engine and the scheme rule ([measurement] section) that governs it.
SCHEME_RULES = {
    "range": "quality.out_of_range",
    "text": "quality.non_numeric",
    "date_missing": "quality.undated",
    "date_invalid": "quality.undated",
    "undated": "quality.undated",
    "date_early": "survey_date",
    "date_future": "quality.future_date",
    "duplicate_id": "quality.duplicate_ids",
    "duplicate_vector": "quality.duplicate_answers",
    "straightline": "quality.straightlining",
    "respondent_missing": "quality.respondent_missing",
    "item_missing": "quality.item_missing",
    "zero_variance": "quality.zero_variance",
    "sample_size": "quality.min_respondents",
}


@dataclass(frozen=True)
class Basis:
    """On whose authority a check speaks: the form (seed, may fail) or the system's advice."""

    severity: Severity
    source: Literal["seed", "advice"]
    quote: str = ""
    reason: str = ""

    @classmethod
    def of(cls, rule: MeasurementRule) -> Basis:
        return cls(rule.effective_severity, rule.source, rule.quote or "", rule.reason or "")

    def finding(
        self, code: str, message: str, *, status: Status | None = None, fix: str = ""
    ) -> Finding:
        return Finding(
            code,
            status or self.severity,
            message,
            where="survey",
            fix=fix,
            source=self.source,
            quote=self.quote,
            reason=self.reason,
        )


@dataclass(frozen=True)
class QualityRules:
    """The checks' thresholds and provenance, normally read from the campaign's scheme."""

    basis: Mapping[str, Basis]  # check code → its provenance (see SCHEME_RULES)
    survey_start: date | None = None  # interviews before it are invalid (campaign rule)
    declared_period: tuple[date, date] | None = None  # as declared when the data has no dates
    today: date | None = None  # interviews after it are invalid; None → date.today()
    max_missing_share: float = 0.2  # drop a respondent missing more than this share of items
    imputation: Literal["mean", "median"] = "mean"
    item_missing_warn: float = 0.1  # warn when an item misses more than this share
    drop_bad_dates: bool = True
    drop_duplicate_ids: bool = True
    drop_duplicate_responses: bool = False
    straightline_min_items: int = 5  # identical answers to at least this many items
    drop_straightliners: bool = False
    min_respondents: int = 30

    @classmethod
    def from_scheme(cls, scheme: Scheme, **overrides: Any) -> QualityRules:
        """The campaign's rules: survey start date, thresholds and each check's provenance."""
        measurement = scheme.measurement
        quality = measurement.quality
        basis = {code: Basis.of(_scheme_rule(scheme, path)) for code, path in SCHEME_RULES.items()}
        values: dict[str, Any] = {
            "basis": basis,
            "survey_start": scheme.campaign.survey_start_date,
            "max_missing_share": float(quality.respondent_missing.value or 0.2),
            "item_missing_warn": float(quality.item_missing.value or 0.1),
            "straightline_min_items": int(quality.straightlining.value or 5),
            "min_respondents": int(quality.min_respondents.value or 30),
        }
        return cls(**{**values, **overrides})

    def of(self, code: str) -> Basis:
        return self.basis[code]


def _scheme_rule(scheme: Scheme, path: str) -> MeasurementRule:
    rule: Any = scheme.measurement
    for part in path.split("."):
        rule = getattr(rule, part)
    return rule


@dataclass(frozen=True)
class RuleSpec:
    code: str
    name: str
    standard: str
    parameters: str
    severity: Severity
    action: str
    source: str = "advice"  # seed: the form's rule; advice: the system's


@dataclass(frozen=True)
class Flag:
    row: int | None  # the file's row number (None for a column-level flag)
    respondent: str | None
    column: str | None  # the column header as in the file
    rule: str
    value: str
    severity: Severity
    action: str
    code: str = ""  # the check's code (SCHEME_RULES)


@dataclass(frozen=True)
class Problem:
    """A finding about the whole file (not one cell), e.g. too few respondents."""

    code: str
    severity: Status
    message: str


@dataclass(frozen=True)
class CleaningStep:
    step: str
    description: str
    affected: int
    n_before: int
    n_after: int
    detail: str = ""


@dataclass(frozen=True)
class Imputation:
    row: int
    respondent: str
    column: str
    value: float


@dataclass(frozen=True)
class ReviewEntry:
    item: str
    result: str
    note: str = ""


@dataclass(frozen=True)
class ItemSummary:
    column: str
    construct: str
    bounds: tuple[float, float] | None
    n_raw: int
    missing_raw: int
    mean_raw: float
    n_clean: int
    mean_clean: float
    sd_clean: float
    min_clean: float
    max_clean: float


@dataclass
class QualityReport:
    filename: str
    rules: list[RuleSpec]
    flags: list[Flag]
    steps: list[CleaningStep]
    imputations: list[Imputation]
    review: list[ReviewEntry]
    items: list[ItemSummary]
    n_raw: int
    n_clean: int
    cleaned: Survey
    rules_used: QualityRules | None = None
    status: Status = "pass"
    problems: list[Problem] = field(default_factory=list)
    constant_items: tuple[str, ...] = ()  # item keys nobody answered differently

    def counts(self) -> dict[str, int]:
        return dict(Counter(f.rule for f in self.flags))

    def summary(self) -> str:
        head = f"{self.filename}：原始样本 {self.n_raw} 个，清洗后 {self.n_clean} 个，"
        return head + f"结论：{STATUS_LABELS[self.status]}"

    def findings(self) -> list[Finding]:
        """The verdict's reasons: one finding per check that found something, each with its
        provenance (the form's words for a seed rule, the reason for advice)."""
        rules = self.rules_used
        found: list[Finding] = []
        by_code: dict[str, list[Flag]] = {}
        for flag in self.flags:
            by_code.setdefault(flag.code, []).append(flag)
        specs = {spec.code: spec for spec in self.rules}
        for code, flags in by_code.items():
            spec = specs.get(code)
            message = f"{flags[0].rule}：{len(flags)} 处"
            if spec is not None:
                message += f"（处理：{spec.action}）"
            found.append(
                _basis(rules, code).finding(f"survey.{code}", message, status=_worst(flags))
            )
        for problem in self.problems:
            found.append(
                _basis(rules, problem.code).finding(
                    f"survey.{problem.code}", problem.message, status=problem.severity
                )
            )
        return found


def _basis(rules: QualityRules | None, code: str) -> Basis:
    if rules is not None and code in rules.basis:
        return rules.basis[code]
    return Basis("warn", "advice", reason="本系统对数据的核对")


def _worst(flags: Sequence[Flag]) -> Status:
    return worst(f.severity for f in flags)


RULE_TEXT = {
    "range": ("量表范围", "题项取值须在码本规定的量表上下限之内"),
    "text": ("非数值", "题项须为数字；非数字内容按缺失处理"),
    "date_missing": ("访问日期缺失", "每个样本须有访问日期"),
    "date_invalid": ("访问日期无法识别", "访问日期须为有效日期，如 2025-03-01"),
    "date_early": ("访问日期早于开始日期", "调查须在评价方案规定的开始日期当天或之后进行"),
    "undated": ("调查时间无法核对", "数据库没有访问日期时，按申报的调查时间核对"),
    "date_future": ("访问日期晚于今天", "访问日期不能晚于数据校验当天"),
    "duplicate_id": ("重复编号", "每个样本的编号须唯一"),
    "duplicate_vector": ("重复答卷", "不同样本的全部题项答案完全相同，疑为重复录入"),
    "straightline": ("直线作答", "全部题项给出同一个答案，疑为敷衍作答"),
    "respondent_missing": ("样本缺失过多", "一个样本缺答的题项比例不超过上限"),
    "item_missing": ("题项缺失率高", "一个题项的缺失率不宜超过上限"),
    "zero_variance": ("题项无差异", "清洗后题项须有差异（不能所有人答案相同）"),
    "sample_size": ("有效样本量", "清洗后的有效样本量须达到下限"),
}


def validate(survey: Survey, rules: QualityRules) -> QualityReport:
    """Check ``survey`` against ``rules``, clean it and return every record."""
    work = _Work(survey, rules)
    work.check_values()
    work.check_dates()
    work.check_duplicate_ids()
    work.check_patterns()
    work.check_respondent_missing()
    work.check_item_missing()
    work.impute()
    work.check_result()
    return work.report()


class _Work:
    """The state of one validation run: the survey, the mask of kept rows, the records."""

    def __init__(self, survey: Survey, rules: QualityRules):
        self.survey = survey
        self.rules = rules
        self.values = survey.values.copy()
        self.keep = np.ones(survey.n, dtype=bool)
        self.flags: list[Flag] = []
        self.steps: list[CleaningStep] = []
        self.imputations: list[Imputation] = []
        self.problems: list[Problem] = []
        self.constant: list[str] = []
        self.declared_note: str | None = None
        self.specs: list[RuleSpec] = []
        self.bounds = survey.codebook.bounds()

    # -- helpers ----------------------------------------------------------------------------

    def spec(self, code: str, parameters: str, action: str) -> None:
        name, standard = RULE_TEXT[code]
        basis = self.rules.of(code)
        self.specs.append(
            RuleSpec(code, name, standard, parameters, basis.severity, action, basis.source)
        )

    def flag(self, i: int | None, column: str | None, code: str, value: str, action: str) -> None:
        severity = self.rules.of(code).severity
        row = int(self.survey.row_numbers[i]) if i is not None else None
        respondent = self.survey.ids[i] if i is not None else None
        self.flags.append(
            Flag(row, respondent, column, RULE_TEXT[code][0], value, severity, action, code)
        )

    def problem(self, code: str, message: str) -> None:
        self.problems.append(Problem(code, self.rules.of(code).severity, message))

    def drop(self, rows: Sequence[int], step: str, description: str, detail: str = "") -> None:
        before = int(self.keep.sum())
        self.keep[list(rows)] = False
        after = int(self.keep.sum())
        self.steps.append(CleaningStep(step, description, before - after, before, after, detail))

    # -- checks -----------------------------------------------------------------------------

    def check_values(self) -> None:
        items = self.survey.items
        described = "；".join(
            f"{c}：{lo:g}–{hi:g}" for c, (lo, hi) in list(self.bounds.items())[:6]
        )
        more = " 等" if len(self.bounds) > 6 else ""
        self.spec("range", (described + more) or "码本未给出上下限", "置为缺失，再按缺失处理")
        self.spec(
            "text", "数字和码本标签以外的内容（“不知道”“不适用”“拒答”直接视为缺失）", "置为缺失"
        )
        n = self.survey.n
        count = 0
        reversed_items = set(self.survey.reversed_items)
        for j, item in enumerate(items):
            if item not in self.bounds:
                continue
            low, high = self.bounds[item]
            column = self.values[:, j]
            bad = np.flatnonzero(~np.isnan(column) & ((column < low) | (column > high)))
            for i in bad:
                # a reversed item shows the answer as given (the reversal is its own inverse)
                answer = low + high - column[i] if item in reversed_items else column[i]
                value = f"{answer:g}（应在 {low:g}–{high:g}）"
                self.flag(int(i), self.survey.header(item), "range", value, "置为缺失")
            column[bad] = np.nan
            count += len(bad)
        for cell in self.survey.text_cells:
            self.flag(cell.row, cell.column, "text", cell.text, "置为缺失")
        texts = len(self.survey.text_cells)
        if count or texts:
            detail = f"越界 {count} 个，非数值 {texts} 个"
            self.steps.append(
                CleaningStep(
                    "越界值、非数值置为缺失",
                    "不在量表范围或不是数字的答案视为缺失",
                    count + texts,
                    n,
                    n,
                    detail,
                )
            )

    def check_dates(self) -> None:
        start, today = self.rules.survey_start, self.rules.today or date.today()
        if start is not None:
            self.spec("date_early", f"开始日期 {start.isoformat()}", "剔除该样本")
        if self.survey.codebook.date_column is None:
            self.check_declared_period(start, today)
            return
        action = "剔除该样本" if self.rules.drop_bad_dates else "仅记录"
        self.spec("date_missing", "访问日期列为空", "仅记录")
        self.spec("date_invalid", "无法识别为日期", action)
        self.spec("date_future", f"校验日 {today.isoformat()}", action)
        bad: list[int] = []
        column = self.survey.codebook.date_column
        for i, value in enumerate(self.survey.dates):
            if value is None:
                self.flag(i, column, "date_missing", "（空）", "仅记录")
                continue
            code = None
            if isinstance(value, str):
                code = "date_invalid"
            elif start is not None and value < start:
                code = "date_early"
            elif value > today:
                code = "date_future"
            if code:
                self.flag(i, column, code, str(value), action)
                bad.append(i)
        if bad and self.rules.drop_bad_dates:
            self.drop(bad, "剔除访问日期不符的样本", "访问日期无法识别、早于开始日期或晚于今天")

    def check_declared_period(self, start: date | None, today: date) -> None:
        """No date column: the survey period declared on the measurement step, if any."""
        declared = self.rules.declared_period
        if declared is None:
            self.spec("undated", "数据库没有访问日期列，也未申报调查时间", "仅记录")
            limit = f"{_chinese_date(start)}之后" if start is not None else "规定的时间内"
            self.problem(
                "undated",
                f"数据库没有访问日期列，也未申报调查起止日期，无法核对调查是否在{limit}开展",
            )
            return
        first, last = declared
        self.spec("undated", f"按申报的调查时间 {first.isoformat()} 至 {last.isoformat()}", "核对")
        note = "（数据库没有访问日期列，按测量步骤中申报的调查时间核对）"
        if start is not None and first < start:
            self.problem(
                "date_early",
                f"申报的调查开始日期 {_chinese_date(first)}早于{_chinese_date(start)}{note}",
            )
        elif last > today:
            self.problem("date_future", f"申报的调查结束日期 {last.isoformat()} 晚于今天{note}")
        self.declared_note = f"{first.isoformat()} 至 {last.isoformat()}{note}"

    def check_duplicate_ids(self) -> None:
        if not self.survey.has_ids:
            return
        action = "保留第一条，剔除其余" if self.rules.drop_duplicate_ids else "仅记录"
        self.spec("duplicate_id", "编号列：" + str(self.survey.codebook.id_column), action)
        first: dict[str, int] = {}
        repeats: list[int] = []
        for i, respondent in enumerate(self.survey.ids):
            if not self.keep[i] or not respondent:
                continue
            if respondent in first:
                row = int(self.survey.row_numbers[first[respondent]])
                self.flag(
                    i,
                    self.survey.codebook.id_column,
                    "duplicate_id",
                    f"{respondent}（与第 {row} 行相同）",
                    action,
                )
                repeats.append(i)
            else:
                first[respondent] = i
        if repeats and self.rules.drop_duplicate_ids:
            self.drop(repeats, "剔除重复编号的样本", "同一编号出现多次，保留第一条")

    def check_patterns(self) -> None:
        rules = self.rules
        dup_action = "剔除重复的后一份" if rules.drop_duplicate_responses else "仅记录"
        line_action = "剔除该样本" if rules.drop_straightliners else "仅记录"
        self.spec("duplicate_vector", "全部题项答案（含缺失位置）完全相同", dup_action)
        self.spec(
            "straightline",
            f"至少 {rules.straightline_min_items} 题作答且答案全部相同",
            line_action,
        )
        seen: dict[bytes, int] = {}
        duplicates, straight = [], []
        for i in np.flatnonzero(self.keep):
            row = self.values[i]
            key = np.where(np.isnan(row), -1e300, row).tobytes()
            if key in seen:
                other = int(self.survey.row_numbers[seen[key]])
                self.flag(int(i), None, "duplicate_vector", f"与第 {other} 行答案相同", dup_action)
                duplicates.append(int(i))
            else:
                seen[key] = int(i)
            answered = row[~np.isnan(row)]
            if len(answered) >= rules.straightline_min_items and np.ptp(answered) == 0:
                self.flag(int(i), None, "straightline", f"全部为 {answered[0]:g}", line_action)
                straight.append(int(i))
        if duplicates and rules.drop_duplicate_responses:
            self.drop(duplicates, "剔除重复答卷", "全部题项答案与前面某样本完全相同")
        if straight and rules.drop_straightliners:
            self.drop(straight, "剔除直线作答样本", "全部题项答案相同")

    def check_respondent_missing(self) -> None:
        share = self.rules.max_missing_share
        self.spec("respondent_missing", f"缺答比例上限 {share:.0%}", "超过上限的剔除，其余插补")
        p = len(self.survey.items)
        missing = np.isnan(self.values).sum(axis=1)
        over = [i for i in np.flatnonzero(self.keep) if missing[i] / p > share]
        for i in over:
            self.flag(int(i), None, "respondent_missing", f"缺答 {missing[i]}/{p} 题", "剔除该样本")
        if over:
            self.drop(over, "剔除缺失过多的样本", f"缺答比例超过 {share:.0%}")

    def check_item_missing(self) -> None:
        limit = self.rules.item_missing_warn
        self.spec(
            "item_missing",
            f"缺失率上限 {limit:.0%}（按保留的样本计）",
            "仅记录，缺失值插补",
        )
        kept = self.values[self.keep]
        if not len(kept):
            return
        rates = np.isnan(kept).mean(axis=0)
        for j, item in enumerate(self.survey.items):
            if rates[j] > limit:
                self.flag(
                    None,
                    self.survey.header(item),
                    "item_missing",
                    f"缺失率 {rates[j]:.1%}",
                    "仅记录，缺失值插补",
                )

    def impute(self) -> None:
        kept = np.flatnonzero(self.keep)
        if not len(kept):
            return
        block = self.values[kept]
        centre = np.nanmedian if self.rules.imputation == "median" else np.nanmean
        with np.errstate(all="ignore"):
            fill = centre(block, axis=0) if block.size else np.array([])
        holes = np.argwhere(np.isnan(block))
        for r, j in holes:
            i = int(kept[r])
            value = float(fill[j])
            self.values[i, j] = value
            respondent = self.survey.ids[i]
            self.imputations.append(
                Imputation(int(self.survey.row_numbers[i]), respondent, self.survey.items[j], value)
            )
        if len(holes):
            n = len(kept)
            method = "题项均值" if self.rules.imputation == "mean" else "题项中位数"
            per_item = Counter(self.survey.items[j] for _, j in holes)
            detail = "；".join(f"{c} {k} 个" for c, k in per_item.most_common())
            self.steps.append(
                CleaningStep(
                    "缺失值插补", f"以保留样本的{method}插补剩余缺失值", len(holes), n, n, detail
                )
            )

    def check_result(self) -> None:
        minimum = self.rules.min_respondents
        action = "从估计中去掉该题项，其余照常估计"
        self.spec("zero_variance", "清洗后标准差为 0", action)
        self.spec("sample_size", f"至少 {minimum} 个有效样本", "提醒；样本过少时估计不稳定")
        kept = self.values[self.keep]
        for j, item in enumerate(self.survey.items):
            if len(kept) and np.ptp(kept[:, j]) == 0:
                header = self.survey.header(item)
                self.flag(None, header, "zero_variance", f"全部为 {kept[0, j]:g}", action)
                self.constant.append(item)
                self.problem(
                    "zero_variance",
                    f"题项「{_shown(item, header)}」清洗后所有人答案相同（{kept[0, j]:g}），"
                    "已从估计中去掉，其余题项照常估计",
                )
        if len(kept) < minimum:
            self.problem(
                "sample_size",
                f"清洗后有效样本 {len(kept)} 个，少于建议的 {minimum} 个：估计和区间可能不稳定",
            )

    # -- the report -------------------------------------------------------------------------

    def report(self) -> QualityReport:
        cleaned = self.survey.with_values(self.values).subset(self.keep)
        cleaned.text_cells = []
        status = worst([*(f.severity for f in self.flags), *(p.severity for p in self.problems)])
        return QualityReport(
            filename=self.survey.filename,
            rules=self.specs,
            flags=self.flags,
            steps=self.steps,
            imputations=self.imputations,
            review=self.review(cleaned),
            items=self.item_summaries(cleaned),
            n_raw=self.survey.n,
            n_clean=cleaned.n,
            cleaned=cleaned,
            rules_used=self.rules,
            status=status,
            problems=self.problems,
            constant_items=tuple(self.constant),
        )

    def item_summaries(self, cleaned: Survey) -> list[ItemSummary]:
        summaries = []
        for j, item in enumerate(self.survey.items):
            raw = self.survey.values[:, j]
            clean = cleaned.values[:, j]
            ok = clean[~np.isnan(clean)]
            summaries.append(
                ItemSummary(
                    column=self.survey.header(item),
                    construct=self.survey.codebook.item(item).construct or "（未归入）",
                    bounds=self.bounds.get(item),
                    n_raw=int((~np.isnan(raw)).sum()),
                    missing_raw=int(np.isnan(raw).sum()),
                    mean_raw=float(np.nanmean(raw)) if (~np.isnan(raw)).any() else float("nan"),
                    n_clean=len(ok),
                    mean_clean=float(ok.mean()) if len(ok) else float("nan"),
                    sd_clean=float(ok.std(ddof=1)) if len(ok) > 1 else float("nan"),
                    min_clean=float(ok.min()) if len(ok) else float("nan"),
                    max_clean=float(ok.max()) if len(ok) else float("nan"),
                )
            )
        return summaries

    def review(self, cleaned: Survey) -> list[ReviewEntry]:
        survey, counts = self.survey, Counter(f.rule for f in self.flags)
        groups = survey.codebook.constructs()
        entries = [
            ReviewEntry("数据文件", survey.filename),
            ReviewEntry("原始样本量", str(survey.n)),
            ReviewEntry("有效样本量（清洗后）", str(cleaned.n), f"剔除 {survey.n - cleaned.n} 个"),
            ReviewEntry(
                "题项与潜变量对应",
                f"{len(survey.items)} 个题项，{len(groups)} 个潜变量",
                "；".join(f"{k}：{len(v)} 题" for k, v in groups.items()),
            ),
        ]
        entries += [
            ReviewEntry(f"查错：{s.name}", f"{counts.get(s.name, 0)} 处", s.action)
            for s in self.specs
        ]
        entries.append(self._range_review(cleaned))
        entries.append(self._date_review(cleaned))
        left = int(np.isnan(cleaned.values).sum())
        entries.append(
            ReviewEntry("清洗后缺失值", f"{left} 个", f"插补 {len(self.imputations)} 个")
        )
        if survey.has_ids:
            repeats = len(cleaned.ids) - len(set(cleaned.ids))
            entries.append(ReviewEntry("清洗后重复编号", f"{repeats} 个"))
        entries += [
            ReviewEntry("问题", p.message, STATUS_LABELS[p.severity]) for p in self.problems
        ]
        return entries

    def _range_review(self, cleaned: Survey) -> ReviewEntry:
        outside = 0
        for j, item in enumerate(cleaned.items):
            if item in self.bounds:
                low, high = self.bounds[item]
                column = cleaned.values[:, j]
                outside += int(((column < low) | (column > high)).sum())
        return ReviewEntry(
            "清洗后越界值", f"{outside} 个", "全部题项在量表范围内" if not outside else ""
        )

    def _date_review(self, cleaned: Survey) -> ReviewEntry:
        dates = [d for d in cleaned.dates if isinstance(d, date)]
        if not dates:
            if self.declared_note is not None:
                return ReviewEntry("调查时间（申报）", self.declared_note)
            has_column = cleaned.codebook.date_column is not None
            return ReviewEntry("访问日期范围", "无有效日期" if has_column else "无访问日期列")
        start = self.rules.survey_start
        note = f"方案规定开始日期 {start.isoformat()}" if start else ""
        return ReviewEntry(
            "访问日期范围", f"{min(dates).isoformat()} 至 {max(dates).isoformat()}", note
        )


def _shown(item: str, header: str) -> str:
    return header if item == header else f"{item}（{header}）"


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
