"""Checking what the public types into the objection form."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")  # area code + number, separators removed


def normalise_contact(raw: str) -> str:
    """A phone number (mobile or landline with area code) or an e-mail address, tidied.

    Raises ValidationError with what to type instead.
    """
    value = (raw or "").strip()
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(_("电子邮箱格式不正确，请检查后重新填写。")) from None
        return value
    digits = re.sub(r"[\s()（）-]", "", value)
    if MOBILE.match(digits) or LANDLINE.match(digits):
        return digits
    raise ValidationError(
        _("请填写手机号码（11 位）、带区号的固定电话（如 010-12345678）或电子邮箱。")
    )
