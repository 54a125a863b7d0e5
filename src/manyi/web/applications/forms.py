from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from manyi.rules.model import FormField, Scheme
from manyi.web.accounts.selectors import promoting_bodies_active
from manyi.web.applications.formdata import is_system_field, save_problem
from manyi.web.validators import SingleLineFieldsMixin

DEFAULT_LIST_INPUTS = 3


class ApplicationCreateForm(SingleLineFieldsMixin, forms.Form):
    category = forms.ChoiceField(label=_("申请类别"))
    level = forms.ChoiceField(label=_("申请等级"))
    kind = forms.ChoiceField(label=_("初评/复评"))
    previous_certificate_number = forms.CharField(
        label=_("上一周期证书编号（复评填写）"),
        max_length=50,
        required=False,
        help_text=_(
            "复评请填写上一周期用户满意等级评价证书上的编号；"
            "本系统签发的证书会自动关联，其他证书请在材料中上传扫描件。"
        ),
    )
    promoting_body = forms.ModelChoiceField(label=_("推进机构"), queryset=None)
    project_name = forms.CharField(
        label=_("申报项目名称"),
        max_length=200,
        required=False,
        help_text=_(
            "企业类免填；班组类填班组名称，服务类填专项服务名称，产品类填产品名称（含型号规格），工程类填工程名称。"
        ),
    )

    def __init__(self, *args, scheme: Scheme, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["category"].choices = [(c.key, c.name) for c in scheme.categories]
        self.fields["level"].choices = [(lv.key, lv.name) for lv in scheme.levels]
        self.fields["kind"].choices = [(k.key, k.name) for k in scheme.application_kinds]
        self.fields["promoting_body"].queryset = promoting_bodies_active()
        self.renewal_kinds = [k.key for k in scheme.application_kinds if k.renewal]
        self.eligibility = {
            c.key: [lv.key for lv in scheme.allowed_levels(c.key)] for c in scheme.categories
        }


class CheckedTextField(forms.CharField):
    """A number or date kept as typed, checked on save: its type, that it is not negative,
    and the scheme's range (满意度 0–100), with a message naming the field and the value."""

    def __init__(self, *, scheme_field: FormField, category: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scheme_field, self.category = scheme_field, category

    def validate(self, value: Any) -> None:
        super().validate(value)
        problem = save_problem(self.scheme_field, self.category, value)
        if problem:
            raise forms.ValidationError(problem, code="invalid")


def field_label(field: FormField) -> str:
    if field.unit and field.unit not in field.label:
        return f"{field.label}（{field.unit}）"
    return field.label


def _text_input(field: FormField, category: str, hint: str | None) -> forms.Field:
    options: dict[str, Any] = {
        "label": field_label(field),
        "required": False,
        "help_text": hint or "",
    }
    if field.type == "date":
        widget = forms.DateInput(attrs={"type": "date"})
        return CheckedTextField(scheme_field=field, category=category, widget=widget, **options)
    if field.type in ("integer", "decimal"):
        mode = "numeric" if field.type == "integer" else "decimal"
        widget = forms.TextInput(attrs={"inputmode": mode})
        return CheckedTextField(scheme_field=field, category=category, widget=widget, **options)
    return forms.CharField(widget=forms.TextInput(), **options)


class ApplicationFormForm(SingleLineFieldsMixin, forms.Form):
    """The editable fields of the 申请表, all optional: drafts keep whatever was typed."""

    def __init__(self, *args, scheme: Scheme, category: str, stored: dict[str, Any], **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme_fields = [
            f for f in scheme.form_fields(category) if not is_system_field(scheme, f)
        ]
        self.groups: list[tuple[FormField, list[str]]] = []
        for field in self.scheme_fields:
            names = self._add(field, category, stored.get(field.key))
            self.groups.append((field, names))

    def _add(self, field: FormField, category: str, stored: Any) -> list[str]:
        hint = field.hint_for(category)
        if field.type == "list":
            count = field.max_items or DEFAULT_LIST_INPUTS
            items = stored if isinstance(stored, list) else []
            names = []
            for index in range(count):
                name = f"{field.key}__{index}"
                self.fields[name] = forms.CharField(
                    label=_("第 %(n)s 项") % {"n": index + 1},
                    required=False,
                    initial=items[index] if index < len(items) else "",
                )
                names.append(name)
            return names
        if field.type == "pair":
            values = stored if isinstance(stored, dict) else {}
            names = []
            for part in field.parts:
                name = f"{field.key}__{part.key}"
                self.fields[name] = forms.CharField(
                    label=part.label, required=False, initial=values.get(part.key, "")
                )
                names.append(name)
            return names
        if field.type == "choice":
            choices = [("", "—")] + [(c, c) for c in field.choices]
            self.fields[field.key] = forms.ChoiceField(
                label=field.label,
                choices=choices,
                required=False,
                initial=stored or "",
                help_text=hint or "",
            )
        else:
            self.fields[field.key] = _text_input(field, category, hint)
            self.fields[field.key].initial = stored if isinstance(stored, str) else ""
        return [field.key]

    def raw_values(self) -> dict[str, Any]:
        """What was typed, shaped per field type (list, pair or text) for storage; a field
        whose value failed its check is left out, so its stored value stays as it was."""
        data = self.cleaned_data
        values: dict[str, Any] = {}
        for field, names in self.groups:
            if any(name in self.errors for name in names):
                continue
            if field.type == "list":
                values[field.key] = [data.get(name, "") for name in names]
            elif field.type == "pair":
                values[field.key] = {
                    part.key: data.get(name, "")
                    for part, name in zip(field.parts, names, strict=True)
                }
            else:
                values[field.key] = data.get(field.key, "")
        return values
