"""Fixtures for the review workflow: people in every role, applications in any state."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone
from stdnum.cn import uscc

from manyi.documents import samples as sample_documents
from manyi.web.accounts.models import PromotingBody, Role, User
from manyi.web.accounts.services import ProfileFigures, organisation_register, staff_user_create
from manyi.web.applications import services as application_services
from manyi.web.applications.models import Application
from manyi.web.applications.samples import fill_complete
from manyi.web.publicity.models import Publication
from manyi.web.publicity.services import certificate_issue, publication_open, publication_publish
from manyi.web.review import services
from manyi.web.review.models import ExpertProfile
from tests.conftest import PASSWORD, create_application

RUBRIC_SHARES = {"planning": 20, "implementation": 30, "evaluation": 20, "application": 15}


def credit_code(serial: int) -> str:
    """A valid 统一社会信用代码 for a test organisation."""
    body = f"91350100M{serial:08d}"
    return body + uscc.calc_check_digit(body)


_sample_pdf = functools.lru_cache(maxsize=None)(sample_documents.sample_pdf)


@pytest.fixture(autouse=True)
def _rendered_samples_once(monkeypatch) -> None:
    """Sample PDFs are the same for every application: render each one once per run.

    (Practice reports are cached per scheme year, category and organisation by the samples.)
    """
    monkeypatch.setattr(sample_documents, "sample_pdf", _sample_pdf)


@pytest.fixture
def other_body(db) -> PromotingBody:
    return PromotingBody.objects.create(name="北京市质量协会", region="北京市")


def register(serial: int, name: str, username: str, industry: str = "34") -> User:
    return organisation_register(
        credit_code=credit_code(serial),
        name=name,
        figures=ProfileFigures(
            industry, employees=500, revenue=Decimal("30000"), assets=Decimal("20000")
        ),
        username=username,
        password=PASSWORD,
        full_name=f"{username}联系人",
        email=f"{username}@example.cn",
    )


@pytest.fixture
def applicant(db) -> User:
    """福州测试制造有限公司, GB/T 4754 division 34 (section C 制造业)."""
    return register(100, "福州测试制造有限公司", "applicant")


@pytest.fixture
def other_applicant(db) -> User:
    """厦门软件服务有限公司, division 65 (section I 信息技术服务)."""
    return register(200, "厦门软件服务有限公司", "other", industry="65")


def staff(username: str, role: str, body: PromotingBody | None = None) -> User:
    return staff_user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role=role,
        full_name=username,
        email=f"{username}@example.cn",
        promoting_body=body,
    )


@pytest.fixture
def promoter(promoting_body) -> User:
    return staff("tuijin", Role.PROMOTER, promoting_body)


@pytest.fixture
def second_promoter(promoting_body) -> User:
    return staff("tuijin2", Role.PROMOTER, promoting_body)


@pytest.fixture
def foreign_promoter(other_body) -> User:
    return staff("beijing", Role.PROMOTER, other_body)


@pytest.fixture
def make_submitted(open_campaign, promoting_body) -> Callable[..., Application]:
    """A complete application, really filled in and submitted (version 1)."""

    def make(user: User, category: str = "enterprise", level: str = "three") -> Application:
        application = create_application(user, open_campaign, promoting_body, category, level)
        fill_complete(application, user)
        application_services.application_submit(actor=user, application=application)
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def submitted(make_submitted, applicant) -> Application:
    return make_submitted(applicant)


@pytest.fixture
def make_in_state(open_campaign, promoting_body) -> Callable[..., Application]:
    """A bare application put straight into ``state`` (for stages after the formal review)."""

    def make(
        user: User,
        state: str,
        category: str = "enterprise",
        level: str = "three",
        project_name: str | None = None,
        body: PromotingBody | None = None,
    ) -> Application:
        application = create_application(
            user, open_campaign, body or promoting_body, category, level, project_name
        )
        Application.objects.filter(pk=application.pk).update(state=state)
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def make_expert(secretariat) -> Callable[..., ExpertProfile]:
    def make(username: str, **profile) -> ExpertProfile:
        profile.setdefault(
            "categories", ["enterprise", "team", "service", "product", "engineering"]
        )
        profile.setdefault("industries", [])
        profile.setdefault("organisation_name", f"{username}大学")
        profile.setdefault("region", "北京市")
        return services.expert_create(
            actor=secretariat,
            username=username,
            password=PASSWORD,
            full_name=f"专家{username}",
            email=f"{username}@example.cn",
            **profile,
        )

    return make


@pytest.fixture
def three_experts(make_expert) -> list[User]:
    return [make_expert(f"zj{n}").user for n in range(1, 4)]


def entries_for(total: int | Decimal, comment: str = "") -> dict[str, tuple[Decimal, str]]:
    """Points on every criterion in proportion to its maximum, adding up to ``total``."""
    total = Decimal(str(total))
    entries = {
        key: ((Decimal(share) * total / 100).quantize(Decimal("0.01")), comment)
        for key, share in RUBRIC_SHARES.items()
    }
    rest = total - sum(points for points, _ in entries.values())
    entries["satisfaction"] = (rest, comment)
    return entries


def score(application: Application, expert: User, total, *, submit: bool = True, comment=""):
    assignment = application.expert_assignments.get(expert=expert)
    return services.scores_save(
        actor=expert, assignment=assignment, entries=entries_for(total, comment), submit=submit
    )


@pytest.fixture
def scored(make_in_state, applicant, secretariat, three_experts) -> Callable[..., Application]:
    """An application scored by three experts with the given totals."""

    def make(totals, user: User | None = None, **kwargs) -> Application:
        application = make_in_state(user or applicant, "accepted", **kwargs)
        for expert in three_experts:
            services.expert_assign(actor=secretariat, application=application, expert=expert)
        for expert, total in zip(three_experts, totals, strict=True):
            score(application, expert, total)
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def certified_at_a_lower_level(scored, secretariat, open_campaign):
    """Applied for 四星, scored, decided and granted 三星, certified."""
    application = scored([72, 74, 76], level="four")
    services.levels_decide(actor=secretariat, decisions={application.pk: "three"})
    publication = publication_open(
        actor=secretariat, campaign=open_campaign, applications=[application]
    )
    ended = timezone.now() - datetime.timedelta(days=1)
    Publication.objects.filter(pk=publication.pk).update(
        opens_at=ended - datetime.timedelta(days=7), closes_at=ended
    )
    publication.refresh_from_db()
    publication_publish(
        actor=secretariat, publication=publication, decisions={application.pk: "grant"}
    )
    certificate = certificate_issue(actor=secretariat, application=application)
    return Application.objects.get(pk=application.pk), certificate
