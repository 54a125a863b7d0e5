from __future__ import annotations

from decimal import Decimal

import pytest

from manyi.web.accounts.models import User
from manyi.web.accounts.services import ProfileFigures, organisation_register
from tests.conftest import PASSWORD, create_application

VALID_CODE = "91350100M000100Y43"
CODE_WITH_BAD_CHECK = "91350211M0000XUF46"


@pytest.fixture
def applicant(db) -> User:
    return organisation_register(
        credit_code=VALID_CODE,
        name="福州测试制造有限公司",
        figures=ProfileFigures(
            "34", employees=500, revenue=Decimal("30000"), assets=Decimal("20000")
        ),
        username="applicant",
        password=PASSWORD,
        full_name="林测试",
        email="applicant@example.cn",
    )


def registration_data(**overrides: str) -> dict[str, str]:
    data = {
        "credit_code": " 9135 0100m000100y43 ",
        "name": "福州测试制造有限公司",
        "industry_code": "34",
        "industry_detail": "",
        "employees": "500",
        "revenue": "30000",
        "assets": "20000",
        "address": "福建省福州市",
        "full_name": "林测试",
        "username": "lin",
        "email": "lin@example.cn",
        "phone": "13800138000",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.fixture
def application(applicant, open_campaign, promoting_body):
    """A four-star enterprise application the ``applicant`` has just created."""
    return create_application(applicant, open_campaign, promoting_body, level="four")
