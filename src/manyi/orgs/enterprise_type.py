"""企业类型 (自动抓取): the organisation's legal form, as far as the records tell it.

The 统一社会信用代码 tells the registration category (企业, 个体工商户, 社会团体 …); for a company
the legal form is in its registered name (……股份有限公司, ……有限公司, ……（有限合伙）). Where
neither tells, the applicant picks from :data:`ENTERPRISE_TYPES` and confirms.
"""

from __future__ import annotations

import re
import unicodedata

# The pick-list: legal forms of the 市场主体登记管理条例 and the non-company categories the credit
# code distinguishes.
ENTERPRISE_TYPES: tuple[str, ...] = (
    "有限责任公司",
    "股份有限公司",
    "个人独资企业",
    "合伙企业",
    "全民所有制企业",
    "集体所有制企业",
    "股份合作制企业",
    "农民专业合作社",
    "个体工商户",
    "事业单位",
    "社会团体",
    "民办非企业单位",
    "其他",
)

# Code categories that are themselves the type (credit code position 2, see creditcode.py).
_CATEGORY_TYPES = {
    "个体工商户": "个体工商户",
    "农民专业合作社": "农民专业合作社",
    "事业单位": "事业单位",
    "社会团体": "社会团体",
    "民办非企业单位": "民办非企业单位",
}

# Endings of a registered company name, most specific first.
_NAME_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"股份有限公司(?:[^公司]{0,12}分公司)?$"), "股份有限公司"),
    (re.compile(r"有限(?:责任)?公司(?:[^公司]{0,12}分公司)?$"), "有限责任公司"),
    (re.compile(r"\((?:普通|有限|特殊普通)合伙\)$"), "合伙企业"),
    (re.compile(r"股份合作(?:制)?(?:企业|公司)$"), "股份合作制企业"),
    (re.compile(r"个人独资企业$"), "个人独资企业"),
    (re.compile(r"专业合作社(?:联合社)?$"), "农民专业合作社"),
)


def enterprise_type_for(name: str, category: str | None) -> str | None:
    """The 企业类型 the registered ``name`` and the code's ``category`` imply, or None."""
    if category in _CATEGORY_TYPES:
        return _CATEGORY_TYPES[category]
    if category not in (None, "企业"):
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))  # （） become ()
    return next((form for pattern, form in _NAME_FORMS if pattern.search(text)), None)
