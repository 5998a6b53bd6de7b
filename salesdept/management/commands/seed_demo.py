"""`manage.py seed_demo`: a believable sales department to click through, from the seeded generator in crm/demo/."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from analytics.demo import nps_seed
from analytics.demo_abc import abc_history_seed
from analytics.demo_contests import contests_demo
from analytics.demo_reports import analytics_seed
from core.calendar import month_start
from crm.demo.generator import DEMO_PASSWORD, demo_usernames, generate, is_generated, wipe
from crm.models import LongList, ProspectList, Reassignment, User
from crm.nightly import client_statuses_refresh
from planning.models import Plan
from planning.services.pay import pay_schemes_default_create
from planning.services.plans import plan_approve
from salesdept.models import NightlyRun
from salesdept.nightly import run_nightly
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


def nightly_results_wipe() -> None:
    """What the nightly jobs made from the demo data (plans, long lists, the queue, the runs themselves): it goes
    with the clients it was made from, and the runs go so that the new data's monthly part is due again."""
    Plan.objects.all().delete()
    LongList.objects.all().delete()
    Reassignment.objects.all().delete()
    NightlyRun.objects.all().delete()


class Command(BaseCommand):
    help = (
        "Make the demo department: a head, 2 teams, 12 managers, ~3 000 clients with 24 months of sales and "
        "~1 500 deals, and a VIP programme. Does nothing if a department is already there; --reset first deletes "
        "the VIP programme, every client, deal, sale, activity and product, the demo people's prospect lists and the "
        "demo logins."
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
            usernames = demo_usernames(managers=DEMO_MANAGERS, teams=DEMO_TEAMS)
            programme_wipe()
            nightly_results_wipe()
            # A prospect list protects its owner: the demo people's lists (the referrals', any made by hand) go first.
            ProspectList.objects.filter(owner__username__in=usernames).delete()
            wipe(usernames=usernames)
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
        nps_seed(as_of=as_of)
        abc_history_seed(as_of=as_of)
        self.run_nightly_jobs(as_of)
        contests_demo(as_of)
        analytics_seed(as_of=as_of, seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Готово за {result.seconds:.1f} с: {result.users} пользователей, {result.clients} клиентов, "
                f"{result.sale_lines} строк продаж, {result.deals} сделок, {result.activities} активностей, "
                f"{vip['questionnaires']} VIP-анкет, {vip.get('offers', 0)} предложений и {vip.get('referrals', 0)} "
                f"рекомендаций по ним."
            )
        )
        self.print_logins()

    def run_nightly_jobs(self, as_of: date) -> None:
        """The nightly jobs for the 1st of the month (its long lists and plan drafts) and then for `as_of` (statuses,
        deal hygiene, the reassignment queue), here and now, so that the first login finds figures everywhere."""
        days = sorted({month_start(as_of), as_of})
        for day in days:
            self.stdout.write(f"Ночные задания за {day.strftime('%d.%m.%Y')}:")
            for name, counts in run_nightly(day).items():
                flat = ", ".join(f"{key}={value}" for key, value in counts.items() if not isinstance(value, dict))
                self.stdout.write(f"  {name}: {flat or '-'}")
            if day == days[0]:
                self.approve_month_plans(day)

    def approve_month_plans(self, month: date) -> None:
        """The demo head has approved the month's drafts on the 1st, so plan/fact and pay read a target at once;
        next month's plans are left for him to make and approve."""
        head = User.objects.filter(username="head").first()
        if head is None or not head.is_head:
            return
        drafts = Plan.objects.filter(month=month, status=Plan.Status.DRAFT).order_by("pk")
        approved = 0
        for plan in drafts:
            plan_approve(plan=plan, by=head, confirm_negative_g=True)
            approved += 1
        self.stdout.write(f"  планы на {month.strftime('%m.%Y')} утверждены руководителем: {approved}")

    def print_logins(self) -> None:
        for username, role in LOGINS:
            self.stdout.write(f"Вход: {username} / {DEMO_PASSWORD} ({role})")
