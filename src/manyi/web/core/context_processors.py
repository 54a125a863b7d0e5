"""Navigation entries shown in the page header, decided by permissions."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from manyi.web.accounts.permissions import Perm, has_perm

NAVIGATION = (
    (Perm.VIEW_APPLICATION, "applications:list", _("申报"), False),
    (Perm.RECOMMEND_APPLICATION, "review:promoter_queue", _("推荐"), False),
    (Perm.FORMAL_REVIEW, "review:formal_queue", _("形式审查"), False),
    (Perm.ASSIGN_EXPERTS, "review:expert_review_queue", _("专家评审"), False),
    (Perm.DECIDE_LEVEL, "review:decisions", _("拟定等级"), False),
    (Perm.SCORE_APPLICATION, "review:my_assignments", _("我的评审"), False),
    (Perm.VIEW_ORGANISATION, "accounts:my_organisation", _("本单位"), True),
    (Perm.LIST_ORGANISATIONS, "accounts:organisations", _("申报单位"), False),
    (Perm.MANAGE_PROMOTING_BODIES, "accounts:promoting_bodies", _("推进机构"), False),
    (Perm.MANAGE_CAMPAIGNS, "campaigns:list", _("评价年度"), False),
    (Perm.DECIDE_LEVEL, "publicity:manage", _("公示与证书"), False),
    (Perm.VIEW_AUDIT_LOG, "publicity:audit", _("审计日志"), False),
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for perm, url_name, label, needs_own_organisation in NAVIGATION:
        if needs_own_organisation and user.organisation_id is None:
            continue
        if has_perm(user, perm):
            items.append({"url": reverse(url_name), "label": label})
    return {"nav_items": items}
