"""The "自动抓取" provider interface and its offline default."""

from __future__ import annotations

import pytest

from manyi.orgs.provider import (
    InvalidCreditCodeError,
    OfflineProvider,
    ProviderConfigError,
    RegistryLookupError,
    RegistryProvider,
    RegistryRecord,
    get_provider,
)


class FakeRegistry:
    """Stands in for a real business-registry service."""

    def lookup(self, code: str) -> RegistryRecord:
        return RegistryRecord(
            code=code,
            source="fake",
            organisation_type="有限责任公司",
            authority="工商",
            province="福建省",
            city="福州市",
            name="示例有限公司",
            industry_code="6510",
            employees=120,
        )


class NotAProvider:
    pass


def test_offline_provider_derives_type_and_place_from_the_code_and_knows_nothing_else():
    record = OfflineProvider().lookup("91350100M000100Y43")

    assert record.source == "offline"
    assert record.code == "91350100M000100Y43"
    assert (record.organisation_type, record.authority) == ("企业", "工商")
    assert (record.province, record.city, record.region_code) == ("福建省", "福州市", "350100")
    assert record.check_char_ok is True
    assert (record.name, record.industry_code, record.employees, record.size) == (
        None,
        None,
        None,
        None,
    )
    assert record.to_dict()["organisation_type"] == "企业"


def test_offline_provider_normalises_the_code():
    assert OfflineProvider().lookup(" 51610700305332460k ").organisation_type == "社会团体"


def test_offline_provider_still_answers_for_a_code_with_only_a_check_character_warning():
    record = OfflineProvider().lookup("91350211M0000XUF46")

    assert record.check_char_ok is False
    assert record.district == "集美区"


def test_offline_provider_refuses_a_malformed_code():
    with pytest.raises(InvalidCreditCodeError) as caught:
        OfflineProvider().lookup("91350100M000100Y4")

    assert isinstance(caught.value, RegistryLookupError)
    assert "18位" in str(caught.value)
    assert caught.value.info.refused is True


def test_offline_provider_satisfies_the_protocol():
    assert isinstance(OfflineProvider(), RegistryProvider)


@pytest.mark.parametrize("path", [None, "", "manyi.orgs.provider.OfflineProvider"])
def test_default_provider_is_offline(path):
    assert isinstance(get_provider(path), OfflineProvider)


def test_provider_is_imported_by_dotted_path():
    provider = get_provider(f"{__name__}.FakeRegistry")

    assert provider.lookup("X").name == "示例有限公司"


def test_provider_path_may_use_a_colon_before_the_class():
    assert isinstance(get_provider(f"{__name__}:FakeRegistry"), FakeRegistry)


@pytest.mark.parametrize(
    "path", ["no.such.module.Provider", "manyi.orgs.provider.Missing", "OfflineProvider"]
)
def test_a_provider_path_that_cannot_be_imported_is_a_configuration_error(path):
    with pytest.raises(ProviderConfigError):
        get_provider(path)


def test_a_class_without_lookup_is_not_accepted_as_provider():
    with pytest.raises(ProviderConfigError, match="lookup"):
        get_provider(f"{__name__}.NotAProvider")
