"""The generator's clients, their contact persons and ownership, and their sales history."""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from crm.demo.tables import Table, money
from crm.demo.vocabulary import COMPLEMENTS, NAME_TAILS, POSITIONS, REGIONS, SEGMENTS, Region
from crm.models import Client, ContactPerson, OwnershipChange, SaleLine, User
from crm.models.validators import normalize_name

SALES_DOCUMENT_PREFIX = "РН-"
# Segments whose names are institutions, not brands: no "-Плюс" or "и партнёры".
INSTITUTIONS = frozenset({"Госзаказчики", "Образование", "Гостиницы"})
TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            *("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p"),
            *("r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya"),
        ],
        strict=True,
    )
)
# Buyer profiles: share of clients and how they buy over the months of history.
PROFILES: tuple[tuple[str, int], ...] = (
    ("regular", 18),  # buy most months
    ("occasional", 14),  # buy now and then
    ("one_off", 14),  # one or two purchases
    ("lapsed", 9),  # used to buy, stopped 5+ months ago
    ("prospect", 45),  # never bought
)


class ClientsMixin:
    """Part of the generator's department (crm.demo.generator): uses its rng, fake, sellers, segments, catalogue."""

    rng: Any
    fake: Any
    as_of: date
    tz: Any
    n_clients: int
    sellers: list[Any]
    seller_weights: list[int]
    segments: list[Any]
    category_names: list[str]
    products_by_category: dict[str, list[tuple[int, int]]]
    month_starts: list[date]
    window_start: date
    target_lines: int | None
    progress: Callable[[str], None]
    result: Any
    head: User

    if TYPE_CHECKING:
        # The department's helpers (crm.demo.generator), for the type checker only.
        def pick_weighted(self, pairs: tuple[tuple[str, int], ...]) -> str: ...
        def person(self) -> tuple[str, str, str]: ...
        def phone(self, region: Region) -> str: ...
        def mobile(self) -> str: ...

    def company_name(self, segment: str) -> tuple[str, str]:
        """A name as the company writes it, and a web domain that goes with it."""
        forms, words = SEGMENTS[segment]
        form = self.pick_weighted(forms)
        word = self.rng.choice(words)
        if "№" in word:
            core = word.split("№")[0] + f"№ {self.rng.randint(1, 250)}"
        elif segment in INSTITUTIONS:
            core = word
        elif self.rng.random() < 0.2:
            core = f"{self.fake.last_name_male()} и партнёры"
        else:
            core = word + self.rng.choice(NAME_TAILS)
        domain = "".join(TRANSLIT.get(ch, ch) for ch in core.lower() if ch.isalnum())[:30] or "company"
        return f"{form} «{core}»", domain

    def inn(self, region: Region) -> str:
        while True:
            body = f"{region.tax_code}{self.rng.randint(1, 99):02d}{self.rng.randint(0, 99999):05d}"
            digits = [int(c) for c in body]
            check = sum(d * w for d, w in zip(digits, (2, 4, 10, 3, 5, 9, 4, 6, 8), strict=True)) % 11 % 10
            value = body + str(check)
            if value not in self.seen_inns:
                self.seen_inns.add(value)
                return value

    def make_clients(self) -> None:
        self.progress(f"clients: {self.n_clients}")
        table = Table(Client)
        contacts = Table(ContactPerson, parents=(table,))
        ownership = Table(OwnershipChange, parents=(table,))
        self.seen_inns: set[str] = set()
        existing = Client.objects.exclude(inn="").values_list("inn", flat=True)
        self.seen_inns.update(existing)
        region_weights = [r.weight for r in REGIONS]
        segment_by_name = {s.name: s for s in self.segments}
        # Per client: (id, owner id or None, profile, monthly level in roubles, preferred categories, owned since).
        self.clients: list[tuple[int, int | None, str, int, list[str], date | None]] = []
        for _ in range(self.n_clients):
            region = self.rng.choices(REGIONS, weights=region_weights)[0]
            segment = self.rng.choice(self.segments).name
            profile = self.pick_weighted(PROFILES)
            name, domain = self.company_name(segment)
            inn = self.inn(region)
            owned = profile != "prospect" or self.rng.random() < 0.9
            owner = self.rng.choices(self.sellers, weights=self.seller_weights)[0] if owned and self.sellers else None
            if profile == "prospect":
                status = Client.Status.PROSPECT
                level = int(math.exp(self.rng.gauss(math.log(60_000), 0.8)))
                owned_since = self.as_of - timedelta(days=self.rng.randint(3, 200)) if owner else None
            else:
                status = Client.Status.LOST if profile == "lapsed" and self.rng.random() < 0.7 else Client.Status.ACTIVE
                centre = {"regular": 50_000, "occasional": 30_000, "one_off": 70_000, "lapsed": 40_000}[profile]
                level = min(3_000_000, max(5_000, int(math.exp(self.rng.gauss(math.log(centre), 0.8)))))
                owned_since = self.window_start - timedelta(days=self.rng.randint(30, 900)) if owner else None
            category: str
            if profile == "regular" and level > 400_000:
                category = Client.Category.VIP
            elif profile == "regular" or level > 300_000:
                category = Client.Category.A
            elif profile in ("occasional", "lapsed"):
                category = Client.Category.B
            elif profile == "one_off":
                category = Client.Category.C
            else:
                category = ""
            source = Client.Source.WARM if self.rng.random() < 0.45 else Client.Source.COLD
            if source == Client.Source.WARM:
                detail = self.rng.choice(
                    [Client.SourceDetail.OWN_BASE, Client.SourceDetail.REFERRAL, Client.SourceDetail.INBOUND]
                )
            else:
                detail = self.rng.choices(
                    [
                        Client.SourceDetail.MAP_DIRECTORY,
                        Client.SourceDetail.INTERNET_DIRECTORY,
                        Client.SourceDetail.INTERNET_MAP,
                    ],
                    weights=[5, 3, 2],
                )[0]
            city = self.rng.choice(region.cities)
            created = datetime.combine(
                min(owned_since or self.as_of, self.as_of - timedelta(days=1)), time(10, 0), self.tz
            )
            client_id = table.new_id()
            table.add(
                {
                    "id": client_id,
                    "name": name,
                    "normalized_name": normalize_name(name),
                    "inn": inn,
                    "kpp": f"{inn[:4]}01001",
                    "phone": self.phone(region),
                    "phone_extra": self.phone(region) if self.rng.random() < 0.2 else "",
                    "email": f"{self.rng.choice(['info', 'office', 'zakaz', 'snab'])}@{domain}.ru",
                    "address": f"{self.fake.postcode()}, г. {city}, {self.fake.street_address()}",
                    "region": region.name,
                    "segment_id": segment_by_name[segment].pk,
                    "source": source,
                    "source_detail": detail,
                    "channel": self.rng.choices([c.value for c in Client.Channel], weights=[6, 2, 1, 1, 1])[0],
                    "category": category,
                    "owner_id": owner.pk if owner else None,
                    "owned_since": owned_since,
                    "status": status,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            preferred = [self.rng.choice(self.category_names)]
            preferred += [c for c in COMPLEMENTS[preferred[0]] if self.rng.random() < 0.5]
            self.clients.append((client_id, owner.pk if owner else None, profile, level, preferred, owned_since))
            for number in range(self.rng.choice((1, 1, 2, 2, 3))):
                position, role = POSITIONS[0 if number == 0 else self.rng.randrange(1, len(POSITIONS))]
                last, first, middle = self.person()
                contacts.add(
                    {
                        "id": contacts.new_id(),
                        "client_id": client_id,
                        "full_name": f"{last} {first} {middle}",
                        "position": position,
                        "phone": self.phone(region) if self.rng.random() < 0.5 else "",
                        "mobile": self.mobile(),
                        "email": f"{self.fake.user_name()}@{domain}.ru",
                        "decision_role": role,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
            if owner:
                ownership.add(
                    {
                        "id": ownership.new_id(),
                        "client_id": client_id,
                        "from_owner_id": None,
                        "to_owner_id": owner.pk,
                        "reason": "Назначен руководителем отдела продаж",
                        "by_id": self.head.pk,
                        "at": created,
                    }
                )
        for t in (table, contacts, ownership):
            t.flush()
        self.result.clients = table.count
        self.result.contacts = contacts.count
        self.result.ownership_changes = ownership.count

    # -- sales history --------------------------------------------------------------------------------------

    def purchase_months(self, profile: str) -> list[int]:
        n = len(self.month_starts)
        rng = self.rng
        if n == 0 or profile == "prospect":
            return []
        if profile == "regular":
            start = 0 if rng.random() < 0.6 else rng.randint(0, max(0, n - 6))
            return [m for m in range(start, n) if rng.random() < 0.85]
        if profile == "occasional":
            return [m for m in range(n) if rng.random() < 0.3]
        if profile == "one_off":
            return sorted(rng.sample(range(n), min(n, rng.choice((1, 1, 2)))))
        # lapsed: bought for a while, then nothing for at least 5 months
        last = n - 6
        if last < 0:
            return []
        start = rng.randint(0, last)
        return [m for m in range(start, last + 1) if rng.random() < 0.75] or [last]

    def make_sales(self) -> None:
        # First plan the documents (date, client, amount), so that line counts can meet a target.
        documents: list[tuple[int, int, int, int]] = []  # (date ordinal, client index, amount in roubles, paid ordinal)
        as_of_ordinal = self.as_of.toordinal()
        for index, (_id, owner_id, profile, level, _preferred, _since) in enumerate(self.clients):
            if owner_id is None:
                continue
            for month in self.purchase_months(profile):
                start = self.month_starts[month]
                days = calendar.monthrange(start.year, start.month)[1]
                last_day = min(start.toordinal() + days - 1, as_of_ordinal - 1)
                for _ in range(1 + (self.rng.random() < 0.3) + (self.rng.random() < 0.1)):
                    day = self.rng.randint(start.toordinal(), last_day)
                    amount = max(500, int(level * self.rng.uniform(0.4, 1.6)))
                    recent = as_of_ordinal - day < 45
                    paid = day + self.rng.randint(0, 40) if self.rng.random() < (0.55 if recent else 0.97) else 0
                    documents.append((day, index, amount, paid if paid < as_of_ordinal else 0))
        documents.sort()
        mean_lines = self.target_lines / len(documents) if self.target_lines and documents else 3.0
        self.progress(f"sales: {len(documents)} documents, ~{int(mean_lines * len(documents))} lines")
        table = Table(SaleLine, batch=50_000)
        stamp_cache: dict[int, datetime] = {}
        for number, (day, index, amount, paid) in enumerate(documents, start=1):
            client_id, owner_id, _profile, _level, preferred, _since = self.clients[index]
            n_lines = max(1, int(self.rng.uniform(0.4, 1.6) * mean_lines + 0.5))
            budget = amount * 100 // n_lines
            sold_on = date.fromordinal(day)
            paid_on = date.fromordinal(paid) if paid else None
            stamp = stamp_cache.get(day)
            if stamp is None:
                stamp = stamp_cache[day] = datetime.combine(sold_on, time(18, 0), self.tz)
            document = f"{SALES_DOCUMENT_PREFIX}{number:08d}"
            for line_no in range(1, n_lines + 1):
                category = preferred[0] if self.rng.random() < 0.6 else self.rng.choice(preferred)
                product_id, price = self.rng.choice(self.products_by_category[category])
                quantity = max(1, round(budget / price))
                line_amount = price * quantity * (100 - self.rng.randint(0, 10)) // 100
                table.add(
                    {
                        "id": table.new_id(),
                        "date": sold_on,
                        "document_number": document,
                        "line_no": line_no,
                        "client_id": client_id,
                        "product_id": product_id,
                        "quantity": quantity,
                        "amount": money(line_amount),
                        "margin": money(line_amount * self.rng.randint(10, 35) // 100),
                        "is_paid": paid_on is not None,
                        "paid_date": paid_on,
                        "manager_id": owner_id,
                        "import_job_id": None,
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                )
            if number % 100_000 == 0:
                self.progress(f"sales: {number} documents written")
        table.flush()
        self.result.sale_lines = table.count
