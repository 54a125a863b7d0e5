"""Where an application stands, in plain words, for the applicant's dashboard and overview.

Reads only: the state, the findings the formal review sent, the promoting body's return, the
公示, the published result and the certificate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.rules.model import Scheme
from manyi.web.applications.models import Application
from manyi.web.applications.models import ApplicationState as S
from manyi.web.audit.models import AuditEntry
from manyi.web.campaigns.selectors import scheme_for_campaign


def chinese_date(day: datetime.date | datetime.datetime | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


@dataclass
class Standing:
    """One application's situation as the applicant should read it."""

    state: str
    headline: str
    tone: str = "info"  # info | warn | ok | fail: how the page colours it
    deadline: datetime.date | None = None
    findings: list[Any] = field(default_factory=list)  # sent, still open findings
    reasons: str = ""  # the promoting body's return or the reason for 不予受理
    publication: Any = None
    publication_closes: str = ""
    applied_level: str = ""
    awarded_level: str = ""
    certificate: Any = None
    certificate_pdf_url: str = ""
    verification_url: str = ""

    @property
    def returned(self) -> bool:
        return self.state == S.RETURNED


def _level_name(scheme: Scheme, key: str) -> str:
    try:
        return scheme.level(key).name if key else ""
    except KeyError:
        return key


def _note_of(application: Application, action: str) -> str:
    entry = (
        AuditEntry.objects.filter(
            target_type="applications.application",
            target_id=str(application.pk),
            action=f"application.{action}",
        )
        .order_by("-id")
        .first()
    )
    return str(entry.new_values.get("note", "")) if entry else ""


def application_standing(application: Application, request: Any = None) -> Standing:
    """``request`` gives absolute links the host the page was asked for (unless
    ``MANYI_PUBLIC_BASE_URL`` names the public one)."""
    scheme = scheme_for_campaign(application.campaign)
    standing = Standing(
        state=application.state,
        headline="",
        applied_level=_level_name(scheme, application.level),
    )
    builder = _BUILDERS.get(application.state, _plain)
    builder(application, scheme, standing)
    if standing.certificate is not None:
        from manyi.web.publicity.certificates import verification_url

        standing.verification_url = verification_url(standing.certificate.number, request)
    return standing


def _plain(application: Application, scheme: Scheme, standing: Standing) -> None:
    standing.headline = str(application.get_state_display())


def _draft(application: Application, scheme: Scheme, standing: Standing) -> None:
    standing.headline = _("草稿，尚未提交：填写完成并通过体检后即可提交。")


def _submitted(application: Application, scheme: Scheme, standing: Standing) -> None:
    standing.headline = _("已提交，等待推进机构（%(b)s）推荐。") % {
        "b": application.promoting_body.name
    }


def _returned_by_promoter(application: Application, scheme: Scheme, standing: Standing) -> None:
    standing.tone = "warn"
    standing.headline = _("推进机构（%(b)s）退回：请按下列理由修改后重新提交。") % {
        "b": application.promoting_body.name
    }
    standing.reasons = _note_of(application, "promoter_return")


def _recommended(application: Application, scheme: Scheme, standing: Standing) -> None:
    if application.versions.count() > 1 and _findings(application).exists():
        standing.headline = _("补正后已重新提交，秘书处正在核实各条审查意见。")
    else:
        standing.headline = _("推进机构已推荐，秘书处正在形式审查。")


def _findings(application: Application):
    from manyi.web.review.selectors import sent_findings

    return sent_findings(application)


def _returned(application: Application, scheme: Scheme, standing: Standing) -> None:
    from manyi.web.review.models import FindingStatus

    standing.tone = "warn"
    standing.deadline = application.revision_deadline
    standing.findings = list(
        _findings(application).filter(status=FindingStatus.OPEN).order_by("sent_at", "id")
    )
    standing.headline = _(
        "形式审查退回补正：请于 %(d)s 前按下列 %(n)s 条意见修改，然后重新提交；"
        "逾期未提交的申报将失效。"
    ) % {"d": chinese_date(application.revision_deadline), "n": len(standing.findings)}


def _lapsed(application: Application, scheme: Scheme, standing: Standing) -> None:
    standing.tone = "fail"
    standing.headline = _("补正期限 %(d)s 已过，未重新提交，申报已失效。") % {
        "d": chinese_date(application.revision_deadline)
    }


def _rejected(application: Application, scheme: Scheme, standing: Standing) -> None:
    standing.tone = "fail"
    standing.headline = _("秘书处不予受理。")
    standing.reasons = _note_of(application, "reject")


def _accepted(application: Application, scheme: Scheme, standing: Standing) -> None:
    standing.headline = _("已受理，秘书处正在安排评审专家。")


def _in_review(application: Application, scheme: Scheme, standing: Standing) -> None:
    standing.headline = _("专家评审中。")


