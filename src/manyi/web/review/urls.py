from django.urls import path

from manyi.web.review.views import decisions, experts, formal, promoter

app_name = "review"

urlpatterns = [
    # 推进机构
    path("promoter/", promoter.promoter_queue, name="promoter_queue"),
    path("applications/<int:pk>/promoter/", promoter.promoter_application, name="promoter"),
    path(
        "applications/<int:pk>/promoter/recommend/",
        promoter.promoter_recommend,
        name="recommend",
    ),
    path(
        "applications/<int:pk>/promoter/return/", promoter.promoter_return, name="promoter_return"
    ),
    # 形式审查
    path("formal/", formal.formal_queue, name="formal_queue"),
    path("applications/<int:pk>/formal/", formal.formal_review, name="formal_review"),
    path("applications/<int:pk>/formal/findings/", formal.finding_add, name="finding_add"),
    path("findings/<int:finding_id>/resolve/", formal.finding_resolve, name="finding_resolve"),
    path("findings/<int:finding_id>/waive/", formal.finding_waive, name="finding_waive"),
    path("applications/<int:pk>/formal/accept/", formal.formal_accept, name="accept"),
    path("applications/<int:pk>/formal/reject/", formal.formal_reject, name="reject"),
    path("applications/<int:pk>/formal/return/", formal.formal_return, name="return"),
    path("applications/<int:pk>/findings/", formal.application_findings, name="findings"),
    path("applications/<int:pk>/changes/", formal.version_changes, name="changes"),
    # 专家库与分配
    path("experts/", experts.expert_list, name="experts"),
    path("experts/new/", experts.expert_create, name="expert_create"),
    path("experts/<int:pk>/", experts.expert_edit, name="expert_edit"),
    path("expert-review/", experts.expert_review_queue, name="expert_review_queue"),
    path("applications/<int:pk>/experts/", experts.application_experts, name="application_experts"),
    path("applications/<int:pk>/experts/assign/", experts.expert_assign, name="assign"),
    path("applications/<int:pk>/experts/auto/", experts.expert_auto_assign, name="auto_assign"),
    path("assignments/<int:assignment_id>/remove/", experts.expert_unassign, name="unassign"),
    # 评审专家本人
    path("my/", experts.my_assignments, name="my_assignments"),
    path("my/conflicts/", experts.my_conflicts, name="my_conflicts"),
    path("applications/<int:pk>/score/", experts.score_sheet, name="score_sheet"),
    # 等级拟定、公示与导出
    path("decisions/", decisions.decisions, name="decisions"),
    path("publicise/", decisions.publicise, name="publicise"),
    path("exports/", decisions.export_index, name="exports"),
    path("exports/<slug:kind>.<slug:fmt>", decisions.export_download, name="export"),
]
