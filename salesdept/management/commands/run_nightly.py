from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from salesdept.nightly import run_nightly


def _flat(counts: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in counts.items() if not isinstance(value, dict))


class Command(BaseCommand):
    help = "Run the nightly jobs now, for a given day (today by default), and print what each did."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="The day to run the jobs for, YYYY-MM-DD (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = timezone.localdate()
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(f"--as-of must be a date as YYYY-MM-DD, got {options['as_of']!r}.") from exc
        self.stdout.write(f"Nightly jobs as of {as_of.isoformat()}:")
        for name, counts in run_nightly(as_of).items():
            self.stdout.write(f"  {name}: {_flat(counts)}")
            for key, value in counts.items():
                if isinstance(value, dict):
                    for sub, sub_counts in value.items():
                        line = _flat(sub_counts) if isinstance(sub_counts, dict) else sub_counts
                        self.stdout.write(f"    {key} {sub}: {line}")
        self.stdout.write(self.style.SUCCESS("Done."))
