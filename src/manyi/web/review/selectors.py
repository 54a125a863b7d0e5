"""Reads for the review: queues, findings, expert fit, scores and the ranked table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from manyi.rules.model import Scheme, normalize_text
from manyi.web.accounts.models import User
from manyi.web.accounts.permissions import application_scope
from manyi.web.applications.models import Application, MaterialFile, SubmittedVersion
from manyi.web.applications.models import ApplicationState as S
from manyi.web.applications.selectors import current_files_by_material
from manyi.web.applications.services import scheme_for
from manyi.web.review import aggregation
from manyi.web.review.diff import FieldChange, FileChange, version_diff
from manyi.web.review.models import (
    SETTLED_FINDING_STATES,
    ConflictDeclaration,
    ExpertAssignment,
    ExpertProfile,
    FindingStatus,
    FormalFinding,
    Score,
    TargetKind,
)

# Application states from the formal review's acceptance on: where experts may be assigned.
ASSIGNABLE_STATES = (S.ACCEPTED, S.EXPERT_REVIEW)
DECIDED_STATES = (S.DECIDED, S.PUBLICISED, S.GRANTED, S.NOT_GRANTED, S.CERTIFIED)


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related("organisation", "campaign", "promoting_body")


# -- 推进机构 and formal review ------------------------------------------------------------


def promoter_queue(user: User) -> QuerySet[Application]:
    """Applications that named the user's body and have been submitted at least once."""
    return (
        _applications()
        .filter(application_scope(user), promoting_body_id=user.promoting_body_id)
        .order_by("-updated_at")
    )


