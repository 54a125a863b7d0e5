from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnalysisStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("未能完成")


class SurveyAnalysis(models.Model):
    """One run of the checks and the estimation on an application's survey database."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="survey_analyses"
    )
    database = models.ForeignKey(
        "applications.MaterialFile", on_delete=models.PROTECT, related_name="+"
    )
    respondent_list = models.ForeignKey(
        "applications.MaterialFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    codebook = models.FileField(_("码本"), upload_to="codebooks/", blank=True)
    codebook_name = models.CharField(_("码本文件名"), max_length=255, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=AnalysisStatus.choices, default=AnalysisStatus.QUEUED
    )
    stage = models.CharField(_("进度说明"), max_length=100, blank=True)
    progress = models.FloatField(_("进度"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    error = models.TextField(_("原因"), blank=True)
    declared_score = models.DecimalField(
        _("填报满意度"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    recomputed_index = models.FloatField(_("重算满意度指数"), null=True, blank=True)
    index_low = models.FloatField(_("区间下限"), null=True, blank=True)
    index_high = models.FloatField(_("区间上限"), null=True, blank=True)
    result = models.JSONField(_("估计结果"), default=dict, blank=True)
    quality = models.JSONField(_("数据质量记录"), default=dict, blank=True)
    findings = models.JSONField(_("检查结果"), default=list, blank=True)
    records = models.FileField(_("复核记录（XLSX）"), upload_to="survey-records/", blank=True)
    report = models.FileField(_("测评报告（PDF）"), upload_to="survey-reports/", blank=True)
    # Drawn by the engine (text escaped there): the path model and the importance–performance
    # matrix, shown on the results page.
    diagram_svg = models.TextField(_("模型图"), blank=True)
    ipa_svg = models.TextField(_("重要性—表现矩阵图"), blank=True)
    # The database files of the run (each checked), the file estimated and why, the layout
    # read from it (for the question mapping), what was guessed, unused columns and reasons.
    details = models.JSONField(_("明细"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("测评复核")
        verbose_name_plural = _("测评复核")

    def __str__(self) -> str:
        return f"{self.application} · {self.get_status_display()}"

    @property
    def difference(self) -> float | None:
        if self.recomputed_index is None or self.declared_score is None:
            return None
        return self.recomputed_index - float(self.declared_score)


class SurveySetup(models.Model):
    """What the applicant declares on the measurement step: the survey period, and the codebook
    (which question measures which construct, which are reverse-worded)."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="survey_setup"
    )
    period_start = models.DateField(_("调查开始日期"), null=True, blank=True)
    period_end = models.DateField(_("调查结束日期"), null=True, blank=True)
    codebook_text = models.TextField(_("码本（TOML）"), blank=True)
    codebook_name = models.CharField(_("码本来源"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("测量步骤设置")
        verbose_name_plural = _("测量步骤设置")

    def __str__(self) -> str:
        return f"{self.application} · {self.codebook_name or _('未保存码本')}"

    @property
    def period(self) -> tuple[date, date] | None:
        if self.period_start is None or self.period_end is None:
            return None
        return self.period_start, self.period_end
