"""Names from the campaign scheme for templates: ``{{ application|category_name }}``."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from manyi.web.applications.models import Application
from manyi.web.applications.selectors import organisation_of
from manyi.web.applications.services import scheme_for

register = template.Library()


@register.filter
def organisation_name(application: Application) -> str:
    """The organisation's name as the application shows it (frozen once submitted)."""
    return organisation_of(application).name


@register.filter
def category_name(application: Application) -> str:
    try:
        return scheme_for(application).category(application.category).name
    except KeyError:
        return application.category


@register.filter
def level_name(application: Application, key: str | None = None) -> str:
    """The applied level's name, or with an argument that level's (blank key: 不授予)."""
    key = application.level if key is None else key
    if not key:
        return _("不授予")
    try:
        return scheme_for(application).level(key).name
    except KeyError:
        return key


@register.filter
def proposed_level_name(application: Application) -> str:
    return level_name(application, application.proposed_level or "")


@register.filter
def item(mapping: dict, key: object) -> object:
    return mapping.get(key) if isinstance(mapping, dict) else None
