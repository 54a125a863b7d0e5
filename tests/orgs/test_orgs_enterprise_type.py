"""企业类型 (自动抓取): the legal form as the credit code and the registered name tell it."""

from __future__ import annotations

import pytest

from manyi.orgs.enterprise_type import ENTERPRISE_TYPES, enterprise_type_for
from manyi.orgs.provider import OfflineProvider


@pytest.mark.parametrize(
    ("name", "category", "expected"),
    [
        ("杭州西子饮品有限公司", "企业", "有限责任公司"),
        ("福建某某电力有限责任公司", "企业", "有限责任公司"),
        ("福建某某股份有限公司", "企业", "股份有限公司"),
        ("某某股份有限公司福州分公司", "企业", "股份有限公司"),
        ("某某投资中心（有限合伙）", "企业", "合伙企业"),
        ("某某会计师事务所(特殊普通合伙)", "企业", "合伙企业"),
        ("某某食品个人独资企业", "企业", "个人独资企业"),
        ("某某县果蔬专业合作社", "农民专业合作社", "农民专业合作社"),
        ("某某便利店", "个体工商户", "个体工商户"),
        ("某某市质量协会", "社会团体", "社会团体"),
    ],
)
def test_the_legal_form_is_read_from_the_code_and_the_name(name, category, expected):
    assert enterprise_type_for(name, category) == expected
    assert expected in ENTERPRISE_TYPES


@pytest.mark.parametrize("name", ["某某机械厂", "国网某某供电公司", "某某集团"])
def test_a_name_that_does_not_tell_leaves_the_type_to_the_applicant(name):
    assert enterprise_type_for(name, "企业") is None


def test_the_offline_provider_reads_the_legal_form_when_given_the_name():
    record = OfflineProvider().lookup("91350100M000100Y43", name="福州某某股份有限公司")
    assert (record.organisation_type, record.enterprise_type) == ("企业", "股份有限公司")
    assert OfflineProvider().lookup("91350100M000100Y43").enterprise_type is None
