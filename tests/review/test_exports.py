"""Exports: applications, scores and decisions as XLSX and CSV, for the secretariat only."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from manyi.web.audit.models import AuditEntry
from manyi.web.review import services

pytestmark = pytest.mark.django_db

KINDS = ["applications", "scores", "decisions"]


@pytest.fixture
def decided(scored, secretariat):
    application = scored([84, 86, 85], level="four")
    services.levels_decide(actor=secretariat, decisions={application.pk: "four"})
    application.refresh_from_db()
    return application


def xlsx_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("who", ["applicant", "promoter", "three_experts"])
@pytest.mark.parametrize("kind", KINDS)
def test_nobody_but_the_secretariat_exports(client, request, who, kind):
    user = request.getfixturevalue(who)
    client.force_login(user[0] if isinstance(user, list) else user)
    assert client.get(reverse("review:exports")).status_code == 403
    for fmt in ("xlsx", "csv"):
        assert client.get(reverse("review:export", args=[kind, fmt])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("review:export", args=["applications", "csv"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_applications_export(client, secretariat, decided):
    client.force_login(secretariat)
    response = client.get(reverse("review:export", args=["applications", "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, row = xlsx_rows(response)
    assert header[:4] == ("申报编号", "年度", "申报单位", "统一社会信用代码")
    record = dict(zip(header, row, strict=True))
    assert record["申报单位"] == "福州测试制造有限公司"
    assert (record["类别"], record["申请等级"]) == ("企业类", "用户满意（四星）级")
    assert (record["推进机构"], record["状态"]) == ("福建省质量管理协会", "已拟定等级")
    assert record["拟定等级"] == "用户满意（四星）级"
    assert record["综合得分"] == 85
    assert AuditEntry.objects.filter(action="data.export").count() == 1


def test_the_scores_export_has_one_row_per_expert_and_criterion(client, secretariat, decided):
    client.force_login(secretariat)
    header, *rows = csv_rows(client.get(reverse("review:export", args=["scores", "csv"])))
    assert header == [
        "申报编号",
        "申报单位",
        "类别",
        "专家",
        "评分项",
        "得分",
        "满分",
        "评语",
        "状态",
    ]
    assert len(rows) == 3 * 5
    assert {row[4] for row in rows} == {"策划", "实施", "评价", "应用", "满意度测量结果"}
    assert {row[8] for row in rows} == {"已提交"}


def test_the_decisions_export(client, secretariat, decided):
    client.force_login(secretariat)
    header, row = csv_rows(client.get(reverse("review:export", args=["decisions", "csv"])))
    record = dict(zip(header, row, strict=True))
    assert (record["类别"], record["名次"], record["综合得分"]) == ("企业类", "1", "85.00")
    assert record["拟定等级"] == "用户满意（四星）级"
    assert record["分差过大"] == ""


def test_an_unknown_export_is_not_found(client, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("review:export", args=["passwords", "csv"])).status_code == 404
    assert client.get(reverse("review:export", args=["scores", "pdf"])).status_code == 404
