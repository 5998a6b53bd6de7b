"""What the demo department needs for the analytics pages at first login, written through the crm services:

- the yearly purchases per category of the biggest buyers, as their managers typed them on the client card (share of
  wallet: the VIP questionnaires of the demo record none);
- why the free win-backs on this month's long lists did not come back, as the managers noted on their calls (the
  reasons of the lost-clients page besides the deals' loss reasons).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from crm.models import Client, ClientCategoryPurchase, LongListEntry, ProductCategory, SaleLine
from crm.selectors.wallet import sales_window
from crm.services.wallet import client_category_purchase_record

CARD_CLIENTS = 80
WIN_BACK_REASONS = (
    "Ушли к конкуренту: дешевле на 7-10 %",
    "Сменился снабженец, работает со своими поставщиками",
    "Не устроили сроки поставки",
    "Была рекламация по качеству, осадок остался",
    "Закрыли направление, закупок нет",
    "Нет бюджета до следующего года",
    "Перешли на прямые поставки от производителя",
)


def analytics_seed(*, as_of: date, seed: int = 42) -> dict[str, int]:
    rng = random.Random(seed)
    start, end = sales_window(as_of)
    # The biggest (client, category) pairs of the 12 months, at most two categories per client.
    pairs = (
        SaleLine.objects.filter(
            date__gte=start, date__lt=end, product__category__isnull=False, client__owner__isnull=False
        )
        .values("client_id", "product__category_id")
        .annotate(total=Sum("amount"))
        .order_by("-total")[: CARD_CLIENTS * 4]
    )
    chosen: dict[int, list[tuple[int, Decimal]]] = {}
    for row in pairs:
        if row["client_id"] not in chosen and len(chosen) >= CARD_CLIENTS:
            continue
        picked = chosen.setdefault(row["client_id"], [])
        if len(picked) < 2:
            picked.append((row["product__category_id"], row["total"]))
    clients = Client.objects.select_related("owner").in_bulk(list(chosen))
    categories = ProductCategory.objects.in_bulk({cid for items in chosen.values() for cid, _t in items})
    figures = 0
    for client_id, items in chosen.items():
        client = clients[client_id]
        if client.owner is None:
            continue
        for category_id, ours in items:
            share = Decimal(rng.randint(15, 85)) / 100
            yearly = (ours / share).quantize(Decimal("1000"), ROUND_HALF_UP)
            client_category_purchase_record(
                client=client,
                category=categories[category_id],
                yearly_amount=yearly,
                recorded_on=as_of - timedelta(days=rng.randint(1, 150)),
                source=ClientCategoryPurchase.Source.CARD,
                by=client.owner,
            )
            figures += 1
    # As the crm generator does for speed, set-based: one UPDATE per reason (the service would take ~35 ms an entry).
    by_reason: dict[str, list[int]] = {}
    for pk in (
        LongListEntry.objects.filter(
            reason__in=(LongListEntry.Reason.WIN_BACK, LongListEntry.Reason.FORMER_BUYER), reasons_not_bought=""
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        if rng.random() < 0.55:
            by_reason.setdefault(rng.choice(WIN_BACK_REASONS), []).append(pk)
    reasons = 0
    for text, ids in by_reason.items():
        reasons += LongListEntry.objects.filter(pk__in=ids).update(reasons_not_bought=text, interested=False)
    return {"card_figures": figures, "win_back_reasons": reasons}
