from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from analytics.services.reports import morning_sheet_send_all, weekly_report_send_all


class Command(BaseCommand):
    help = "Send the morning sheet now (working day or not) as of --now, or with --weekly the head's weekly report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="The day the sheet is made for, ISO (2026-12-01); today by default.")
        parser.add_argument("--weekly", action="store_true", help="Send the weekly report (PDF) to the head instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["now"]:
            try:
                today = date.fromisoformat(options["now"][:10])
            except ValueError as exc:
                raise CommandError(f"--now must be an ISO date such as 2026-12-01, got {options['now']!r}.") from exc
        what = "Weekly report" if options["weekly"] else "Morning sheet"
        send = weekly_report_send_all if options["weekly"] else morning_sheet_send_all
        counts = send(today=today)
        self.stdout.write(f"{what} for {today:%d.%m.%Y}: {counts['sent']} sent, {counts['failed']} failed.")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} letters were not sent; see the log.")
