"""The 推进机构's recommendation or return of a submitted application."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from manyi.web.accounts.models import User
from manyi.web.applications.lifecycle import transition
from manyi.web.applications.models import Application
from manyi.web.review.models import Recommendation
from manyi.web.review.services.common import latest_version_number, require_text


@transaction.atomic
def application_recommend(*, actor: User, application: Application, opinion: str) -> Recommendation:
    """Recommend the submitted application to the secretariat with the body's opinion."""
    opinion = require_text(opinion, "opinion", _("请填写推荐意见。"))
    application = transition(actor=actor, application=application, action="recommend", note=opinion)
    return _record(actor, application, Recommendation.Decision.RECOMMEND, opinion)


@transaction.atomic
def application_promoter_return(
    *, actor: User, application: Application, reasons: str
) -> Recommendation:
    """Return the submitted application to the applicant; the reasons are required."""
    reasons = require_text(reasons, "reasons", _("请写明退回理由，申报单位将据此修改。"))
    application = transition(
        actor=actor, application=application, action="promoter_return", note=reasons
    )
    return _record(actor, application, Recommendation.Decision.RETURN, reasons)


# The transition has audited the move with the opinion as its note.
def _record(actor: User, application: Application, decision: str, text: str) -> Recommendation:
    return Recommendation.objects.create(
        application=application,
        promoting_body=application.promoting_body,
        version=latest_version_number(application),
        decision=decision,
        opinion=text,
        created_by=actor,
    )
