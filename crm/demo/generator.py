"""A seeded generator of a believable sales department, shared by the demo data and the benchmarks.

It writes straight to the tables (COPY on PostgreSQL, batched INSERTs elsewhere) with ids it assigns itself,
bypassing the services for speed, but every row it writes is one the services would accept: stage histories
end at the deal's stage, each stage passed has its completion data, paid lines carry a paid date.
"""

from __future__ import annotations

import math
import random
import time as monotonic
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from faker import Faker

from core.calendar import month_shift
from crm.demo.customers import ClientsMixin
from crm.demo.pipeline import PipelineMixin
from crm.demo.tables import Table, money
from crm.demo.vocabulary import CATALOGUE, MOBILE_CODES, SEGMENTS, Region
from crm.models import (
    Activity,
    Brand,
    ChangeLog,
    Client,
    ContactPerson,
    Deal,
    DealPayment,
    DealProduct,
    DealStageChange,
    ImportJob,
    MarketSegment,
    OwnershipChange,
    Product,
    ProductCategory,
    Role,
    SaleLine,
    Team,
    User,
)

DEMO_PASSWORD = "demo12345"  # noqa: S105 - the published password of the demo logins
# (username, role) of the people outside the sales teams.
STAFF: tuple[tuple[str, str], ...] = (
    ("head", Role.HEAD),
    ("vip", Role.VIP_HEAD),
    ("service", Role.SERVICE),
    ("base", Role.BASE_MANAGER),
    ("admin", Role.ADMIN),
)


@dataclass
class GenerationResult:
    users: int = 0
    teams: int = 0
    clients: int = 0
    contacts: int = 0
    products: int = 0
    sale_lines: int = 0
    deals: int = 0
    deal_products: int = 0
    stage_changes: int = 0
    payments: int = 0
    activities: int = 0
    ownership_changes: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def demo_usernames(*, managers: int, teams: int) -> list[str]:
    """Every login the generator creates for a department of this size."""
    return (
        [name for name, _ in STAFF]
        + [f"lead{t}" for t in range(1, teams + 1)]
        + [f"manager{m:02d}" for m in range(1, managers + 1)]
    )


