"""公示 (public notice), objections and certificates; behaviour lives in services and selectors."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Publication(models.Model):
    """One 公示: applications with their proposed levels, open for objections for a window."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("评价年度"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    title = models.CharField(_("标题"), max_length=200)
    opens_at = models.DateTimeField(_("公示开始"))
    closes_at = models.DateTimeField(_("公示结束"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the secretariat publishes the results after the window.
    published_at = models.DateTimeField(_("结果发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="publication_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """Objections are accepted from ``opens_at`` until (not including) ``closes_at``."""
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ItemResult(models.TextChoices):
    PENDING = "", _("待发布")
    GRANTED = "granted", _("授予等级")
    REFUSED = "refused", _("不授予")


class PublicationItem(models.Model):
    """One application in a 公示, with the level proposed when the 公示 opened."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="items")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="publication_item"
    )
    proposed_level = models.CharField(_("拟授予等级"), max_length=20)
    result = models.CharField(
        _("发布结果"), max_length=20, choices=ItemResult.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["publication", "id"]
        verbose_name = _("公示条目")
        verbose_name_plural = _("公示条目")

    def __str__(self) -> str:
        return f"{self.publication} · {self.application}"


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    """An objection filed by anyone during a 公示 window; handled by the secretariat."""

    item = models.ForeignKey(
        PublicationItem,
        verbose_name=_("异议对象"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    name = models.CharField(_("异议人姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    content = models.TextField(_("异议内容"))
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    handling = models.TextField(_("处理情况"), blank=True)
    outcome = models.CharField(
        _("处理结论"), max_length=20, choices=ObjectionOutcome.choices, blank=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self) -> str:
        # Kept free of the objector's personal data: this text goes into the audit log.
        return f"异议 #{self.pk}（{self.item.application.organisation.name}）"

    @property
    def is_handled(self) -> bool:
        return bool(self.outcome)


def objection_upload_path(instance: ObjectionAttachment, filename: str) -> str:
    return f"publicity/objections/{instance.objection_id}/{uuid.uuid4().hex}.{instance.kind}"


class ObjectionAttachment(models.Model):
    """A file attached to an objection, accepted only after checking its content."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=objection_upload_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=255)
    kind = models.CharField(_("文件类型"), max_length=10)
    size = models.BigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["objection", "id"]
        verbose_name = _("异议附件")
        verbose_name_plural = _("异议附件")

    def __str__(self) -> str:
        return self.original_name


class Certificate(models.Model):
    """The certificate of a granted level; the public can verify it by its number."""

    number = models.CharField(_("证书编号"), max_length=50, unique=True)
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="certificate"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("评价年度"), on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveIntegerField(_("顺序号"))
    organisation_name = models.CharField(_("单位名称"), max_length=200)
    project_name = models.CharField(_("项目名称"), max_length=200, blank=True)
    category = models.CharField(_("类别"), max_length=20)
    category_name = models.CharField(_("类别名称"), max_length=50)
    level = models.CharField(_("等级"), max_length=20)
    level_name = models.CharField(_("等级名称"), max_length=50)
    issuer = models.CharField(_("发证机构"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked = models.BooleanField(_("已撤销"), default=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_reason = models.TextField(_("撤销原因"), blank=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "category", "sequence"], name="certificate_sequence_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")),
                name="certificate_valid_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.organisation_name}"
