from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    """One yearly evaluation round; its rules are the scheme file of ``scheme_year``."""

    year = models.PositiveIntegerField(_("评价年度"), unique=True)
    scheme_year = models.PositiveIntegerField(_("申请书版本（年度）"))
    title = models.CharField(_("名称"), max_length=100)
    opens_on = models.DateField(_("申报开始日期"))
    closes_on = models.DateField(_("申报截止日期"))
    is_open = models.BooleanField(_("正在进行"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("评价年度")
        verbose_name_plural = _("评价年度")
        constraints = [
            models.UniqueConstraint(
                fields=["is_open"],
                condition=models.Q(is_open=True),
                name="one_open_campaign",
                violation_error_message=_("同一时间只能有一个正在进行的评价年度。"),
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="campaign_closes_after_opening",
                violation_error_message=_("截止日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def data_year(self) -> int:
        """Figures on the form are as at the end of the previous year."""
        return self.year - 1
