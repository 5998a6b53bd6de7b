"""`manage.py seed_demo`: a believable sales department to click through, from the seeded generator in crm/demo/."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from crm.demo.generator import DEMO_PASSWORD, demo_usernames, generate, is_generated, wipe
from crm.nightly import client_statuses_refresh
from planning.services.pay import pay_schemes_default_create
from vip.demo import programme_seed, programme_wipe

DEMO_MANAGERS = 12
DEMO_TEAMS = 2
DEMO_MONTHS = 24

LOGINS: tuple[tuple[str, str], ...] = (
    ("head", "руководитель отдела продаж"),
    ("lead1", "руководитель группы"),
    ("manager01", "менеджер по продажам"),
    ("vip", "руководитель VIP-программы"),
    ("service", "ответственный сервисного подразделения"),
    ("base", "менеджер по клиентским базам"),
    ("admin", "администратор"),
)


def _as_of(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = (
        "Make the demo department: a head, 2 teams, 12 managers, ~3 000 clients with 24 months of sales and "
        "~1 500 deals. Does nothing if a department is already there; --reset first deletes every client, deal, "
        "sale, activity and product and the demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=3000, help="Number of clients (default 3000).")
        parser.add_argument("--deals", type=int, default=None, help="Number of deals (default: half the clients).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--as-of", type=_as_of, default=None, help="The 'today' of the data (default: today).")
        parser.add_argument("--reset", action="store_true", help="Delete the demo data first, then seed again.")

    def handle(self, *args: Any, **options: Any) -> None:
        clients: int = options["clients"]
        if clients < 1:
            raise CommandError("--clients must be at least 1.")
        deals: int = options["deals"] if options["deals"] is not None else clients // 2
        if deals < 0:
            raise CommandError("--deals cannot be negative.")
        as_of: date = options["as_of"] or timezone.localdate()
        if options["reset"]:
            self.stdout.write("Удаляю демо-данные…")
            programme_wipe()
            wipe(usernames=demo_usernames(managers=DEMO_MANAGERS, teams=DEMO_TEAMS))
        elif is_generated():
            self.stdout.write("Демо-данные уже загружены: ничего не меняю (--reset, чтобы создать заново).")
            self.print_logins()
            return
        self.stdout.write(f"Создаю демо-отдел: {clients} клиентов, {deals} сделок, {DEMO_MONTHS} мес. продаж…")
        result = generate(
            clients=clients,
            managers=DEMO_MANAGERS,
            teams=DEMO_TEAMS,
            months=DEMO_MONTHS,
            deals=deals,
            seed=options["seed"],
            as_of=as_of,
            progress=lambda message: self.stdout.write(f"  {message}") if options["verbosity"] > 1 else None,
        )
        # Statuses follow the generated sales history exactly as the nightly job would set them.
        client_statuses_refresh(as_of)
        pay_schemes_default_create()
        vip = programme_seed(as_of=as_of)
        self.stdout.write(
            self.style.SUCCESS(
                f"Готово за {result.seconds:.1f} с: {result.users} пользователей, {result.clients} клиентов, "
                f"{result.sale_lines} строк продаж, {result.deals} сделок, {result.activities} активностей, "
                f"{vip['questionnaires']} VIP-анкет."
            )
        )
        self.print_logins()

    def print_logins(self) -> None:
        for username, role in LOGINS:
            self.stdout.write(f"Вход: {username} / {DEMO_PASSWORD} ({role})")
