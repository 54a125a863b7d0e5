"""Lists a role works through: paginated, searchable, filterable with counts; constant queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from manyi.web.applications.models import Application
from manyi.web.audit.models import AuditEntry
from manyi.web.audit.services import audit_record
from manyi.web.scale import scale_seed, scale_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def scaled(open_campaign, secretariat):
    return scale_seed(120, campaign=open_campaign, created_by=secretariat)


@pytest.fixture
def users(scaled):
    return scale_users(scaled, "Zq8-long-enough-pass")


def rows(response, testid: str) -> int:
    table = re.search(rf'data-testid="{testid}".*?</table>', response.content.decode(), re.S)
    return table.group(0).count("<tr><td")


def test_the_secretariat_sees_one_page_and_the_count(client, users):
    client.force_login(users["secretariat"])
    response = client.get(reverse("applications:list"))
    page = response.content.decode()
    assert rows(response, "application-list") == 50
    assert "共 120 条" in page
    assert "第 1 / 3 页" in page and "page=2" in page


def test_search_finds_by_organisation_name(client, users):
    client.force_login(users["secretariat"])
    name = Application.objects.order_by("pk")[7].organisation.name
    response = client.get(reverse("applications:list"), {"q": name})
    assert rows(response, "application-list") == 1
    assert "符合条件 1 条（共 120 条）" in response.content.decode()


@pytest.mark.parametrize(
    ("parameter", "field"),
    [
        ("state", "state"),
        ("category", "category"),
        ("level", "level"),
        ("promoting_body", "promoting_body_id"),
        ("province", "organisation__province"),
    ],
)
def test_each_filter_narrows_the_list_and_shows_its_counts(client, users, parameter, field):
    client.force_login(users["secretariat"])
    listing = client.get(reverse("applications:list")).context["listing"]
    facet = next(state for state in listing.facets if state.facet.name == parameter)
    option = facet.options[0]
    expected = Application.objects.filter(**{field: option.value}).count()
    assert option.count == expected
    filtered = client.get(reverse("applications:list"), {parameter: option.value}).context
    assert filtered["listing"].total == expected
    assert {str(_value(a, field)) for a in filtered["applications"]} == {option.value}


def _value(application: Application, field: str) -> object:
    if field == "organisation__province":
        return application.organisation.province
    return getattr(application, field)


def test_filters_combine_and_counts_follow_the_other_filters(client, users):
    client.force_login(users["secretariat"])
    state = "recommended"
    listing = client.get(reverse("applications:list"), {"state": state}).context["listing"]
    categories = next(s for s in listing.facets if s.facet.name == "category")
    for option in categories.options:
        assert (
            option.count == Application.objects.filter(state=state, category=option.value).count()
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("secretariat", "applications:list"),
        ("secretariat", "review:formal_queue"),
        ("secretariat", "review:expert_review_queue"),
        ("promoter", "review:promoter_queue"),
        ("applicant", "applications:list"),
    ],
)
def test_queries_per_page_do_not_grow_with_the_rows(client, open_campaign, secretariat, who, name):
    small = scale_seed(10, campaign=open_campaign, created_by=secretariat, seed=1)
    users = scale_users(small, "Zq8-long-enough-pass")
    client.force_login(users[who])
    url = reverse(name)
    _queries(client, url)  # warm caches (scheme, session)
    before = _queries(client, url)
    scale_seed(150, campaign=open_campaign, created_by=secretariat, seed=2)
    after = _queries(client, url)
    assert after == before, f"{url}: {before} → {after} queries"


def test_the_audit_log_is_searchable_and_filterable_by_action(client, secretariat):
    for _ in range(3):
        audit_record(actor=secretariat, action="test.alpha", target=secretariat, new_values={})
    audit_record(actor=secretariat, action="test.beta", target=secretariat)
    client.force_login(secretariat)
    listing = client.get(reverse("publicity:audit"), {"action": "test.alpha"}).context["listing"]
    assert listing.total == 3
    actions = {o.value: o.count for o in listing.facets[0].options}
    assert actions["test.beta"] == 1
    searched = client.get(reverse("publicity:audit"), {"q": "beta"}).context["listing"]
    assert searched.total == AuditEntry.objects.filter(action__icontains="beta").count() == 1


def test_the_expert_pool_and_organisations_are_paged_and_searchable(client, users):
    client.force_login(users["secretariat"])
    organisations = client.get(reverse("accounts:organisations")).context["listing"]
    assert organisations.total == 120 and len(organisations.rows) == 50
    name = organisations.rows[0].name
    found = client.get(reverse("accounts:organisations"), {"q": name}).context["listing"]
    assert found.total == 1
    experts = client.get(reverse("review:experts"))
    assert experts.status_code == 200 and "共 0 条" in experts.content.decode()


def test_filter_counts_are_reused_for_a_few_seconds_but_the_total_is_live(
    client, settings, users, open_campaign, secretariat
):
    settings.MANYI_LIST_COUNT_SECONDS = 60
    url = reverse("applications:list")
    client.force_login(users["secretariat"])
    first = client.get(url).context["listing"]
    cached = _queries(client, url)
    scale_seed(5, campaign=open_campaign, created_by=secretariat, seed=3)
    second = client.get(url).context["listing"]
    assert second.total == first.total + 5
    assert [o.count for o in second.facets[0].options] == [o.count for o in first.facets[0].options]
    settings.MANYI_LIST_COUNT_SECONDS = 0
    assert cached == _queries(client, url) - len(first.facets)
