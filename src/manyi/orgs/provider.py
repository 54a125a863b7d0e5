"""Where the form's "自动抓取" fields (企业类型, 行业分类, 组织规模) come from.

:class:`OfflineProvider` (the default) knows only what the 统一社会信用代码 itself tells:
the organisation category and the region, and reads the legal form (企业类型) from the
registered name when it is given. A provider backed by a business-registry service can
implement :class:`RegistryProvider` and be selected by dotted path with :func:`get_provider`.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass
from typing import Any, Protocol, runtime_checkable

from manyi.orgs import creditcode
from manyi.orgs.enterprise_type import enterprise_type_for

DEFAULT_PROVIDER = "manyi.orgs.provider.OfflineProvider"


class RegistryLookupError(Exception):
    """A provider could not produce a record for the code."""


class InvalidCreditCodeError(RegistryLookupError, ValueError):
    """The code has format errors, so there is nothing to look up."""

    def __init__(self, info: creditcode.CreditCodeInfo) -> None:
        self.info = info
        reasons = "；".join(p.message for p in info.errors)
        super().__init__(f"统一社会信用代码「{info.code}」无法使用：{reasons}")


class ProviderConfigError(ValueError):
    """The configured provider path cannot be imported or is not a provider."""


@dataclass(frozen=True)
class RegistryRecord:
    """What a provider knows about an organisation; ``None`` means "not known here"."""

    code: str
    source: str
    organisation_type: str | None  # 机构类别 from the code, e.g. "企业", "社会团体"
    authority: str | None
    province: str | None
    city: str | None
    district: str | None = None
    region_code: str | None = None
    check_char_ok: bool | None = None
    name: str | None = None
    industry_code: str | None = None  # GB/T 4754-2017 code
    employees: int | None = None
    size: str | None = None  # 大型/中型/小型/微型
    enterprise_type: str | None = None  # 企业类型 (legal form), e.g. "有限责任公司"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@runtime_checkable
class RegistryProvider(Protocol):
    def lookup(self, code: str, *, name: str | None = None) -> RegistryRecord:
        """Record for a 统一社会信用代码 (``name``: as registered, when the caller knows it).

        Raises :class:`RegistryLookupError` on failure.
        """
        ...


class OfflineProvider:
    """Derives what it can from the code itself; name, industry and staff stay ``None``."""

    source = "offline"

    def lookup(self, code: str, *, name: str | None = None) -> RegistryRecord:
        info = creditcode.analyze(code)
        if info.refused:
            raise InvalidCreditCodeError(info)
        return RegistryRecord(
            code=info.code,
            source=self.source,
            organisation_type=info.category,
            authority=info.authority,
            province=info.province,
            city=info.city,
            district=info.district,
            region_code=info.region_code,
            check_char_ok=info.check_char_ok,
            name=name,
            enterprise_type=enterprise_type_for(name or "", info.category),
        )


def get_provider(dotted_path: str | None = None) -> RegistryProvider:
    """Instantiate the provider class at ``package.module.Class`` (or ``package.module:Class``).

    ``None`` or an empty string gives :class:`OfflineProvider`.
    """
    path = (dotted_path or "").strip() or DEFAULT_PROVIDER
    module_name, _, class_name = path.rpartition(":" if ":" in path else ".")
    if not module_name or not class_name:
        raise ProviderConfigError(f"查询服务配置「{path}」应写成“模块路径.类名”。")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise ProviderConfigError(f"无法加载查询服务「{path}」：{exc}") from exc
    provider = cls()
    if not isinstance(provider, RegistryProvider):
        raise ProviderConfigError(f"查询服务「{path}」没有 lookup(code) 方法。")
    return provider
