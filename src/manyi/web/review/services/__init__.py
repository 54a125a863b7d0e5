"""Writes for the review. Every state change goes through ``applications.lifecycle.transition``.

Importing this package registers the lifecycle hooks (return for revision, resubmission,
decision); the app config imports it when Django starts.
"""

from manyi.web.review.services.common import scheme_for
from manyi.web.review.services.decisions import (
    allowed_decisions,
    applications_publicise,
    level_label,
    levels_decide,
)
from manyi.web.review.services.experts import (
    AutoAssignResult,
    auto_assign,
    conflict_declare,
    expert_assign,
    expert_create,
    expert_unassign,
    expert_update,
)
from manyi.web.review.services.formal import (
    application_accept,
    application_reject,
    application_return_for_revision,
    default_deadline,
    finding_add,
    finding_resolve,
    finding_waive,
    lapse_overdue,
)
from manyi.web.review.services.promoter import application_promoter_return, application_recommend
from manyi.web.review.services.scoring import scores_save

__all__ = [
    "AutoAssignResult",
    "allowed_decisions",
    "application_accept",
    "application_promoter_return",
    "application_recommend",
    "application_reject",
    "application_return_for_revision",
    "applications_publicise",
    "auto_assign",
    "conflict_declare",
    "default_deadline",
    "expert_assign",
    "expert_create",
    "expert_unassign",
    "expert_update",
    "finding_add",
    "finding_resolve",
    "finding_waive",
    "lapse_overdue",
    "level_label",
    "levels_decide",
    "scheme_for",
    "scores_save",
]
