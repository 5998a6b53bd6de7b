"""Share of wallet (DOMAIN.md section 7, seed 003 #10): our 12-month sales to a client in a category / the client's
yearly purchases of the category (its current figure, crm/models/wallet.py), per client and per category.

Three queries whatever the rows: the current figures of the clients in scope, our sales of those (client, category)
pairs over the 12 full months before `as_of`'s month, and how many clients the user sees (the sample's base)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from analytics.selectors.scope import clients_in_scope, sale_lines_in_scope
from crm.models import ClientCategoryPurchase, User
from crm.rules.wallet import wallet_share
from crm.selectors.wallet import sales_window


@dataclass(frozen=True)
class WalletRow:
    client_id: int
    client: str
    category_id: int
    category: str
    ours: Decimal
    total: Decimal
    recorded_on: date
    source: str

    @property
    def share(self) -> int | None:
        return wallet_share(self.ours, self.total)


@dataclass(frozen=True)
class CategoryWallet:
    category_id: int
    category: str
    clients: int
    ours: Decimal
    total: Decimal

    @property
    def share(self) -> int | None:
        return wallet_share(self.ours, self.total)


@dataclass
class WalletReport:
    as_of: date
    start: date
    end: date  # exclusive
    clients_in_scope: int
    rows: list[WalletRow] = field(default_factory=list)
    categories: list[CategoryWallet] = field(default_factory=list)

    @property
    def clients_with_figure(self) -> int:
        return len({row.client_id for row in self.rows})

    @property
    def ours(self) -> Decimal:
        return sum((row.ours for row in self.rows), Decimal("0"))

    @property
    def total(self) -> Decimal:
        return sum((row.total for row in self.rows), Decimal("0"))

    @property
    def share(self) -> int | None:
        return wallet_share(self.ours, self.total)


def wallet_report(*, user: User, as_of: date, category_id: int | None = None) -> WalletReport:
    start, end = sales_window(as_of)
    scope = clients_in_scope(user)
    figures = (
        ClientCategoryPurchase.objects.current()
        .filter(client__in=scope.values("id"), recorded_on__lte=as_of)
        .select_related("client", "category")
        .order_by("client__name", "client_id", "category__name")
    )
    if category_id is not None:
        figures = figures.filter(category_id=category_id)
    figures_list = list(figures)
    client_ids = {f.client_id for f in figures_list}
    sales = (
        sale_lines_in_scope(user)
        .filter(client_id__in=client_ids, date__gte=start, date__lt=end, product__category__isnull=False)
        .order_by()
        .values("client_id", "product__category_id")
        .annotate(total=Sum("amount"))
        .values_list("client_id", "product__category_id", "total")
    )
    ours = {(client, category): total for client, category, total in sales} if client_ids else {}
    report = WalletReport(as_of=as_of, start=start, end=end, clients_in_scope=scope.count())
    for figure in figures_list:
        report.rows.append(
            WalletRow(
                client_id=figure.client_id,
                client=figure.client.name,
                category_id=figure.category_id,
                category=figure.category.name,
                ours=ours.get((figure.client_id, figure.category_id), Decimal("0")),
                total=figure.yearly_amount,
                recorded_on=figure.recorded_on,
                source=figure.get_source_display(),
            )
        )
    by_category: dict[int, list[WalletRow]] = defaultdict(list)
    for row in report.rows:
        by_category[row.category_id].append(row)
    report.categories = sorted(
        (
            CategoryWallet(
                category_id=cid,
                category=members[0].category,
                clients=len(members),
                ours=sum((m.ours for m in members), Decimal("0")),
                total=sum((m.total for m in members), Decimal("0")),
            )
            for cid, members in by_category.items()
        ),
        key=lambda c: c.category,
    )
    return report
