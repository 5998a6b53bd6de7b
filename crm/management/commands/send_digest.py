from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from crm.services.digest import digest_send_all


class Command(BaseCommand):
    help = "Send the morning e-mail digest now (working day or not), as of --now, and print how many went."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="The moment the digest is made for, ISO (2026-12-01T08:30; in TIME_ZONE unless an offset is given).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(
                    f"--now must be an ISO date-time such as 2026-12-01T08:30, got {options['now']!r}."
                ) from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        counts = digest_send_all(now=now)
        self.stdout.write(
            f"Morning digest as of {timezone.localtime(now).isoformat(timespec='minutes')}: "
            f"{counts['sent']} sent, {counts['empty']} with nothing to say, {counts['failed']} failed."
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} letters were not sent; see the log.")
