"""Many applications at once, for the load benchmark and the list tests.

Rows are bulk-inserted (no services, no audit entries, no files): enough for the lists and
queues to have realistic volume across states, categories, levels, 推进机构 and provinces.
Never used by the application itself.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction
from stdnum.cn import uscc

from manyi.rules import load_scheme
from manyi.web.accounts.models import Organisation, PromotingBody, Role, User
from manyi.web.applications.models import Application, ApplicationState, SubmittedVersion
from manyi.web.campaigns.models import Campaign

PROVINCES = (
    ("110000", "北京市", "北京市"),
    ("310000", "上海市", "上海市"),
    ("350100", "福建省", "福州市"),
    ("440300", "广东省", "深圳市"),
    ("330100", "浙江省", "杭州市"),
    ("320500", "江苏省", "苏州市"),
    ("510100", "四川省", "成都市"),
    ("420100", "湖北省", "武汉市"),
)
# Most applications further along than a draft, as in a campaign under review.
STATE_WEIGHTS = {
    ApplicationState.DRAFT: 20,
    ApplicationState.SUBMITTED: 15,
    ApplicationState.RECOMMENDED: 20,
    ApplicationState.RETURNED: 5,
    ApplicationState.ACCEPTED: 10,
    ApplicationState.EXPERT_REVIEW: 10,
    ApplicationState.SCORED: 5,
    ApplicationState.DECIDED: 5,
    ApplicationState.REJECTED: 5,
    ApplicationState.GRANTED: 5,
}


@dataclass(frozen=True)
class Scaled:
    applications: int
    organisations: int
    promoting_bodies: list[PromotingBody]
    campaign: Campaign


def credit_code(number: int) -> str:
    """A valid 统一社会信用代码 (企业, 工商) for a running number, registered in ``region``."""
    region = PROVINCES[number % len(PROVINCES)][0]
    body = f"91{region}MA{number:07d}"[:17]
    return body + uscc.calc_check_digit(body)


def _organisation(number: int) -> Organisation:
    region, province, city = PROVINCES[number % len(PROVINCES)]
    return Organisation(
        credit_code=credit_code(number),
        name=f"{city}示范{number:05d}有限公司",
        authority="工商",
        org_category="企业",
        region_code=region,
        province=province,
        city=city,
        industry_section="C",
        industry_division="34",
        employees=100 + number % 900,
        size_class="中型",
    )


@transaction.atomic
def scale_seed(
    count: int, *, campaign: Campaign, created_by: User, bodies: int = 8, seed: int = 1
) -> Scaled:
    """``count`` applications of ``count`` new organisations spread over ``bodies`` 推进机构."""
    rng = random.Random(seed)
    scheme = load_scheme(campaign.scheme_year)
    start = Organisation.objects.count()
    promoting_bodies = [
        PromotingBody.objects.get_or_create(
            name=f"第{n + 1}质量协会（规模测试）", defaults={"region": PROVINCES[n % 8][1]}
        )[0]
        for n in range(bodies)
    ]
    organisations = Organisation.objects.bulk_create(
        [_organisation(start + n) for n in range(count)], batch_size=1000
    )
    pairs = [
        (c.key, lvl.key)
        for c in scheme.categories
        for lvl in scheme.levels
        if lvl.key in scheme.eligibility.get(c.key, ())
    ]
    states = list(STATE_WEIGHTS)
    weights = list(STATE_WEIGHTS.values())
    applications = []
    for organisation in organisations:
        category, level = rng.choice(pairs)
        applications.append(
            Application(
                campaign=campaign,
                organisation=organisation,
                category=category,
                level=level,
                kind="initial",
                promoting_body=rng.choice(promoting_bodies),
                project_name="" if category == "enterprise" else f"{organisation.city}示范项目",
                state=rng.choices(states, weights)[0],
                created_by=created_by,
            )
        )
    Application.objects.bulk_create(applications, batch_size=1000)
    SubmittedVersion.objects.bulk_create(
        [
            SubmittedVersion(
                application=application,
                number=1,
                submitted_by=created_by,
                meta={"category": application.category, "level": application.level},
            )
            for application in applications
            if application.state != ApplicationState.DRAFT
        ],
        batch_size=1000,
    )
    return Scaled(len(applications), len(organisations), promoting_bodies, campaign)


def scale_users(scaled: Scaled, password: str) -> dict[str, User]:
    """One account per role that works through the lists: secretariat, a 推进机构, an applicant."""
    first = Application.objects.filter(campaign=scaled.campaign).order_by("pk").first()
    users = {
        "secretariat": (Role.SECRETARIAT, {}),
        "promoter": (Role.PROMOTER, {"promoting_body": scaled.promoting_bodies[0]}),
        "applicant": (Role.APPLICANT, {"organisation": first.organisation}),
    }
    result = {}
    for username, (role, links) in users.items():
        user, _created = User.objects.get_or_create(
            username=f"scale-{username}",
            defaults={"role": role, "full_name": username, **links},
        )
        user.set_password(password)
        user.is_staff = role == Role.SECRETARIAT
        user.save()
        result[username] = user
    return result
