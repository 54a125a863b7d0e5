"""Demo applications in every state of the lifecycle, moved there by the real services.

Each one is a complete application (real generated files) that the promoting body, the
secretariat and the experts then recommend, review, score, decide, publicise, publish and
certify, so the audit chain and every page have something to show.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from manyi.web.accounts.models import PromotingBody, Role, User
from manyi.web.applications.lifecycle import transition
from manyi.web.applications.models import Application
from manyi.web.applications.samples import fill_complete
from manyi.web.applications.services import application_create, application_submit
from manyi.web.campaigns.models import Campaign
from manyi.web.publicity.models import Publication
from manyi.web.publicity.services import certificate_issue, publication_open, publication_publish
from manyi.web.review import services as review


@dataclass(frozen=True)
class LifecycleDemo:
    username: str
    category: str
    level: str
    project: str
    state: str


# Service projects of the property company, one per state; a 企业类 application elsewhere.
LIFECYCLE = (
    LifecycleDemo("jinghua", "service", "three", "写字楼24小时报修服务", "submitted"),
    LifecycleDemo("jinghua", "service", "three", "住宅小区管家上门服务", "returned_by_promoter"),
    LifecycleDemo("jinghua", "service", "three", "电梯故障应急救援服务", "recommended"),
    LifecycleDemo("jinghua", "service", "three", "社区垃圾分类指导服务", "returned"),
    LifecycleDemo("jinghua", "service", "three", "停车场智能引导服务", "rejected"),
    LifecycleDemo("jinghua", "service", "three", "业主装修审批代办服务", "accepted"),
    LifecycleDemo("jinghua", "service", "three", "园区绿化养护服务", "expert_review"),
    LifecycleDemo("jinghua", "service", "three", "会议室预订与保障服务", "scored"),
    LifecycleDemo("jinghua", "service", "three", "老年业主上门关怀服务", "decided"),
    LifecycleDemo("jinghua", "service", "three", "快递代收与配送服务", "publicised"),
    LifecycleDemo("jinghua", "service", "three", "房屋租赁代理服务", "withdrawn"),
    LifecycleDemo("huadong", "enterprise", "three", "", "certified"),
)
SCORES = {
    "planning": 18,
    "implementation": 27,
    "evaluation": 17,
    "application": 13,
    "satisfaction": 13,
}


class Actors:
    def __init__(self, application: Application) -> None:
        self.application = application
        self.applicant = application.organisation.members.first()
        self.promoter = application.promoting_body.members.first()
        self.secretariat = User.objects.filter(role=Role.SECRETARIAT).order_by("pk").first()


def _submit(a: Actors) -> None:
    application_submit(actor=a.applicant, application=a.application)


def _recommend(a: Actors) -> None:
    review.application_recommend(
        actor=a.promoter, application=a.application, opinion="材料齐全，同意推荐。"
    )


def _promoter_return(a: Actors) -> None:
    review.application_promoter_return(
        actor=a.promoter, application=a.application, reasons="请补充近三年服务质量指标的对比数据。"
    )


def _return(a: Actors) -> None:
    review.finding_add(
        actor=a.secretariat,
        application=a.application,
        target_kind="material",
        target_key="business_licence",
        text="营业执照复印件不清晰，请重新扫描。",
    )
    review.application_return_for_revision(actor=a.secretariat, application=a.application)


def _reject(a: Actors) -> None:
    review.application_reject(
        actor=a.secretariat,
        application=a.application,
        reason="申报项目与申报单位主营业务不符，不予受理。",
    )


def _accept(a: Actors) -> None:
    review.application_accept(actor=a.secretariat, application=a.application)


def _assign(a: Actors) -> None:
    review.auto_assign(a.application, actor=a.secretariat)


def _score(a: Actors) -> None:
    entries = {key: (str(points), "实践较为系统，有量化证据。") for key, points in SCORES.items()}
    for assignment in a.application.expert_assignments.select_related("expert"):
        review.scores_save(
            actor=assignment.expert, assignment=assignment, entries=entries, submit=True
        )


def _decide(a: Actors) -> None:
    level = a.application.level
    review.levels_decide(actor=a.secretariat, decisions={a.application.pk: level})


def _publicise(a: Actors) -> None:
    publication_open(
        actor=a.secretariat, campaign=a.application.campaign, applications=[a.application]
    )


def _publish_and_certify(a: Actors) -> None:
    publication = Publication.objects.filter(items__application=a.application).get()
    # The objection window is days long; the demo shows a 公示 that has already ended.
    ended = timezone.now() - datetime.timedelta(days=1)
    Publication.objects.filter(pk=publication.pk).update(
        opens_at=ended - datetime.timedelta(days=7), closes_at=ended
    )
    publication_publish(
        actor=a.secretariat, publication=publication, decisions={a.application.pk: "grant"}
    )
    certificate_issue(actor=a.secretariat, application=a.application)


def _withdraw(a: Actors) -> None:
    transition(
        actor=a.applicant, application=a.application, action="withdraw", note="申报单位主动撤回。"
    )


STEPS: dict[str, list[Callable[[Actors], None]]] = {
    "submitted": [_submit],
    "returned_by_promoter": [_submit, _promoter_return],
    "recommended": [_submit, _recommend],
    "returned": [_submit, _recommend, _return],
    "rejected": [_submit, _recommend, _reject],
    "accepted": [_submit, _recommend, _accept],
    "expert_review": [_submit, _recommend, _accept, _assign],
    "scored": [_submit, _recommend, _accept, _assign, _score],
    "decided": [_submit, _recommend, _accept, _assign, _score, _decide],
    "publicised": [_submit, _recommend, _accept, _assign, _score, _decide, _publicise],
    "certified": [
        _submit,
        _recommend,
        _accept,
        _assign,
        _score,
        _decide,
        _publicise,
        _publish_and_certify,
    ],
    "withdrawn": [_submit, _withdraw],
}


def ensure_lifecycle(campaign: Campaign, body_for: Callable[[str], PromotingBody]) -> int:
    """Create the lifecycle demo applications that do not exist yet; return how many exist."""
    for demo in LIFECYCLE:
        applicant = User.objects.get(username=demo.username)
        if Application.objects.filter(
            campaign=campaign,
            organisation=applicant.organisation,
            category=demo.category,
            project_name=demo.project,
        ).exists():
            continue
        application = application_create(
            actor=applicant,
            campaign=campaign,
            category=demo.category,
            level=demo.level,
            kind="initial",
            promoting_body=body_for(demo.username),
            project_name=demo.project,
        )
        fill_complete(application, applicant)
        for step in STEPS[demo.state]:
            step(Actors(Application.objects.get(pk=application.pk)))
    return len(LIFECYCLE)
