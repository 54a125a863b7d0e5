"""Validators shared by every app's forms.

Single-line fields (names, titles, short texts) refuse control characters: a CR/LF in a name
would otherwise travel into mail headers, file names and exports. Multi-line fields (textareas)
and passwords are left alone.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line(value: object) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("不能包含换行、制表符等控制字符，请写成一行。"), code="control_characters"
        )


def is_single_line(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(
        field.widget, forms.Textarea | forms.PasswordInput
    )


class SingleLineFieldsMixin:
    """Every single-line text field of the form (also those added in ``__init__``) refuses
    control characters. Put it first among the form's bases."""

    def full_clean(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            if is_single_line(field) and validate_single_line not in field.validators:
                field.validators.append(validate_single_line)
        super().full_clean()  # type: ignore[misc]
