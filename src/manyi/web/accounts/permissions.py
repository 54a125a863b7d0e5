"""Who may do what: the one place where permissions are decided.

Views, services and templates ask ``has_perm(user, Perm.X, obj)``; nothing else inspects roles.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from manyi.web.accounts.models import Organisation, PromotingBody, Role


class Perm(StrEnum):
    VIEW_ORGANISATION = "view_organisation"
    EDIT_ORGANISATION = "edit_organisation"
    LIST_ORGANISATIONS = "list_organisations"
    OVERRIDE_CREDIT_CODE = "override_credit_code"
    MANAGE_PROMOTING_BODIES = "manage_promoting_bodies"
    VIEW_PROMOTING_BODY = "view_promoting_body"
    MANAGE_CAMPAIGNS = "manage_campaigns"
    VIEW_AUDIT_LOG = "view_audit_log"
    CREATE_APPLICATION = "create_application"
    VIEW_APPLICATION = "view_application"
    EDIT_APPLICATION = "edit_application"
    SUBMIT_APPLICATION = "submit_application"
    VIEW_ALL_APPLICATIONS = "view_all_applications"
    RUN_SURVEY_ANALYSIS = "run_survey_analysis"
    WITHDRAW_APPLICATION = "withdraw_application"
    RECOMMEND_APPLICATION = "recommend_application"
    FORMAL_REVIEW = "formal_review"
    ASSIGN_EXPERTS = "assign_experts"
    MANAGE_EXPERTS = "manage_experts"
    SCORE_APPLICATION = "score_application"
    DECLARE_CONFLICT = "declare_conflict"
    DECIDE_LEVEL = "decide_level"
    ISSUE_CERTIFICATE = "issue_certificate"
    EXPORT_DATA = "export_data"


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.APPLICANT: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.EDIT_ORGANISATION,
            Perm.CREATE_APPLICATION,
            Perm.VIEW_APPLICATION,
            Perm.EDIT_APPLICATION,
            Perm.SUBMIT_APPLICATION,
            Perm.RUN_SURVEY_ANALYSIS,
            Perm.WITHDRAW_APPLICATION,
        }
    ),
    Role.PROMOTER: frozenset(
        {Perm.VIEW_PROMOTING_BODY, Perm.VIEW_APPLICATION, Perm.RECOMMEND_APPLICATION}
    ),
    # The secretariat reviews; it does not fill in or submit applications for applicants.
    Role.SECRETARIAT: frozenset(Perm)
    - {
        Perm.CREATE_APPLICATION,
        Perm.EDIT_APPLICATION,
        Perm.SUBMIT_APPLICATION,
        Perm.WITHDRAW_APPLICATION,
        Perm.RECOMMEND_APPLICATION,
        Perm.SCORE_APPLICATION,
        Perm.DECLARE_CONFLICT,
    },
    Role.EXPERT: frozenset({Perm.VIEW_APPLICATION, Perm.SCORE_APPLICATION, Perm.DECLARE_CONFLICT}),
}


# Allowed to applicants only while the application is a draft or returned for revision.
EDITING_PERMISSIONS = frozenset(
    {Perm.EDIT_APPLICATION, Perm.SUBMIT_APPLICATION, Perm.RUN_SURVEY_ANALYSIS}
)


def _owns(user: Any, obj: Any) -> bool:
    """Object-level scope: applicants see their own organisation, promoters their own body."""
    if obj is None or user.role == Role.SECRETARIAT:
        return True
    if isinstance(obj, Organisation):
        return user.organisation_id == obj.pk
    if isinstance(obj, PromotingBody):
        return user.promoting_body_id == obj.pk
    if _is_application(obj):
        return application_visible(user, obj)
    return False


def _is_application(obj: Any) -> bool:
    return obj._meta.label_lower == "applications.application" if hasattr(obj, "_meta") else False


# -- who may see an application: the one rule ---------------------------------------------------
#
# | role          | sees                                                                   |
# |---------------|------------------------------------------------------------------------|
# | 申报单位       | every application of its own organisation, in every state              |
# | 推进机构       | applications that named its body and were submitted at least once       |
# |               | (a draft never submitted, even if withdrawn, stays the applicant's own) |
# | 秘书处         | every application                                                      |
# | 评审专家       | applications it is assigned to                                         |
#
# ``application_scope`` is the rule as a query filter; every selector of applications and the
# object check below use it, so a list and a permission can never disagree.


def application_scope(user: Any) -> Q:
    """The applications ``user`` may see, as a filter on ``Application``."""
    from manyi.web.applications.models import SubmittedVersion

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.SECRETARIAT:
        return Q()
    if user.role == Role.APPLICANT and user.organisation_id:
        return Q(organisation_id=user.organisation_id)
    if user.role == Role.PROMOTER and user.promoting_body_id:
        submitted = SubmittedVersion.objects.values("application_id")
        return Q(promoting_body_id=user.promoting_body_id, pk__in=submitted)
    if user.role == Role.EXPERT:
        return Q(expert_assignments__expert_id=user.pk)
    return Q(pk__in=[])


def application_visible(user: Any, application: Any) -> bool:
    """Whether ``application`` falls under :func:`application_scope` for ``user``."""
    if application.pk is None:
        return False
    scoped = type(application).objects.filter(application_scope(user))
    return scoped.filter(pk=application.pk).exists()


def has_perm(user: Any, perm: Perm, obj: Any = None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if perm not in ROLE_PERMISSIONS.get(user.role, frozenset()):
        return False
    if (
        perm in EDITING_PERMISSIONS
        and obj is not None
        and user.role == Role.APPLICANT
        and not obj.is_editable
    ):
        return False
    return _owns(user, obj)


def require(user: Any, perm: Perm, obj: Any = None) -> None:
    if not has_perm(user, perm, obj):
        raise PermissionDenied("您没有执行此操作的权限。")


def permission_required(perm: Perm) -> Callable:
    """View decorator: log in first, then the role must grant ``perm`` (object checks in view)."""
    from django.contrib.auth.decorators import login_required

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            require(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
