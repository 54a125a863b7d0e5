from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from manyi.orgs import industries


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报单位")
    PROMOTER = "promoter", _("推进机构")
    SECRETARIAT = "secretariat", _("秘书处")
    EXPERT = "expert", _("评审专家")


class PromotingBody(models.Model):
    """推进机构: a regional or industry quality association that recommends applications."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("地方质量协会")
        INDUSTRY = "industry", _("行业质量协会")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=200, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.REGIONAL)
    region = models.CharField(_("地区或行业"), max_length=100, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("可选用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("推进机构")
        verbose_name_plural = _("推进机构")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """An applicant organisation, identified by its 统一社会信用代码."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("单位名称"), max_length=200)
    # Derived from the credit code (自动抓取).
    authority = models.CharField(_("登记管理部门"), max_length=50, blank=True)
    org_category = models.CharField(_("机构类别"), max_length=50, blank=True)
    # 企业类型 (legal form): from the registry or the registered name, else picked by the
    # applicant; ``enterprise_type_chosen`` says the applicant picked it.
    enterprise_type = models.CharField(_("企业类型"), max_length=50, blank=True)
    enterprise_type_chosen = models.BooleanField(_("企业类型由本单位选择"), default=False)
    region_code = models.CharField(_("登记地行政区划码"), max_length=6, blank=True)
    province = models.CharField(_("省份"), max_length=50, blank=True)
    city = models.CharField(_("城市"), max_length=50, blank=True)
    check_char_ok = models.BooleanField(_("校验码正确"), default=True)
    check_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("校验码人工放行人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    check_override_at = models.DateTimeField(_("人工放行时间"), null=True, blank=True)
    check_override_note = models.TextField(_("放行说明"), blank=True)
    # Chosen by the user: GB/T 4754-2017 section, division and (optionally) a finer code.
    industry_section = models.CharField(_("行业门类"), max_length=1, blank=True)
    industry_division = models.CharField(_("行业大类"), max_length=2, blank=True)
    industry_detail = models.CharField(
        _("行业中类/小类代码"),
        max_length=4,
        blank=True,
        help_text=_("仅房地产开发经营（7010）、物业管理（702）等按中小类划型的行业需要填写"),
    )
    # Figures at the end of the data year; the size class is computed from them.
    employees = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)
    revenue = models.DecimalField(
        _("营业收入（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    assets = models.DecimalField(
        _("资产总额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    size_class = models.CharField(_("组织规模"), max_length=20, blank=True)
    size_rule = models.TextField(_("划型依据"), blank=True)
    address = models.CharField(_("联系地址"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("申报单位")
        verbose_name_plural = _("申报单位")

    def __str__(self) -> str:
        return self.name

    @property
    def industry_label(self) -> str:
        """E.g. "C 制造业 / 34 通用设备制造业", from the GB/T 4754-2017 table."""
        code = self.industry_detail or self.industry_division or self.industry_section
        if not code:
            return ""
        try:
            entry = industries.lookup(code)
            section = industries.lookup(entry.section)
        except industries.UnknownIndustryError:
            return code
        return section.label if entry.code == section.code else f"{section.label} / {entry.label}"

    @property
    def check_char_pending(self) -> bool:
        """A failed check character not yet accepted by the secretariat."""
        return not self.check_char_ok and self.check_override_at is None


class ManyiUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.SECRETARIAT)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属申报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    promoting_body = models.ForeignKey(
        PromotingBody,
        verbose_name=_("所属推进机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    objects = ManyiUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                name="applicant_has_organisation",
                condition=~models.Q(role="applicant") | models.Q(organisation__isnull=False),
            ),
            models.CheckConstraint(
                name="promoter_has_promoting_body",
                condition=~models.Q(role="promoter") | models.Q(promoting_body__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username
