from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "organisation.register": _("注册申报单位"),
    "organisation.update": _("修改单位信息"),
    "organisation.accept_check_char": _("人工放行校验码"),
    "promoting_body.create": _("新增推进机构"),
    "promoting_body.update": _("修改推进机构"),
    "user.create": _("创建账号"),
    "campaign.create": _("创建评价年度"),
    "campaign.open": _("开放评价年度"),
    "campaign.close": _("关闭评价年度"),
    "application.create": _("创建申报"),
    "application.save_form": _("保存申请表"),
    "application.view": _("评审人员查看或下载"),
    "material.upload": _("上传材料"),
    "material.remove": _("移除材料"),
    "survey.analyse": _("运行满意度复核"),
    "publication.open": _("开始公示"),
    "publication.publish": _("发布公示结果"),
    "objection.submit": _("收到异议"),
    "objection.handle": _("记录异议处理"),
    "objection.attachment_download": _("下载异议附件"),
    "certificate.issue": _("签发证书"),
    "certificate.revoke": _("撤销证书"),
    "file.download": _("下载文件"),
}


class AuditEntry(models.Model):
    """One recorded action. Rows are only ever inserted; each carries the previous row's hash."""

    created_at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=200, blank=True)
    action = models.CharField(_("动作"), max_length=100)
    target_type = models.CharField(_("对象类型"), max_length=100)
    target_id = models.CharField(_("对象编号"), max_length=100)
    target_label = models.CharField(_("对象名称"), max_length=300, blank=True)
    old_values = models.JSONField(_("原值"), default=dict, blank=True)
    new_values = models.JSONField(_("新值"), default=dict, blank=True)
    previous_hash = models.CharField(_("前一条哈希"), max_length=64)
    entry_hash = models.CharField(_("本条哈希"), max_length=64, unique=True)
    # "hmac-sha256" (keyed); "sha256" for entries written before the chain was keyed.
    hash_scheme = models.CharField(_("哈希方式"), max_length=20, default="hmac-sha256")

    class Meta:
        ordering = ["id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_type}:{self.target_id}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class AuditHead(models.Model):
    """The chain's head in one row, locked by every append so appends queue in one line."""

    count = models.BigIntegerField(_("记录数"), default=0)
    entry_hash = models.CharField(_("最后一条哈希"), max_length=64)
    entry_id = models.BigIntegerField(_("最后一条编号"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"{self.count} {self.entry_hash[:12]}"


class Notification(models.Model):
    """A message queued for a user; mailed after the transaction that created it commits."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    mailed_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # Mail that failed is tried again later; the last error is kept for the operator.
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    last_error = models.TextField(_("最近一次发送错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return self.subject
