"""Demo data: a secretariat, promoting bodies, applicant organisations and experts.

Running it twice changes nothing the second time. The credit codes are made up for the demo,
with correct check characters; one pilot-region code whose check character fails shows the
secretariat's override.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from stdnum.cn import uscc

from manyi.rules import load_scheme, newest_year
from manyi.web.accounts.models import Organisation, PromotingBody, Role, User
from manyi.web.accounts.services import ProfileFigures, organisation_register, staff_user_create
from manyi.web.applications.models import Application
from manyi.web.applications.samples import fill_complete, project_name_for
from manyi.web.applications.services import application_create
from manyi.web.campaigns.models import Campaign
from manyi.web.campaigns.services import campaign_create, campaign_open
from manyi.web.demo_lifecycle import ensure_lifecycle
from manyi.web.review.services import expert_create

ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class DemoError(Exception):
    pass


def organisation_code(base: str) -> str:
    """GB 11714 organisation code: eight characters and their check character."""
    total = sum(ORG_CODE_ALPHABET.index(c) * w for c, w in zip(base, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return base + {10: "X", 11: "0"}.get(check, str(check))


def demo_credit_code(authority_category: str, region: str, org_base: str) -> str:
    first17 = authority_category + region + organisation_code(org_base)
    return first17 + uscc.calc_check_digit(first17)


# A regional body for every province a demo organisation is registered in (its credit code
# says where), and an industry body for engineering projects.
PROMOTING_BODIES = (
    ("北京市质量协会", PromotingBody.Kind.REGIONAL, "北京市", "tuijin_bj"),
    ("上海市质量协会", PromotingBody.Kind.REGIONAL, "上海市", "tuijin_sh"),
    ("广东省质量协会", PromotingBody.Kind.REGIONAL, "广东省", "tuijin_gd"),
    ("福建省质量管理协会", PromotingBody.Kind.REGIONAL, "福建省", "tuijin_fj"),
    ("浙江省质量协会", PromotingBody.Kind.REGIONAL, "浙江省", "tuijin_zj"),
    ("中国建筑业质量管理分会", PromotingBody.Kind.INDUSTRY, "建筑业", "tuijin_jz"),
)


@dataclass(frozen=True)
class DemoOrganisation:
    username: str
    contact: str
    name: str
    credit_code: str
    figures: ProfileFigures
    address: str


ORGANISATIONS = (
    DemoOrganisation(
        "minjiang",
        "林晓燕",
        "福州闽江智能装备有限公司",
        demo_credit_code("91", "350100", "MA2Y7K3P"),
        ProfileFigures("34", employees=860, revenue=Decimal("52000"), assets=Decimal("61000")),
        "福建省福州市鼓楼区五四路 88 号",
    ),
    DemoOrganisation(
        "jinghua",
        "王建国",
        "北京京华物业服务有限公司",
        demo_credit_code("91", "110108", "MA01B2C3"),
        ProfileFigures("70", "702", employees=1450, revenue=Decimal("38000")),
        "北京市海淀区中关村大街 27 号",
    ),
    DemoOrganisation(
        "pengcheng",
        "陈嘉怡",
        "深圳鹏城软件技术有限公司",
        demo_credit_code("91", "440300", "MA5D6E7F"),
        ProfileFigures("65", employees=230, revenue=Decimal("8600")),
        "广东省深圳市南山区科技园南区 6 栋",
    ),
    DemoOrganisation(
        "huadong",
        "张伟",
        "上海华东建设工程有限公司",
        demo_credit_code("91", "310115", "MA1G2H3J"),
        ProfileFigures("47", revenue=Decimal("126000"), assets=Decimal("98000"), employees=2100),
        "上海市浦东新区世纪大道 100 号",
    ),
    DemoOrganisation(
        "xizi",
        "周雨桐",
        "杭州西子饮品有限公司",
        demo_credit_code("91", "330106", "MA2H8K4Q"),
        ProfileFigures("15", employees=320, revenue=Decimal("21000"), assets=Decimal("15000")),
        "浙江省杭州市西湖区文三路 90 号",
    ),
    DemoOrganisation(
        "xiamen",
        "黄美玲",
        "厦门海湾酒店管理有限公司",
        "91350211M0000XUF46",  # genuine pilot-region format whose check character fails
        ProfileFigures("61", employees=180, revenue=Decimal("4200")),
        "福建省厦门市思明区环岛路 1 号",
    ),
)

EXPERTS = (("zhuanjia_li", "李明"), ("zhuanjia_zhao", "赵丽华"), ("zhuanjia_sun", "孙志刚"))


@dataclass(frozen=True)
class DemoApplication:
    username: str
    category: str
    level: str
    promoting_body: str
    skip: tuple[str, ...] = ()


# One complete, submittable application per category, and one 五星 application whose video
# is missing, so the pre-submission check has something to show.
APPLICATIONS = (
    DemoApplication("minjiang", "enterprise", "four", "福建省质量管理协会"),
    DemoApplication("jinghua", "team", "three", "北京市质量协会"),
    DemoApplication("jinghua", "service", "four", "北京市质量协会"),
    DemoApplication("minjiang", "product", "four", "福建省质量管理协会"),
    DemoApplication("huadong", "engineering", "three", "中国建筑业质量管理分会"),
    DemoApplication("pengcheng", "enterprise", "five", "广东省质量协会", skip=("report_video",)),
)


def _ensure_staff(
    username: str,
    *,
    password: str,
    role: str,
    full_name: str,
    promoting_body: PromotingBody | None = None,
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = staff_user_create(
            actor=None,
            username=username,
            password=password,
            role=role,
            full_name=full_name,
            email=f"{username}@example.cn",
            promoting_body=promoting_body,
        )
    return user


def demo_campaign_window(today: datetime.date) -> tuple[int, datetime.date, datetime.date]:
    """The year and dates of a campaign open today that read like a real year: the newest
    scheme's year while it lasts, then the current year (on the newest scheme until a newer
    one is added), from 1 March (1 January early in the year) to 31 December."""
    year = max(newest_year(), today.year)
    spring = datetime.date(year, 3, 1)
    opens = spring if today >= spring else datetime.date(year, 1, 1)
    return year, opens, datetime.date(year, 12, 31)


def _ensure_campaign() -> Campaign:
    """A campaign on the newest scheme, open today."""
    year, opens_on, closes_on = demo_campaign_window(timezone.localdate())
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        campaign = campaign_create(
            actor=None,
            year=year,
            scheme_year=newest_year(),
            opens_on=opens_on,
            closes_on=closes_on,
        )
    if not Campaign.objects.filter(is_open=True).exists():
        campaign = campaign_open(actor=None, campaign=campaign)
    return campaign


def demo_load(*, password: str) -> str:
    """Create the demo data; the notices it queues are kept, not mailed to the console."""
    if len(password) < 8:
        raise DemoError("演示账号密码至少 8 位。")
    # The survey analyses are left queued: `manyi serve` works them off in the background when
    # it starts (with a broker, the Celery workers do), so loading stays quick.
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MANYI_BACKGROUND="queue",
    ):
        return _demo_load(password)


@transaction.atomic
def _demo_load(password: str) -> str:
    campaign = _ensure_campaign()
    _ensure_staff("mishuchu", password=password, role=Role.SECRETARIAT, full_name="秘书处 周静")
    for name, kind, region, username in PROMOTING_BODIES:
        body, _created = PromotingBody.objects.get_or_create(
            name=name, defaults={"kind": kind, "region": region}
        )
        _ensure_staff(
            username,
            password=password,
            role=Role.PROMOTER,
            full_name=f"{name}联络员",
            promoting_body=body,
        )
    secretariat = User.objects.get(username="mishuchu")
    for username, full_name in EXPERTS:
        _ensure_expert(secretariat, username, full_name, password)
    for org in ORGANISATIONS:
        if not Organisation.objects.filter(credit_code=org.credit_code).exists():
            organisation_register(
                credit_code=org.credit_code,
                name=org.name,
                figures=org.figures,
                address=org.address,
                username=org.username,
                password=password,
                full_name=org.contact,
                email=f"{org.username}@example.cn",
            )
    for demo in APPLICATIONS:
        _ensure_application(campaign, demo)
    ensure_lifecycle(campaign, regional_body)
    return _summary(campaign, password)


def regional_body(username: str) -> PromotingBody:
    """The regional promoting body of the province the organisation is registered in."""
    organisation = User.objects.get(username=username).organisation
    return PromotingBody.objects.get(kind=PromotingBody.Kind.REGIONAL, region=organisation.province)


def _ensure_expert(secretariat: User, username: str, full_name: str, password: str) -> None:
    if User.objects.filter(username=username).exists():
        return
    expert_create(
        actor=secretariat,
        username=username,
        password=password,
        full_name=full_name,
        email=f"{username}@example.cn",
        categories=[c.key for c in load_scheme(newest_year()).categories],
        industries=["C", "E", "I", "K"],
        organisation_name="中国质量协会专家库",
        region="北京市",
    )


def _ensure_application(campaign: Campaign, demo: DemoApplication) -> Application:
    applicant = User.objects.get(username=demo.username)
    existing = Application.objects.filter(
        campaign=campaign, organisation=applicant.organisation, category=demo.category
    ).first()
    if existing is not None:
        return existing
    application = application_create(
        actor=applicant,
        campaign=campaign,
        category=demo.category,
        level=demo.level,
        kind="initial",
        promoting_body=PromotingBody.objects.get(name=demo.promoting_body),
        project_name=project_name_for(demo.category),
    )
    return fill_complete(application, applicant, skip=demo.skip)


def _summary(campaign: Campaign, password: str) -> str:
    lines = [
        f"演示数据已就绪：{campaign.title}（开放中）。",
        f"所有演示账号的密码：{password}",
        "  秘书处：mishuchu",
        "  推进机构：" + "、".join(f"{u}（{n}）" for n, _k, _r, u in PROMOTING_BODIES),
        "  评审专家：" + "、".join(f"{u}（{n}）" for u, n in EXPERTS),
        "  申报单位：" + "、".join(f"{o.username}（{o.name}）" for o in ORGANISATIONS),
        f"申报：{Application.objects.count()} 个（每个类别一个可提交的完整申报，"
        "一个缺少讲解视频的企业类五星申报，以及评审流程每个阶段各一个，"
        "其中一个已发证）；manyi application list 查看。",
        "满意度复核已排队，manyi serve 启动后在后台逐个完成，页面会显示进度。",
        "登录地址：http://127.0.0.1:8000/accounts/login/",
    ]
    return "\n".join(lines)
