from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from manyi.web.publicity.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    check_attachments,
)
from manyi.web.publicity.models import ObjectionOutcome
from manyi.web.publicity.selectors import ItemRow
from manyi.web.publicity.validators import normalise_contact
from manyi.web.validators import SingleLineFieldsMixin


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; cleans to a (possibly empty) list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        uploads = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(u, initial) for u in uploads if u]


class PublicationOpenForm(SingleLineFieldsMixin, forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=200, required=False)


class ObjectionForm(SingleLineFieldsMixin, forms.Form):
    item = forms.TypedChoiceField(label=_("异议对象"), coerce=int)
    name = forms.CharField(label=_("姓名"), max_length=50)
    contact = forms.CharField(
        label=_("联系方式"),
        max_length=100,
        help_text=_("手机号码、带区号的固定电话或电子邮箱，仅秘书处可见，用于核实和反馈。"),
    )
    content = forms.CharField(
        label=_("异议内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明异议的事实、理由和可核实的线索。"),
    )
    attachments = MultipleFileField(
        label=_("证明材料（可选）"),
        required=False,
        help_text=_("PDF、JPG 或 PNG，最多 %(n)d 个，每个不超过 %(m)d MB。")
        % {"n": MAX_ATTACHMENTS, "m": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args: Any, rows: Sequence[ItemRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("请选择公示名单中的一项"))] + [
            (row.item_id, row.choice_label) for row in rows
        ]

    def clean_attachments(self) -> list:
        """Checked here too, so a refused file is reported together with other mistakes."""
        uploads = self.cleaned_data["attachments"]
        try:
            check_attachments(uploads)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["attachments"]) from None
        return uploads

    def clean_contact(self) -> str:
        try:
            return normalise_contact(self.cleaned_data["contact"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


class ObjectionHandleForm(SingleLineFieldsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结论"), choices=ObjectionOutcome.choices, widget=forms.RadioSelect
    )
    handling = forms.CharField(
        label=_("处理情况"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("核查了什么、结论和依据；异议成立的，发布结果时一般不授予等级。"),
    )


DECISION_CHOICES = [("grant", _("授予等级")), ("refuse", _("不授予"))]


class PublishForm(SingleLineFieldsMixin, forms.Form):
    """One grant/refuse choice per application of the 公示, preset from the objections."""

    def __init__(self, *args: Any, rows: Sequence[ItemRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            self.fields[self.field_name(row)] = forms.ChoiceField(
                label=row.choice_label,
                choices=DECISION_CHOICES if row.proposed else DECISION_CHOICES[1:],
                initial=row.suggested_decision,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def field_name(row: ItemRow) -> str:
        return f"decision_{row.application_id}"

    def decisions(self) -> dict[int, str]:
        return {row.application_id: self.cleaned_data[self.field_name(row)] for row in self.rows}

    def pairs(self) -> list[tuple[ItemRow, forms.BoundField]]:
        return [(row, self[self.field_name(row)]) for row in self.rows]


class VerifyForm(SingleLineFieldsMixin, forms.Form):
    number = forms.CharField(
        label=_("证书编号"),
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "YHMY-2025-01-0001", "autocomplete": "off"}),
    )


class RevokeForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=500)


class AuditFilterForm(SingleLineFieldsMixin, forms.Form):
    target_type = forms.ChoiceField(label=_("对象类型"), required=False)
    target_id = forms.CharField(label=_("对象编号"), max_length=100, required=False)

    def __init__(self, *args: Any, target_types: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = [("", _("全部"))] + [(t, t) for t in target_types]