class _Department(ClientsMixin, PipelineMixin):
    """The state of one generation run; `run` writes everything in dependency order."""

    def __init__(
        self,
        *,
        clients: int,
        managers: int,
        months: int,
        deals: int,
        seed: int,
        as_of: date,
        teams: int,
        products: int,
        sale_lines: int | None,
        password: str,
        progress: Callable[[str], None] | None,
    ) -> None:
        self.n_clients = clients
        self.n_managers = managers
        self.months = months
        self.n_deals = deals
        self.as_of = as_of
        self.n_teams = teams
        self.n_products = products
        self.target_lines = sale_lines
        self.password = password
        self.progress = progress or (lambda _message: None)
        self.rng = random.Random(seed)
        self.fake = Faker("ru_RU")
        self.fake.seed_instance(seed)
        self.tz = timezone.get_default_timezone()
        self.now = datetime.combine(as_of, time(9, 0), tzinfo=self.tz)
        # The window: `months` full months before the month of as_of, plus that month up to the day before.
        first = as_of.replace(day=1)
        self.month_starts = [month_shift(first, -k) for k in range(months, 0, -1)]
        if as_of.day > 1:
            self.month_starts.append(first)
        self.window_start = self.month_starts[0] if self.month_starts else first
        self.result = GenerationResult()

    # -- helpers --------------------------------------------------------------------------------------------

    def at(self, day: date, *, hour_from: int = 9, hour_to: int = 18) -> datetime:
        return datetime.combine(
            day, time(self.rng.randint(hour_from, hour_to - 1), self.rng.randrange(0, 60, 5)), self.tz
        )

    def pick_weighted(self, pairs: tuple[tuple[str, int], ...]) -> str:
        return self.rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]

    def person(self) -> tuple[str, str, str]:
        if self.rng.random() < 0.6:
            return self.fake.last_name_male(), self.fake.first_name_male(), self.fake.middle_name_male()
        return self.fake.last_name_female(), self.fake.first_name_female(), self.fake.middle_name_female()

    def phone(self, region: Region) -> str:
        return f"+7{self.rng.choice(region.phone_codes)}{self.rng.randint(2000000, 9999999)}"

    def mobile(self) -> str:
        return f"+7{self.rng.choice(MOBILE_CODES)}{self.rng.randint(1000000, 9999999)}"

    # -- people ---------------------------------------------------------------------------------------------

    def make_people(self) -> None:
        hashed = make_password(self.password)
        self.users: dict[str, User] = {}

        def create(username: str, role: str, team: Team | None = None) -> User:
            last, first, middle = self.person()
            phone = self.mobile()
            existing = User.objects.filter(username=username).first()
            if existing is not None:
                # E.g. an `admin` made with createsuperuser before the demo: keep it and its password.
                self.users[username] = existing
                return existing
            user = User.objects.create(
                username=username,
                password=hashed,
                first_name=first,
                last_name=last,
                middle_name=middle,
                email=f"{username}@demo.salesdept.ru",
                role=role,
                team=team,
                phone=phone,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            self.users[username] = user
            return user

        for username, role in STAFF:
            create(username, role)
        self.teams = [Team.objects.get_or_create(name=f"Группа {t}")[0] for t in range(1, self.n_teams + 1)]
        self.sellers: list[User] = []
        team: Team | None  # each team in turn, then each manager's team (none when there are no teams)
        for number, team in enumerate(self.teams, start=1):
            lead = create(f"lead{number}", Role.TEAM_LEAD, team)
            team.lead = lead
            team.save(update_fields=["lead", "updated_at"])
            self.sellers.append(lead)
        for number in range(1, self.n_managers + 1):
            team = self.teams[(number - 1) % len(self.teams)] if self.teams else None
            self.sellers.append(create(f"manager{number:02d}", Role.MANAGER, team))
        # Team leads sell too, but carry a smaller book than their managers.
        self.seller_weights = [1 if user.role == Role.TEAM_LEAD else 3 for user in self.sellers]
        self.head = self.users["head"]
        self.result.users = len(self.users)
        self.result.teams = len(self.teams)

    # -- catalogue ------------------------------------------------------------------------------------------

    def make_catalogue(self) -> None:
        self.segments = [MarketSegment.objects.get_or_create(name=name)[0] for name in SEGMENTS]
        table = Table(Product)
        self.products_by_category: dict[str, list[tuple[int, int]]] = {}  # category -> [(id, price in kopecks)]
        per_category = max(1, self.n_products // len(CATALOGUE))
        stamp = self.now - timedelta(days=30 * self.months)
        for category_spec in CATALOGUE:
            category = ProductCategory.objects.get_or_create(name=category_spec.name)[0]
            brands = {name: Brand.objects.get_or_create(name=name)[0] for name in category_spec.brands}
            items = []
            low, high = category_spec.price_range
            for n in range(1, per_category + 1):
                brand = self.rng.choice(category_spec.brands)
                model_code = f"{brand[:2].upper()}-{self.rng.randint(100, 9999)}"
                name = self.rng.choice(category_spec.models).format(b=brand, n=model_code)
                # Log-uniform prices: many cheap items, a few expensive ones.
                price = int(math.exp(self.rng.uniform(math.log(low), math.log(high)))) * 100
                product_id = table.new_id()
                table.add(
                    {
                        "id": product_id,
                        "sku": f"{category_spec.sku_prefix}-{n:04d}",
                        "name": name,
                        "category_id": category.pk,
                        "brand_id": brands[brand].pk,
                        "unit": category_spec.unit,
                        "price": money(price),
                        "is_active": self.rng.random() > 0.03,
                        "updated_at": stamp,
                    }
                )
                items.append((product_id, price))
            self.products_by_category[category_spec.name] = items
        table.flush()
        self.category_names = list(self.products_by_category)
        self.result.products = table.count

    def run(self) -> GenerationResult:
        started = monotonic.monotonic()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # Check each row's keys as it arrives instead of queueing millions of deferred checks.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.make_people()
            self.make_catalogue()
            self.make_clients()
            self.make_sales()
            self.make_deals()
            self.make_calls()
            written = [Product, Client, ContactPerson, OwnershipChange, SaleLine, Deal, DealProduct]
            written += [DealStageChange, DealPayment, Activity]
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), written):
                    cursor.execute(statement)
                if connection.vendor == "postgresql":
                    # Back to Django's deferred checks for whatever the surrounding transaction does next.
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh statistics, so that the first queries over millions of new rows get good plans.
                cursor.execute("ANALYZE " + ", ".join(model._meta.db_table for model in written))
        self.result.seconds = round(monotonic.monotonic() - started, 2)
        return self.result


def generate(
    *,
    clients: int,
    managers: int,
    months: int = 24,
    deals: int,
    seed: int = 42,
    as_of: date,
    teams: int = 2,
    products: int = 200,
    sale_lines: int | None = None,
    password: str = DEMO_PASSWORD,
    progress: Callable[[str], None] | None = None,
) -> GenerationResult:
    """Write a whole department into an empty database; the same arguments always give the same data."""
    department = _Department(
        clients=clients,
        managers=managers,
        months=months,
        deals=deals,
        seed=seed,
        as_of=as_of,
        teams=teams,
        products=products,
        sale_lines=sale_lines,
        password=password,
        progress=progress,
    )
    return department.run()


def is_generated() -> bool:
    """Whether a department is already there (any client, or the head's demo login)."""
    return Client.objects.exists() or User.objects.filter(username="head").exists()


@transaction.atomic
def wipe(*, usernames: Iterable[str] | None = None) -> None:
    """Delete every client, deal, sale, activity and product, and the generated people and teams."""
    if connection.vendor == "postgresql":
        tables = [m._meta.db_table for m in (Client, Product, Brand, ProductCategory, ChangeLog, ImportJob)]
        with connection.cursor() as cursor:
            # Inside a transaction (tests, or after the status refresh) deferred FK checks must fire first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    else:
        model: type[Model]  # the models of both loops below
        for model in (SaleLine, DealPayment, DealProduct, DealStageChange, Activity, ChangeLog, OwnershipChange):
            model.objects.all()._raw_delete(connection.alias)
        for model in (Deal, ContactPerson, Client, ImportJob, Product, Brand):
            model.objects.all().delete()
        ProductCategory.objects.filter(parent__isnull=False).delete()
        ProductCategory.objects.all().delete()
    names = list(usernames) if usernames is not None else None
    people = (
        User.objects.filter(username__in=names)
        if names is not None
        else User.objects.filter(username__regex=r"^(head|vip|service|base|admin|lead\d+|manager\d+)$")
    )
    people.delete()
    Team.objects.filter(name__regex=r"^Группа \d+$", members__isnull=True).delete()