def formal_queue() -> QuerySet[Application]:
    """Recommended applications awaiting formal review, oldest first, with open findings."""
    return (
        _applications()
        .filter(state=S.RECOMMENDED)
        # A subquery, not a join with GROUP BY: counted only for the rows on the page shown.
        .annotate(
            open_findings=Coalesce(
                Subquery(
                    FormalFinding.objects.filter(
                        application=OuterRef("pk"), status=FindingStatus.OPEN
                    )
                    .values("application")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("updated_at")
    )


def returned_for_revision() -> QuerySet[Application]:
    return _applications().filter(state=S.RETURNED).order_by("revision_deadline")


def finding_targets(application: Application) -> dict[str, list[tuple[str, str]]]:
    """What a finding may point at: the category's form fields and the application's materials."""
    scheme = scheme_for(application)
    materials = scheme.materials_for(application.category, application.level)
    return {
        TargetKind.FIELD: [(f.key, f.label) for f in scheme.form_fields(application.category)],
        TargetKind.MATERIAL: [(m.key, m.name) for m, _requirement in materials],
    }


def open_findings(application: Application) -> QuerySet[FormalFinding]:
    return FormalFinding.objects.filter(application=application, status=FindingStatus.OPEN)


def unsettled_findings(application: Application) -> QuerySet[FormalFinding]:
    """Findings that stand in the way of acceptance: open, or resubmitted and not verified."""
    return FormalFinding.objects.filter(application=application).exclude(
        status__in=SETTLED_FINDING_STATES
    )


def findings_for(application: Application) -> QuerySet[FormalFinding]:
    return FormalFinding.objects.filter(application=application).order_by("created_at", "id")


def sent_findings(application: Application) -> QuerySet[FormalFinding]:
    """What the applicant has been told: findings sent with a return, newest return first."""
    return findings_for(application).exclude(sent_at=None).order_by("-sent_at", "id")


def last_two_versions(application: Application) -> list[SubmittedVersion]:
    return list(application.versions.order_by("-number")[:2])[::-1]


@dataclass(frozen=True)
class FindingWithChanges:
    """A finding beside what changed in its field or material since the version it was
    made on (every change for a general finding)."""

    finding: FormalFinding
    fields: list[FieldChange]
    files: list[FileChange]

    @property
    def unchanged(self) -> bool:
        return not self.fields and not self.files


def findings_with_changes(application: Application) -> list[FindingWithChanges]:
    versions = {v.number: v for v in application.versions.all()}
    latest = versions[max(versions)] if versions else None
    result = []
    for finding in findings_for(application).select_related("created_by", "resolved_by"):
        earlier = versions.get(finding.version) if finding.version else None
        if latest is None or earlier is None or earlier.number == latest.number:
            result.append(FindingWithChanges(finding, [], []))
            continue
        diff = version_diff(earlier, latest)
        result.append(FindingWithChanges(finding, *_changes_for(finding, diff)))
    return result


def _changes_for(finding: FormalFinding, diff) -> tuple[list[FieldChange], list[FileChange]]:
    if finding.target_kind == TargetKind.FIELD:
        return [c for c in diff.fields if c.key == finding.target_key], []
    if finding.target_kind == TargetKind.MATERIAL:
        return [], [c for c in diff.files if c.material == finding.target_key]
    return diff.fields, diff.files


# -- experts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """How an expert fits an application: conflicts block, expertise gaps are flagged."""

    conflicts: tuple[str, ...]
    category_ok: bool
    industry_ok: bool

    @property
    def assignable(self) -> bool:
        return not self.conflicts


@dataclass(frozen=True)
class Candidate:
    profile: ExpertProfile
    load: int
    fit: Fit
    assigned: bool

    @property
    def auto_eligible(self) -> bool:
        return (
            self.profile.is_active
            and not self.assigned
            and self.fit.assignable
            and (self.fit.category_ok)
        )


def profile_of(expert: User) -> ExpertProfile | None:
    return ExpertProfile.objects.filter(user=expert).select_related("promoting_body").first()


def _same_name(a: str, b: str) -> bool:
    return bool(normalize_text(a)) and normalize_text(a) == normalize_text(b)


def conflicts_for(
    profile: ExpertProfile, application: Application, scheme: Scheme, declared: Iterable[int]
) -> tuple[str, ...]:
    """Why ``profile`` may not review ``application``: each detected or declared conflict."""
    reasons = []
    organisation = application.organisation
    if _same_name(profile.organisation_name, organisation.name):
        reasons.append(_("工作单位与申报单位相同（%(o)s）") % {"o": organisation.name})
    if (
        scheme.review.conflict_same_promoting_body
        and profile.promoting_body_id == application.promoting_body_id
    ):
        reasons.append(
            _("与申报单位属同一推进机构（%(b)s）") % {"b": application.promoting_body.name}
        )
    if profile.user_id in set(declared):
        reasons.append(_("本人已声明与该单位存在利益关系"))
    return tuple(reasons)


def declared_experts(application: Application) -> set[int]:
    return set(
        ConflictDeclaration.objects.filter(organisation=application.organisation_id).values_list(
            "expert_id", flat=True
        )
    )


def fit_of(profile: ExpertProfile, application: Application, scheme: Scheme | None = None) -> Fit:
    scheme = scheme or scheme_for(application)
    conflicts = conflicts_for(profile, application, scheme, declared_experts(application))
    return _fit(profile, application, conflicts)


def _fit(profile: ExpertProfile, application: Application, conflicts: tuple[str, ...]) -> Fit:
    section = application.organisation.industry_section
    return Fit(
        conflicts=conflicts,
        category_ok=application.category in (profile.categories or []),
        industry_ok=bool(section) and section in (profile.industries or []),
    )


def expert_profiles(*, active_only: bool = False) -> QuerySet[ExpertProfile]:
    profiles = ExpertProfile.objects.select_related("user", "promoting_body")
    return profiles.filter(is_active=True, user__is_active=True) if active_only else profiles


def candidates(application: Application) -> list[Candidate]:
    """Every active expert with load, fit and whether already assigned, in the order
    automatic assignment prefers: fewest assignments this campaign, then industry match."""
    scheme = scheme_for(application)
    declared = declared_experts(application)
    assigned = set(application.expert_assignments.values_list("expert_id", flat=True))
    campaign_load = Count(
        "user__expert_assignments",
        filter=Q(user__expert_assignments__application__campaign=application.campaign_id),
    )
    profiles = expert_profiles(active_only=True).annotate(load=campaign_load)
    result = [
        Candidate(
            profile,
            profile.load,
            _fit(profile, application, conflicts_for(profile, application, scheme, declared)),
            profile.user_id in assigned,
        )
        for profile in profiles
    ]
    return sorted(result, key=lambda c: (c.load, not c.fit.industry_ok, c.profile.user_id))


def assignments_of(application: Application) -> QuerySet[ExpertAssignment]:
    return application.expert_assignments.select_related("expert").order_by("assigned_at", "id")


def assignments_for_expert(expert: User) -> QuerySet[ExpertAssignment]:
    return (
        ExpertAssignment.objects.filter(expert=expert)
        .select_related("application__organisation", "application__campaign")
        .order_by("submitted_at", "-assigned_at")
    )


def expert_review_queue() -> QuerySet[Application]:
    """Accepted applications and those in expert review, with assignment progress."""
    return (
        _applications()
        .filter(state__in=ASSIGNABLE_STATES)
        .annotate(
            assigned=Count("expert_assignments"),
            submitted=Count(
                "expert_assignments", filter=Q(expert_assignments__submitted_at__isnull=False)
            ),
        )
        .order_by("state", "updated_at")
    )


# -- scores --------------------------------------------------------------------------------


@dataclass
class ScoreSummary:
    expected: int
    assigned: int
    totals: list[Decimal] = field(default_factory=list)
    score: Decimal | None = None
    spread: Decimal | None = None
    flagged: bool = False

    @property
    def submitted(self) -> int:
        return len(self.totals)

    @property
    def complete(self) -> bool:
        return self.assigned >= self.expected and self.submitted == self.assigned


def submitted_totals(application_ids: Iterable[int]) -> dict[int, list[Decimal]]:
    """Each application's submitted expert totals, in one query."""
    rows = (
        ExpertAssignment.objects.filter(application_id__in=list(application_ids))
        .exclude(submitted_at=None)
        .annotate(total=Sum("scores__points"))
        .values_list("application_id", "total")
    )
    totals: dict[int, list[Decimal]] = defaultdict(list)
    for application_id, total in rows:
        totals[application_id].append(Decimal(total or 0).quantize(aggregation.CENT))
    return totals


def summarise(scheme: Scheme, totals: list[Decimal], assigned: int) -> ScoreSummary:
    review = scheme.review
    return ScoreSummary(
        expected=review.experts_per_application,
        assigned=assigned,
        totals=sorted(totals),
        score=aggregation.aggregate(totals, review.aggregation, review.trim),
        spread=aggregation.spread(totals),
        flagged=aggregation.spread_flagged(totals, review.spread_flag_points),
    )


def score_summary(application: Application) -> ScoreSummary:
    totals = submitted_totals([application.pk]).get(application.pk, [])
    assigned = application.expert_assignments.count()
    return summarise(scheme_for(application), totals, assigned)


@dataclass(frozen=True)
class SheetRow:
    key: str
    name: str
    max_points: float
    guidance: str
    points: Decimal | None
    comment: str


def score_sheet(assignment: ExpertAssignment) -> list[SheetRow]:
    """The rubric with one expert's points and comments (blank where not scored yet)."""
    stored = {score.criterion: score for score in assignment.scores.all()}
    rubric = scheme_for(assignment.application).review.rubric
    return [
        SheetRow(
            criterion.key,
            criterion.name,
            criterion.max_points,
            criterion.guidance,
            stored[criterion.key].points if criterion.key in stored else None,
            stored[criterion.key].comment if criterion.key in stored else "",
        )
        for criterion in rubric
    ]


@dataclass(frozen=True)
class MaterialLinks:
    name: str
    files: list[MaterialFile]


def material_links(application: Application) -> list[MaterialLinks]:
    """Every material the application holds, in the scheme's order, with its files."""
    scheme = scheme_for(application)
    files = current_files_by_material(application)
    return [
        MaterialLinks(material.name, files[material.key])
        for material in scheme.materials
        if files.get(material.key)
    ]


@dataclass(frozen=True)
class SatisfactionCheck:
    """The declared 满意度 beside the index recomputed from the raw survey data."""

    declared: str
    recomputed: float | None = None
    low: float | None = None
    high: float | None = None
    difference: float | None = None
    tolerance: float | None = None

    @property
    def beyond_tolerance(self) -> bool:
        return (
            self.difference is not None
            and self.tolerance is not None
            and abs(self.difference) > self.tolerance
        )


def satisfaction_check(application: Application) -> SatisfactionCheck:
    from manyi.web.surveys.models import AnalysisStatus

    scheme = scheme_for(application)
    declared = str(application.form_data.get(scheme.roles.fields.satisfaction_score, "")).strip()
    analysis = (
        application.survey_analyses.filter(status=AnalysisStatus.DONE)
        .exclude(recomputed_index=None)
        .first()
    )
    if analysis is None:
        return SatisfactionCheck(declared)
    return SatisfactionCheck(
        declared,
        analysis.recomputed_index,
        analysis.index_low,
        analysis.index_high,
        analysis.difference,
        scheme.measurement.declared_score.value,
    )


def sheet_total(rows: Iterable[SheetRow]) -> Decimal:
    return sum((row.points or Decimal(0) for row in rows), Decimal(0))


def scores_of(application: Application) -> QuerySet[Score]:
    return Score.objects.filter(assignment__application=application).select_related(
        "assignment__expert"
    )


# -- decisions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedRow:
    rank: int
    application: Application
    summary: ScoreSummary
    suggested_level: str  # "" = 不授予


@dataclass(frozen=True)
class CategoryRanking:
    key: str
    name: str
    rows: list[RankedRow]


def ranking(states: Iterable[str] = (S.SCORED,)) -> list[CategoryRanking]:
    """Applications per category ranked by aggregated score, with the suggested level."""
    applications = list(_applications().filter(state__in=list(states)))
    totals = submitted_totals(a.pk for a in applications)
    assigned = dict(
        ExpertAssignment.objects.filter(application__in=applications)
        .values("application_id")
        .annotate(n=Count("id"))
        .values_list("application_id", "n")
    )
    grouped: dict[str, list[tuple[Application, ScoreSummary]]] = defaultdict(list)
    for application in applications:
        scheme = scheme_for(application)
        summary = summarise(scheme, totals.get(application.pk, []), assigned.get(application.pk, 0))
        grouped[application.category].append((application, summary))
    return _ranked(grouped)


def suggested_level(application: Application, summary: ScoreSummary) -> str:
    if summary.score is None:
        return ""
    scheme = scheme_for(application)
    return scheme.proposed_level(application.level, float(summary.score)) or ""


def _ranked(grouped: dict[str, list[tuple[Application, ScoreSummary]]]) -> list[CategoryRanking]:
    result = []
    for key, items in grouped.items():
        scheme = scheme_for(items[0][0])
        items.sort(key=lambda item: (item[1].score is None, -(item[1].score or 0), item[0].pk))
        rows = [
            RankedRow(rank, application, summary, suggested_level(application, summary))
            for rank, (application, summary) in enumerate(items, start=1)
        ]
        result.append(CategoryRanking(key, scheme.category(key).name, rows))
    order = {c.key: i for i, c in enumerate(scheme_categories(result))}
    return sorted(result, key=lambda ranking: order.get(ranking.key, len(order)))


def scheme_categories(rankings: list[CategoryRanking]) -> list:
    if not rankings or not rankings[0].rows:
        return []
    return list(scheme_for(rankings[0].rows[0].application).categories)


def decided_applications() -> QuerySet[Application]:
    return _applications().filter(state=S.DECIDED).order_by("category", "organisation__name")
