"""Review records: recommendations, formal findings, experts, assignments and scores.

Models stay thin: behaviour lives in ``services`` (writes) and ``selectors`` (reads).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Recommendation(models.Model):
    """A 推进机构's recommendation of, or return of, one submitted version."""

    class Decision(models.TextChoices):
        RECOMMEND = "recommend", _("推荐")
        RETURN = "return", _("退回")

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="recommendations"
    )
    promoting_body = models.ForeignKey(
        "accounts.PromotingBody", verbose_name=_("推进机构"), on_delete=models.PROTECT
    )
    version = models.PositiveIntegerField(_("版本号"), null=True, blank=True)
    decision = models.CharField(_("意见"), max_length=20, choices=Decision.choices)
    opinion = models.TextField(_("推荐意见或退回理由"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("推进机构意见")
        verbose_name_plural = _("推进机构意见")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_decision_display()}"


class TargetKind(models.TextChoices):
    FIELD = "field", _("申请表字段")
    MATERIAL = "material", _("申报材料")
    GENERAL = "general", _("总体")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待补正")
    # The applicant resubmitted; the secretariat has still to verify the correction.
    RESUBMITTED = "resubmitted", _("已重新提交，待核实")
    RESOLVED = "resolved", _("已解决")
    WAIVED = "waived", _("不再要求")


# A finding in one of these states no longer stands in the way of acceptance.
SETTLED_FINDING_STATES = frozenset({FindingStatus.RESOLVED, FindingStatus.WAIVED})


class FormalFinding(models.Model):
    """One itemised finding of the formal review, tied to a field, a material or the whole.

    ``sent_at`` is set when the finding goes out with a return for revision (一次性告知);
    the applicant sees only sent findings. A resubmission marks sent findings "resubmitted";
    the secretariat then verifies each one (resolved) or drops it with a note (waived).
    """

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="formal_findings"
    )
    version = models.PositiveIntegerField(_("版本号"), null=True, blank=True)
    target_kind = models.CharField(_("对象类型"), max_length=20, choices=TargetKind.choices)
    target_key = models.CharField(_("对象"), max_length=50, blank=True)
    target_label = models.CharField(_("对象名称"), max_length=200, blank=True)
    text = models.TextField(_("审查意见"))
    status = models.CharField(
        _("状态"), max_length=30, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution_note = models.TextField(_("核实说明"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("形式审查意见")
        verbose_name_plural = _("形式审查意见")

    def __str__(self) -> str:
        return f"{self.target_label or self.get_target_kind_display()}：{self.text[:40]}"

    @property
    def is_open(self) -> bool:
        return self.status == FindingStatus.OPEN

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED_FINDING_STATES

    @property
    def awaits_verification(self) -> bool:
        return self.status == FindingStatus.RESUBMITTED


class ExpertProfile(models.Model):
    """An expert in the pool: expertise, own organisation and region, availability."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    categories = models.JSONField(_("擅长类别"), default=list, blank=True)
    industries = models.JSONField(_("熟悉行业（GB/T 4754 门类）"), default=list, blank=True)
    organisation_name = models.CharField(_("工作单位"), max_length=200, blank=True)
    region = models.CharField(_("所在省份"), max_length=50, blank=True)
    promoting_body = models.ForeignKey(
        "accounts.PromotingBody",
        verbose_name=_("所属推进机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("可分配"), default=True)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        ordering = ["user__full_name", "user__username"]
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")

    def __str__(self) -> str:
        return str(self.user)


class ConflictDeclaration(models.Model):
    """An expert's declared relationship with an applicant organisation (利益冲突声明)."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.TextField(_("关系说明"))
    created_at = models.DateTimeField(_("声明时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("利益冲突声明")
        verbose_name_plural = _("利益冲突声明")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "organisation"], name="one_declaration_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.organisation}"


class AssignmentMethod(models.TextChoices):
    MANUAL = "manual", _("人工分配")
    AUTO = "auto", _("自动分配")


class ExpertAssignment(models.Model):
    """An expert assigned to score one application; ``submitted_at`` locks the scores."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="expert_assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_assignments"
    )
    method = models.CharField(
        _("分配方式"), max_length=20, choices=AssignmentMethod.choices, default="manual"
    )
    note = models.CharField(_("分配说明"), max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("评分提交时间"), null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("专家分配")
        verbose_name_plural = _("专家分配")
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="one_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.expert}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """One expert's points and comment for one rubric criterion (blank while a draft)."""

    assignment = models.ForeignKey(
        ExpertAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.CharField(_("评分项"), max_length=50)
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评语"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["assignment", "id"]
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score")
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.criterion}: {self.points}"
