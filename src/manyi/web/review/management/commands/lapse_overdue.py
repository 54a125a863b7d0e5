"""``manyi manage lapse_overdue``: lapse applications not resubmitted by their deadline."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandParser

from manyi.web.review.services import lapse_overdue


class Command(BaseCommand):
    help = "将补正截止日期已过仍未重新提交的申报置为“逾期未补正”。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            default=None,
            help="按此日期判断是否逾期（YYYY-MM-DD，默认今天）",
        )

    def handle(self, *args, **options) -> None:
        lapsed = lapse_overdue(today=options["date"])
        for application in lapsed:
            self.stdout.write(f"{application.pk}  {application}")
        self.stdout.write(f"逾期失效 {len(lapsed)} 件。")
