"""Reads of share of wallet: our 12-month sales per category, the client's current figures (crm/models/wallet.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from core.calendar import month_shift, month_start
from crm.models import Client, ClientCategoryPurchase, ProductCategory, SaleLine, User
from crm.rules.wallet import wallet_share


def sales_window(as_of: date) -> tuple[date, date]:
    """The 12 full calendar months before `as_of`'s month: for 15.06.2026, 01.06.2025 .. 31.05.2026 (end exclusive)."""
    return month_shift(as_of, -12), month_start(as_of)


def category_sales_12m(*, user: User, client: Client, as_of: date) -> dict[int, Decimal]:
    """Our sales to the client per product category over the 12 full months before `as_of` (one query); lines
    without a product or a category are left out. Read through `SaleLine.objects.visible_to(user)`."""
    start, end = sales_window(as_of)
    rows = (
        SaleLine.objects.visible_to(user)
        .filter(client=client, date__gte=start, date__lt=end, product__category__isnull=False)
        .values("product__category")
        .annotate(total=Sum("amount"))
        .values_list("product__category", "total")
    )
    return dict(rows)


def current_purchases(*, user: User, client: Client) -> dict[int, ClientCategoryPurchase]:
    """The current figure per category (the latest recording), by category id (one query): those the user sees
    through the client, and those he recorded himself (a VIP programme colleague who does not own the client sees
    the figures he typed in the questionnaire)."""
    visible = ClientCategoryPurchase.objects.visible_to(user).values("id")
    rows = (
        ClientCategoryPurchase.objects.current()
        .filter(client=client)
        .filter(Q(id__in=visible) | Q(recorded_by=user))
        .select_related("category", "recorded_by")
    )
    return {row.category_id: row for row in rows}


@dataclass
class WalletLine:
    category_id: int
    category: str
    ours: Decimal
    total: Decimal | None
    recorded: ClientCategoryPurchase | None

    @property
    def share(self) -> int | None:
        return wallet_share(self.ours, self.total)


@dataclass
class WalletPanel:
    """The client card's panel: the current figures and, for who may record one, the categories of the form."""

    lines: list[WalletLine]
    can_record: bool
    categories: list[ProductCategory]

    def __iter__(self) -> Iterator[WalletLine]:
        return iter(self.lines)


def client_wallet_panel(user: User, client: Client, today: date) -> WalletPanel | None:
    """The client card's panel: the current figures, latest per category, with our 12-month sales and the share,
    and the form to type a figure (source "card") for who works with the client (at most four queries); None hides
    the panel when nothing is recorded and the user may not record."""
    can_record = Client.objects.visible_to(user).filter(pk=client.pk).exists()
    current = current_purchases(user=user, client=client)
    if not current and not can_record:
        return None
    ours = category_sales_12m(user=user, client=client, as_of=today) if current else {}
    lines = [
        WalletLine(
            category_id=row.category_id,
            category=row.category.name,
            ours=ours.get(row.category_id, Decimal("0")),
            total=row.yearly_amount,
            recorded=row,
        )
        for row in current.values()
    ]
    categories = list(ProductCategory.objects.filter(is_active=True).order_by("name")) if can_record else []
    return WalletPanel(sorted(lines, key=lambda line: line.category), can_record, categories)
