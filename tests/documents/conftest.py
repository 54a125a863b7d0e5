"""Fixtures for the document tests: the 2025 scheme and a filled-in application."""

from __future__ import annotations

from datetime import date

import pytest

from manyi.rules import Scheme, load_scheme

ORGANISATION = "福州示例电力有限公司"


@pytest.fixture(scope="session")
def scheme() -> Scheme:
    return load_scheme(2025)


@pytest.fixture()
def organisation() -> dict[str, object]:
    """Facts the system fills in: the name, the credit code and the 自动抓取 fields."""
    return {
        "enterprise_name": ORGANISATION,
        "credit_code": "91350100M000100Y43",
        "enterprise_type": "有限责任公司",
        "industry": "D4420 电力供应",
        "org_size": "大型",
    }


@pytest.fixture()
def enterprise_values() -> dict[str, object]:
    return {
        "satisfaction_score": "86.50",
        "application_kind": "initial",
        "contact_name": "张三",
        "contact_department": "质量管理部",
        "contact_title": "部长",
        "contact_mobile": "13812345678",
        "contact_address": "福建省福州市鼓楼区五四路 1 号",
        "employees": 1200,
        "revenue": "56000.00",
        "main_products": "电力供应与用电服务",
        "main_customers": "居民和工商业用户",
        "direct_beneficiaries": 350000,
        "benchmark_and_competitor": {"benchmark": "国网上海市电力公司", "competitor": "某能源集团"},
        "quality_characteristics": ["供电可靠性", "电压合格率", "服务响应速度"],
        "competitive_advantages": ["网格化服务", "数字化运维", "快速抢修"],
    }


@pytest.fixture()
def fill_date() -> date:
    return date(2025, 3, 1)
