from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.rules.loader import available_years
from manyi.web.validators import SingleLineFieldsMixin


class CampaignForm(SingleLineFieldsMixin, forms.Form):
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100)
    scheme_year = forms.TypedChoiceField(label=_("申请书版本"), coerce=int, choices=())
    title = forms.CharField(label=_("名称"), max_length=100, required=False)
    opens_on = forms.DateField(
        label=_("申报开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    closes_on = forms.DateField(
        label=_("申报截止日期"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme_year"].choices = [(y, f"{y}") for y in available_years()]

    def clean(self) -> dict:
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("截止日期不能早于开始日期。"))
        return cleaned
