"""Lists a role works through: paginated, searchable, filterable, with counts.

One helper for every list page: ``listing(request, queryset, search=…, facets=…)`` reads ``q``,
each facet's parameter and ``page`` from the query string, and returns the current page with the
count of matching rows and, per facet, every option with how many rows it would give (counted
with the other filters applied). The template include ``_listing.html`` draws the search box,
the filters and the page links (``part="filters"`` above the table, ``part="pages"`` below).

The number of queries per page is constant: one per facet (cached for a few seconds), one
count, one page.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial, reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

PER_PAGE = 50
EMPTY = "-"
MAX_SEARCH_LENGTH = 100


@dataclass(frozen=True)
class Facet:
    """A filter on one field; option labels from ``label_field``, ``labels`` or the value."""

    name: str
    label: Any
    field: str
    label_field: str | None = None
    labels: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None
    # When set, rows with an empty value are an option of their own (e.g. 未处理).
    empty_label: Any = None

    def condition(self, value: str) -> Q:
        if value == EMPTY and self.empty_label is not None:
            return Q(**{self.field: ""}) | Q(**{f"{self.field}__isnull": True})
        return Q(**{self.field: value})

    def label_map(self) -> Mapping[str, Any]:
        labels = self.labels() if callable(self.labels) else self.labels
        return labels or {}


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetState:
    facet: Facet
    selected: str
    options: list[Option] = field(default_factory=list)


@dataclass
class Listing:
    page: Page
    search: str
    facets: list[FacetState]
    total: int
    unfiltered: int
    querystring: str  # the current filters, without the page number
    page_parameter: str = "page"

    @property
    def rows(self) -> list[Any]:
        return list(self.page.object_list)

    @property
    def filtered(self) -> bool:
        return bool(self.search) or any(state.selected for state in self.facets)


def _search_filter(fields: Sequence[str], text: str) -> Q:
    return reduce(or_, (Q(**{f"{name}__icontains": text}) for name in fields))


def _counts(queryset: QuerySet, facet: Facet) -> list[tuple[str, str, int]]:
    """Each option's count; kept in the cache for ``MANYI_LIST_COUNT_SECONDS`` (the page and its
    total are always read fresh), so busy lists do not group the whole table on every view."""
    seconds = getattr(settings, "MANYI_LIST_COUNT_SECONDS", 0)
    if not seconds:
        return _count_options(queryset, facet)
    sql, params = queryset.query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params, facet.field, get_language())).encode()).hexdigest()
    key = f"manyi:facet:{digest}"
    counts = cache.get(key)
    if counts is None:
        counts = _count_options(queryset, facet)
        cache.set(key, counts, seconds)
    return counts


def _count_options(queryset: QuerySet, facet: Facet) -> list[tuple[str, str, int]]:
    if queryset.query.annotations:  # grouped rows: count over the plain rows they come from
        queryset = queryset.model.objects.filter(pk__in=queryset.values("pk"))
    columns = [facet.field] + ([facet.label_field] if facet.label_field else [])
    rows = queryset.order_by().values(*columns).annotate(n=Count("pk"))
    labels = facet.label_map()
    result = []
    for row in rows:
        value = row[facet.field]
        if value in (None, ""):
            if facet.empty_label is not None:
                result.append((EMPTY, str(facet.empty_label), row["n"]))
            continue
        label = row[facet.label_field] if facet.label_field else labels.get(value, value)
        result.append((str(value), str(label), row["n"]))
    return sorted(result, key=lambda item: (-item[2], item[1]))


def listing(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    search: Sequence[str] = (),
    facets: Sequence[Facet] = (),
    per_page: int = PER_PAGE,
    page_parameter: str = "page",
) -> Listing:
    """The page of ``queryset`` the request asks for, with its search, filters and counts."""
    params = request.GET
    text = params.get("q", "").strip()[:MAX_SEARCH_LENGTH]
    selected = {facet.name: params.get(facet.name, "").strip() for facet in facets}
    searched = queryset.filter(_search_filter(search, text)) if text and search else queryset
    states = []
    filtered = searched
    for facet in facets:
        if selected[facet.name]:
            filtered = filtered.filter(facet.condition(selected[facet.name]))
    for facet in facets:
        others = searched
        for other in facets:
            if other is not facet and selected[other.name]:
                others = others.filter(other.condition(selected[other.name]))
        options = [
            Option(value, label, count, value == selected[facet.name])
            for value, label, count in _counts(others, facet)
        ]
        states.append(FacetState(facet, selected[facet.name], options))
    page = Paginator(filtered, per_page).get_page(params.get(page_parameter, 1))
    query = params.copy()
    query.pop(page_parameter, None)
    unfiltered = page.paginator.count if not (text or any(selected.values())) else None
    return Listing(
        page=page,
        search=text,
        facets=states,
        total=page.paginator.count,
        unfiltered=unfiltered if unfiltered is not None else queryset.count(),
        querystring=query.urlencode(),
        page_parameter=page_parameter,
    )


# -- the facets of application lists ------------------------------------------------------


@functools.cache
def _scheme_names(kind: str) -> dict[str, str]:
    """Category or level names by key across the packaged schemes (read once per process)."""
    from manyi.rules.loader import available_years, load_scheme

    result: dict[str, str] = {}
    for year in available_years():
        result.update({item.key: item.name for item in getattr(load_scheme(year), kind)})
    return result


def _state_labels() -> dict[str, Any]:
    from manyi.web.applications.models import ApplicationState

    return dict(ApplicationState.choices)


def application_facets(
    prefix: str = "", *, state: bool = True, promoting_body: bool = True
) -> list[Facet]:
    """状态, 类别, 等级, 推进机构, 省份 for a queryset of applications (``prefix`` reaches them
    from another model, e.g. ``"application__"``)."""
    facets = [
        Facet(
            "category", _("类别"), f"{prefix}category", labels=partial(_scheme_names, "categories")
        ),
        Facet("level", _("等级"), f"{prefix}level", labels=partial(_scheme_names, "levels")),
        Facet(
            "promoting_body",
            _("推进机构"),
            f"{prefix}promoting_body",
            label_field=f"{prefix}promoting_body__name",
        ),
        Facet("province", _("省份"), f"{prefix}organisation__province"),
    ]
    if state:
        facets.insert(0, Facet("state", _("状态"), f"{prefix}state", labels=_state_labels))
    if not promoting_body:  # e.g. a 推进机构's own queue
        facets = [facet for facet in facets if facet.name != "promoting_body"]
    return facets


def application_search(prefix: str = "") -> tuple[str, ...]:
    return (
        f"{prefix}organisation__name",
        f"{prefix}organisation__credit_code",
        f"{prefix}project_name",
    )
