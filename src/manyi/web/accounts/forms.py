from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from manyi.orgs import industries
from manyi.orgs.enterprise_type import ENTERPRISE_TYPES
from manyi.web.accounts.models import Organisation, PromotingBody, User
from manyi.web.validators import SingleLineFieldsMixin

MOBILE_PATTERN = r"^1[3-9]\d{9}$"


def industry_choices() -> list[tuple[str, object]]:
    """GB/T 4754-2017 divisions (大类) grouped under their sections (门类)."""
    choices: list[tuple[str, object]] = [("", _("请选择行业大类"))]
    for section in industries.sections():
        divisions = [
            (division.code, f"{division.code} {division.name}")
            for division in industries.divisions(section.code)
        ]
        choices.append((f"{section.code} {section.name}", divisions))
    return choices


class OrganisationProfileForm(SingleLineFieldsMixin, forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=200)
    industry_code = forms.ChoiceField(label=_("行业分类（GB/T 4754-2017 大类）"), choices=())
    industry_detail = forms.CharField(
        label=_("行业中类/小类代码（选填）"),
        max_length=4,
        required=False,
        help_text=_("房地产开发经营填 7010，物业管理填 702；其他行业免填。"),
    )
    employees = forms.IntegerField(label=_("从业人员（人）"), min_value=0, required=False)
    revenue = forms.DecimalField(
        label=_("上年度营业收入（万元）"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    assets = forms.DecimalField(
        label=_("上年末资产总额（万元）"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    address = forms.CharField(label=_("联系地址"), max_length=300, required=False)
    enterprise_type = forms.ChoiceField(
        label=_("企业类型"),
        choices=[("", _("按单位名称自动识别")), *((t, t) for t in ENTERPRISE_TYPES)],
        required=False,
        help_text=_("系统按统一社会信用代码和单位名称识别；识别不出或不对时请选择。"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry_code"].choices = industry_choices()

    def clean_industry_detail(self) -> str:
        detail = self.cleaned_data["industry_detail"].strip()
        division = self.cleaned_data.get("industry_code", "")
        if detail and division and not detail.startswith(division):
            raise forms.ValidationError(
                _("中类/小类代码 %(detail)s 不属于所选大类 %(division)s。")
                % {"detail": detail, "division": division}
            )
        return detail

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, object]:
        return {
            "name": organisation.name,
            "industry_code": organisation.industry_division,
            "industry_detail": organisation.industry_detail,
            "employees": organisation.employees,
            "revenue": organisation.revenue,
            "assets": organisation.assets,
            "address": organisation.address,
            "enterprise_type": organisation.enterprise_type,
        }


class RegistrationForm(OrganisationProfileForm):
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        help_text=_("18 位，营业执照上的代码；空格和小写字母会自动规范。"),
    )
    full_name = forms.CharField(label=_("联系人姓名"), max_length=50)
    username = forms.CharField(
        label=_("登录账号"),
        max_length=150,
        validators=User._meta.get_field("username").validators,
        help_text=_("字母、数字或 @/./+/-/_，不超过 150 个字符。"),
    )
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("用于找回密码和接收通知。"))
    phone = forms.RegexField(
        label=_("手机"),
        regex=MOBILE_PATTERN,
        required=False,
        error_messages={"invalid": _("请输入 11 位中国大陆手机号码。")},
    )
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    field_order = [
        "credit_code",
        "name",
        "industry_code",
        "industry_detail",
        "employees",
        "revenue",
        "assets",
        "address",
        "full_name",
        "username",
        "email",
        "phone",
        "password1",
        "password2",
    ]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该登录账号已被使用，请换一个。"))
        return username

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif password1:
            candidate = User(
                username=cleaned.get("username", ""),
                email=cleaned.get("email", ""),
                full_name=cleaned.get("full_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class CheckCharAcceptForm(SingleLineFieldsMixin, forms.Form):
    note = forms.CharField(
        label=_("核实说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：已核对营业执照原件，代码为早期试点地区赋码。"),
    )


class PromotingBodyForm(SingleLineFieldsMixin, forms.ModelForm):
    class Meta:
        model = PromotingBody
        fields = ["name", "kind", "region", "contact_person", "contact_phone", "is_active"]
