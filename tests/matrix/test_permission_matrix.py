"""Every URL × every role × own and foreign objects, with real HTTP requests.

The URL list is read from the URL configuration, so a new page is covered the day it is added.
Pages are grouped by what they show: public pages, pages about one application (the object is
taken from the other organisation, the other promoting body, or an unassigned expert), and
staff-only lists. Nobody may see or change what their role should not.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from manyi.documents import samples
from manyi.web.accounts.models import PromotingBody, Role
from manyi.web.accounts.services import ProfileFigures, organisation_register, staff_user_create
from manyi.web.applications import services
from manyi.web.applications.models import Application
from manyi.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "Zq8-long-enough-pass"

# Pages anyone may open, logged in or not.
PUBLIC = {
    "core:home",
    "accounts:register",
    "accounts:creditcode",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "publicity:list",
    "publicity:detail",
    "publicity:objection",
    "publicity:certificate_search",
    "publicity:certificate",
}
# Pages for any logged-in user about themselves.
SELF = {"core:dashboard", "accounts:password_change", "accounts:password_change_done"}
DENIED = {302, 403, 404, 405}


@dataclass
class World:
    own: Application
    foreign: Application
    users: dict[str, object]


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _walk(entry.url_patterns, prefix + namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, list(entry.pattern.converters)


def all_urls() -> list[tuple[str, list[str]]]:
    return [
        (name, params)
        for name, params in _walk(get_resolver().url_patterns)
        if not name.startswith("admin:")
    ]


def _organisation(serial: str, name: str, username: str):
    return organisation_register(
        credit_code=serial,
        name=name,
        figures=ProfileFigures("65", employees=50, revenue=800),
        username=username,
        password=PASSWORD,
        full_name=username,
        email=f"{username}@example.cn",
    )


@pytest.fixture
def world(open_campaign) -> World:
    own_body = PromotingBody.objects.create(name="福建省质量管理协会")
    other_body = PromotingBody.objects.create(name="北京市质量协会")
    owner = _organisation("91350100M000100Y43", "本单位有限公司", "owner")
    stranger = _organisation("91110108551385082Q", "其他单位有限公司", "stranger")
    users = {"applicant": owner, "stranger": stranger}
    users["secretariat"] = staff_user_create(
        actor=None, username="mishu", password=PASSWORD, role=Role.SECRETARIAT, full_name="秘书"
    )
    users["promoter"] = staff_user_create(
        actor=None,
        username="tuijin",
        password=PASSWORD,
        role=Role.PROMOTER,
        full_name="推进",
        promoting_body=other_body,
    )
    users["expert"] = staff_user_create(
        actor=None, username="zhuanjia", password=PASSWORD, role=Role.EXPERT, full_name="专家"
    )
    applications = []
    for user, body in ((owner, own_body), (stranger, own_body)):
        application = services.application_create(
            actor=user,
            campaign=open_campaign,
            category="enterprise",
            level="three",
            kind="initial",
            promoting_body=body,
        )
        services.material_upload(
            actor=user,
            application=application,
            material_key="cover",
            uploaded=SimpleUploadedFile("封面.pdf", samples.sample_pdf(1)),
        )
        Application.objects.filter(pk=application.pk).update(state="submitted")
        applications.append(Application.objects.get(pk=application.pk))
    return World(*applications, users)


def _kwargs(params: list[str], application: Application) -> dict[str, object] | None:
    """URL arguments pointing at ``application`` (or an object belonging to it)."""
    values: dict[str, object] = {}
    for param in params:
        if param == "pk":
            values[param] = application.pk
        elif param == "file_id":
            values[param] = application.files.first().pk
        elif param == "key":
            values[param] = "cover"
        else:
            return None  # objects of other kinds are covered by their own apps' tests
    return values


def _login(client, user) -> None:
    client.force_login(user)


@pytest.mark.parametrize("role", ["stranger", "promoter", "expert"])
def test_nobody_reaches_another_organisations_application(client, world, role):
    _login(client, world.users[role])
    checked = 0
    for name, params in all_urls():
        if name in PUBLIC or ("pk" not in params and "file_id" not in params):
            continue
        kwargs = _kwargs(params, world.own)
        if kwargs is None:
            continue
        url = reverse(name, kwargs=kwargs)
        before = AuditEntry.objects.exclude(action="application.view").count()
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in DENIED, f"{role} {method.__name__} {url}"
            assert "本单位有限公司" not in response.content.decode(errors="ignore"), url
        assert AuditEntry.objects.exclude(action="application.view").count() == before, url
        checked += 1
    assert checked > 15


def test_staff_pages_are_closed_to_applicants(client, world):
    _login(client, world.users["applicant"])
    checked = 0
    for name, params in all_urls():
        if params or name in PUBLIC or name in SELF:
            continue
        if name.startswith(("applications:", "accounts:my_organisation")):
            continue  # the applicant's own pages
        response = client.get(reverse(name))
        assert response.status_code in DENIED, name
        checked += 1
    assert checked > 5


def test_logged_out_visitors_see_only_public_pages(client, world):
    for name, params in all_urls():
        if name in PUBLIC:
            continue
        kwargs = _kwargs(params, world.own) if params else {}
        if kwargs is None:
            continue
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code in DENIED, name
        assert "本单位有限公司" not in response.content.decode(errors="ignore"), name


def test_the_owner_and_the_secretariat_reach_the_application(client, world):
    for role in ("applicant", "secretariat"):
        _login(client, world.users[role])
        response = client.get(reverse("applications:overview", args=[world.own.pk]))
        assert response.status_code == 200, role


def test_exports_and_lists_do_not_leak_to_applicants(client, world):
    _login(client, world.users["stranger"])
    page = client.get(reverse("applications:list")).content.decode()
    assert "其他单位有限公司" in page and "本单位有限公司" not in page