def _scored(application: Application, scheme: Scheme, standing: Standing) -> None:
    standing.headline = _("专家评审已完成，等待秘书处拟定等级并公示。")


def _publicised(application: Application, scheme: Scheme, standing: Standing) -> None:
    from manyi.web.publicity.models import PublicationItem
    from manyi.web.publicity.selectors import format_datetime

    item = (
        PublicationItem.objects.filter(application=application)
        .select_related("publication")
        .first()
    )
    if item is None:
        standing.headline = _("已进入公示阶段，公示即将开始。")
        return
    standing.publication = item.publication
    standing.publication_closes = format_datetime(item.publication.closes_at)
    standing.awarded_level = _level_name(scheme, item.proposed_level)
    standing.headline = _("公示中（至 %(t)s）：拟授予%(l)s。") % {
        "t": standing.publication_closes,
        "l": standing.awarded_level or _("不授予等级"),
    }


def _granted(application: Application, scheme: Scheme, standing: Standing) -> None:
    from manyi.web.publicity.models import PublicationItem

    item = PublicationItem.objects.filter(application=application).first()
    level = item.proposed_level if item else application.proposed_level
    standing.tone = "ok"
    standing.awarded_level = _level_name(scheme, level)
    standing.headline = _("公示结果已发布：授予%(l)s，证书即将签发。") % {
        "l": standing.awarded_level
    }


def _not_granted(application: Application, scheme: Scheme, standing: Standing) -> None:
    standing.tone = "fail"
    standing.headline = _("公示结果已发布：本次未授予等级。")


def _certified(application: Application, scheme: Scheme, standing: Standing) -> None:
    from manyi.web.publicity.models import Certificate

    certificate = Certificate.objects.filter(application=application).first()
    standing.tone = "ok"
    if certificate is None:
        standing.headline = str(application.get_state_display())
        return
    standing.certificate = certificate
    standing.awarded_level = certificate.level_name
    standing.certificate_pdf_url = reverse("publicity:certificate_pdf", args=[certificate.number])
    standing.headline = _("已发证：%(l)s，证书编号 %(n)s，有效期至 %(d)s。") % {
        "l": certificate.level_name,
        "n": certificate.number,
        "d": chinese_date(certificate.valid_until),
    }
    if certificate.revoked:
        standing.tone = "fail"
        standing.headline = _("证书 %(n)s 已被撤销：%(r)s") % {
            "n": certificate.number,
            "r": certificate.revoked_reason,
        }


def _withdrawn(application: Application, scheme: Scheme, standing: Standing) -> None:
    standing.headline = _("申报已撤回。")


_BUILDERS = {
    S.DRAFT: _draft,
    S.SUBMITTED: _submitted,
    S.RETURNED_BY_PROMOTER: _returned_by_promoter,
    S.RECOMMENDED: _recommended,
    S.RETURNED: _returned,
    S.LAPSED: _lapsed,
    S.REJECTED: _rejected,
    S.ACCEPTED: _accepted,
    S.EXPERT_REVIEW: _in_review,
    S.SCORED: _scored,
    S.DECIDED: _scored,
    S.PUBLICISED: _publicised,
    S.GRANTED: _granted,
    S.NOT_GRANTED: _not_granted,
    S.CERTIFIED: _certified,
    S.WITHDRAWN: _withdrawn,
}


@dataclass(frozen=True)
class HistoryRow:
    """One evaluation of an organisation: what it applied for and what came of it."""

    application: Application
    year: int
    category: str
    applied_level: str
    kind: str
    state: str
    awarded_level: str
    certificate: Any
    previous_certificate_number: str


def evaluation_history(organisation: Any, viewer: Any) -> list[HistoryRow]:
    """The organisation's applications the viewer may see, newest campaign first, each with
    its result and certificate (and, for 复评, the certificate it followed)."""
    from manyi.web.accounts.permissions import application_scope
    from manyi.web.publicity.models import Certificate

    applications = (
        Application.objects.filter(application_scope(viewer), organisation=organisation)
        .select_related("campaign")
        .order_by("-campaign__year", "category", "project_name")
    )
    certificates = {
        c.application_id: c for c in Certificate.objects.filter(application__in=applications)
    }
    rows = []
    for application in applications:
        scheme = scheme_for_campaign(application.campaign)
        certificate = certificates.get(application.pk)
        rows.append(
            HistoryRow(
                application=application,
                year=application.campaign.year,
                category=scheme.category(application.category).name,
                applied_level=_level_name(scheme, application.level),
                kind=_kind_name(scheme, application.kind),
                state=str(application.get_state_display()),
                awarded_level=certificate.level_name if certificate else "",
                certificate=certificate,
                previous_certificate_number=application.previous_certificate_number,
            )
        )
    return rows


def _kind_name(scheme: Scheme, key: str) -> str:
    try:
        return scheme.application_kind(key).name
    except KeyError:
        return key
