"""Forms of the review pages; the services validate again and have the last word."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.orgs import industries
from manyi.rules.model import Scheme
from manyi.web.accounts.models import PromotingBody
from manyi.web.review.models import ExpertProfile, TargetKind
from manyi.web.review.selectors import SheetRow
from manyi.web.validators import SingleLineFieldsMixin

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class RecommendForm(SingleLineFieldsMixin, forms.Form):
    opinion = forms.CharField(
        label=_("推荐意见"),
        widget=TEXTAREA,
        help_text=_("说明推荐理由，例如该单位在用户满意经营方面的实践与成效。"),
    )


class PromoterReturnForm(SingleLineFieldsMixin, forms.Form):
    reasons = forms.CharField(
        label=_("退回理由"), widget=TEXTAREA, help_text=_("申报单位将据此修改后重新提交。")
    )


class FindingForm(SingleLineFieldsMixin, forms.Form):
    target = forms.ChoiceField(label=_("针对"))
    text = forms.CharField(
        label=_("审查意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("写明问题和修改要求，一条意见只说一件事。"),
    )

    def __init__(self, *args: Any, targets: dict[str, list[tuple[str, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            (str(TargetKind.GENERAL.label), [(f"{TargetKind.GENERAL}:", _("总体意见"))]),
            *[
                (str(TargetKind(kind).label), [(f"{kind}:{key}", label) for key, label in items])
                for kind, items in targets.items()
            ],
        ]

    def target_parts(self) -> tuple[str, str]:
        kind, _sep, key = self.cleaned_data["target"].partition(":")
        return kind, key


class ReturnForRevisionForm(SingleLineFieldsMixin, forms.Form):
    deadline = forms.DateField(
        label=_("补正截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("默认为今天起按评价方案规定的天数，可修改。"),
    )

    def __init__(self, *args: Any, default: datetime.date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = default


class RejectForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.CharField(label=_("不予受理理由"), widget=TEXTAREA)


def category_choices(scheme: Scheme) -> list[tuple[str, str]]:
    return [(category.key, category.name) for category in scheme.categories]


def industry_choices() -> list[tuple[str, str]]:
    return [(section.code, f"{section.code} {section.name}") for section in industries.sections()]


class ExpertProfileForm(SingleLineFieldsMixin, forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("擅长类别"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    industries = forms.MultipleChoiceField(
        label=_("熟悉行业（GB/T 4754 门类）"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        required=False,
    )
    promoting_body = forms.ModelChoiceField(
        label=_("所属推进机构"),
        queryset=PromotingBody.objects.filter(is_active=True),
        required=False,
        help_text=_("专家属于某推进机构时填写；评价方案要求时，该机构推荐的申报将自动回避。"),
    )

    class Meta:
        model = ExpertProfile
        fields = [
            "categories",
            "industries",
            "organisation_name",
            "region",
            "promoting_body",
            "is_active",
        ]

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = category_choices(scheme)
        self.fields["industries"].choices = industry_choices()


class ExpertAccountForm(SingleLineFieldsMixin, forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    username = forms.CharField(label=_("登录名"), max_length=150)
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput, min_length=10, strip=False
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    phone = forms.CharField(label=_("手机"), max_length=20, required=False)


class ConflictForm(SingleLineFieldsMixin, forms.Form):
    organisation = forms.CharField(
        label=_("单位名称或统一社会信用代码"),
        max_length=200,
        help_text=_("请填写完整的单位名称或 18 位统一社会信用代码。"),
    )
    reason = forms.CharField(
        label=_("关系说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：曾在该单位任职、亲属在该单位工作、近三年为其提供咨询服务。"),
    )


class AssignForm(SingleLineFieldsMixin, forms.Form):
    expert = forms.TypedChoiceField(label=_("专家"), coerce=int)
    allow_expertise_gap = forms.BooleanField(label=_("专业不完全匹配仍分配"), required=False)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = choices


class ScoreForm(SingleLineFieldsMixin, forms.Form):
    """One points field and one comment per rubric criterion."""

    def __init__(self, *args: Any, rows: list[SheetRow], disabled: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"points_{row.key}"] = forms.DecimalField(
                label=row.name,
                required=False,
                min_value=0,
                max_value=row.max_points,
                decimal_places=2,
                initial=row.points,
                disabled=disabled,
                widget=forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": row.max_points}),
            )
            self.fields[f"comment_{row.key}"] = forms.CharField(
                label=_("评语"),
                required=False,
                initial=row.comment,
                disabled=disabled,
                widget=forms.Textarea(attrs={"rows": 2, "cols": 20}),
            )

    def entries(self) -> dict[str, tuple[Any, str]]:
        return {
            row.key: (
                self.cleaned_data.get(f"points_{row.key}"),
                self.cleaned_data.get(f"comment_{row.key}", ""),
            )
            for row in self.rows
        }

    def row_fields(self) -> list[tuple[SheetRow, forms.BoundField, forms.BoundField]]:
        return [(row, self[f"points_{row.key}"], self[f"comment_{row.key}"]) for row in self.rows]
