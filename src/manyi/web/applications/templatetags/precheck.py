"""Template helpers for findings of the pre-submission check."""

from __future__ import annotations

from django import template

from manyi.verdict import Finding
from manyi.web.applications.models import Application
from manyi.web.applications.precheck import finding_link

register = template.Library()


@register.filter
def fix_link(finding: Finding, application: Application) -> str:
    """``{{ item|fix_link:application }}``: where the applicant fixes the finding."""
    return finding_link(application, finding)


@register.inclusion_tag("applications/_finding_basis.html")
def finding_basis(finding: Finding) -> dict:
    """Whose rule a finding applies: the form's words, the secretariat's, or the system's advice."""
    return {"finding": finding}
