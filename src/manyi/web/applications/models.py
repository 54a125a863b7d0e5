from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待推荐")
    RETURNED_BY_PROMOTER = "returned_by_promoter", _("推进机构退回")
    RECOMMENDED = "recommended", _("已推荐，待形式审查")
    RETURNED = "returned", _("退回修改")
    LAPSED = "lapsed", _("逾期未补正")
    REJECTED = "rejected", _("不予受理")
    ACCEPTED = "accepted", _("已受理，待分配专家")
    EXPERT_REVIEW = "expert_review", _("专家评审中")
    SCORED = "scored", _("评分完成")
    DECIDED = "decided", _("已拟定等级")
    PUBLICISED = "publicised", _("公示中")
    GRANTED = "granted", _("已发布：授予等级")
    NOT_GRANTED = "not_granted", _("已发布：未授予")
    CERTIFIED = "certified", _("已发证")
    WITHDRAWN = "withdrawn", _("已撤回")


EDITABLE_STATES = frozenset(
    {ApplicationState.DRAFT, ApplicationState.RETURNED, ApplicationState.RETURNED_BY_PROMOTER}
)


class Application(models.Model):
    """One organisation's application in one category and level of a campaign."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("评价年度"), on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("申报单位"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    category = models.CharField(_("申请类别"), max_length=20)
    level = models.CharField(_("申请等级"), max_length=20)
    kind = models.CharField(_("初评/复评"), max_length=20)
    # 复评: the number of the certificate the renewal follows (linked when the system issued it).
    previous_certificate_number = models.CharField(_("上一周期证书编号"), max_length=50, blank=True)
    promoting_body = models.ForeignKey(
        "accounts.PromotingBody",
        verbose_name=_("推进机构"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    project_name = models.CharField(_("申报项目名称"), max_length=200, blank=True)
    form_data = models.JSONField(_("申请表内容"), default=dict, blank=True)
    state = models.CharField(
        _("状态"), max_length=30, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    # Set by the secretariat when it returns the application for revision.
    revision_deadline = models.DateField(_("补正截止日期"), null=True, blank=True)
    proposed_level = models.CharField(_("拟定等级"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        # The lists and queues sort by these; a page of 50 then reads 50 rows, not all of them.
        indexes = [
            models.Index(fields=["-created_at"], name="application_created"),
            models.Index(fields=["state", "updated_at"], name="application_state_updated"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation", "category", "project_name"],
                name="one_application_per_project",
                violation_error_message=_("本单位在本年度已有同一类别、同一项目的申报。"),
            )
        ]

    def __str__(self) -> str:
        """E.g. 杭州西子饮品有限公司 · 企业类 · 用户满意（四星）级 (the scheme's names)."""
        from manyi.rules import SchemeError, load_scheme

        try:
            scheme = load_scheme(self.campaign.scheme_year)
            names = (scheme.category(self.category).name, scheme.level(self.level).name)
        except (SchemeError, KeyError):
            names = (self.category, self.level)
        return f"{self.organisation} · {names[0]} · {names[1]}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def get_state_display(self) -> str:
        # Django's generic version hashes every choice (translating each label) per call; lists
        # call this for every row.
        try:
            return str(ApplicationState(self.state).label)
        except ValueError:
            return self.state


def material_upload_path(instance: MaterialFile, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return (
        f"applications/{instance.application_id}/{instance.material_key}/{uuid.uuid4().hex}{suffix}"
    )


class MaterialFile(models.Model):
    """One uploaded file for one material of an application; never changed once stored."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    material_key = models.CharField(_("材料"), max_length=50)
    file = models.FileField(_("文件"), upload_to=material_upload_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.BigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("文件类型"), max_length=20)
    facts = models.JSONField(_("文件信息"), default=dict, blank=True)
    findings = models.JSONField(_("检查结果"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Removed from the application's current set; the file stays for submitted versions.
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)

    class Meta:
        ordering = ["material_key", "uploaded_at", "id"]
        verbose_name = _("申报材料文件")
        verbose_name_plural = _("申报材料文件")

    def __str__(self) -> str:
        return self.original_name


class SubmittedVersion(models.Model):
    """A frozen snapshot of an application at submission: form data and every file's hash."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    meta = models.JSONField(_("类别、等级等"), default=dict)
    form_data = models.JSONField(_("申请表内容"), default=dict)
    files = models.JSONField(_("文件清单"), default=list)
    check_summary = models.JSONField(_("体检结果"), default=dict)

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("提交版本")
        verbose_name_plural = _("提交版本")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("提交版本不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("提交版本不可删除。")
