"""The stock requests as the head reads them: one group per item asked for (a product, a category or an item named
in words, in one unit), each with its total and the clients who asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Lower

from crm.models import Client, Product, ProductCategory, StockRequest

GROUP_KEYS = ("product_id", "category_id", "item_key", "unit")


@dataclass
class StockGroup:
    """One item asked for, in one unit: the total quantity, how many requests and clients, and the requests."""

    product: Product | None
    category: ProductCategory | None
    item_name: str
    unit: str
    label: str
    total: Decimal
    requests: int
    clients: int
    pending: int
    rows: list[StockRequest] = field(default_factory=list)


def stock_request_rows(requests: QuerySet[StockRequest]) -> QuerySet[StockRequest]:
    """Requests with what every list and export of them shows, in one query."""
    return requests.select_related(
        "client", "client__owner", "product", "product__category", "category", "requested_by", "answered_by"
    ).annotate(item_key=Lower("item_name"))


def stock_export_rows(requests: QuerySet[StockRequest]) -> QuerySet[StockRequest]:
    """The requests one row each, in the order of the grouped list: by item, unit, then client."""
    return stock_request_rows(requests).order_by(
        Lower(Coalesce("product__name", "category__name", "item_name")), "unit", Lower("client__name"), "id"
    )


def _groups(requests: QuerySet[StockRequest]) -> QuerySet[Any]:
    return (
        requests.annotate(item_key=Lower("item_name"))
        .values(*GROUP_KEYS)
        .annotate(
            label=Min(Coalesce(F("product__name"), F("category__name"), F("item_name"))),
            total=Sum("quantity"),
            requests=Count("id"),
            clients=Count("client_id", distinct=True),
            pending=Count("id", filter=Q(status=StockRequest.Status.PENDING)),
            latest=Max("created_at"),
        )
        .order_by(Lower("label"), *GROUP_KEYS)
    )


def _key(values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(values[name] for name in GROUP_KEYS)


def stock_groups(*, requests: QuerySet[StockRequest], per_page: int, page: Any = None) -> tuple[Page, list[StockGroup]]:
    """A page of groups of `requests` (already filtered by `visible_to`), each with its requests, client by client:
    three queries whatever the number of rows (the count, the groups, their requests)."""
    paginator = Paginator(_groups(requests), per_page)
    groups_page = paginator.get_page(page)
    found = list(groups_page.object_list)
    if not found:
        return groups_page, []
    condition = reduce(
        or_,
        (
            Q(product_id=g["product_id"], category_id=g["category_id"], item_key=g["item_key"], unit=g["unit"])
            for g in found
        ),
    )
    rows = list(
        stock_request_rows(requests)
        .filter(condition)
        .order_by(Lower("client__name"), "client_id", "-created_at", "-id")
    )
    by_key: dict[tuple[Any, ...], StockGroup] = {}
    for values in found:
        by_key[_key(values)] = StockGroup(
            product=None,
            category=None,
            item_name="",
            unit=values["unit"],
            label=values["label"] or "",
            total=values["total"] or Decimal("0"),
            requests=values["requests"],
            clients=values["clients"],
            pending=values["pending"],
        )
    for row in rows:
        group = by_key[(row.product_id, row.category_id, row.item_key, row.unit)]  # type: ignore[attr-defined]
        if not group.rows:
            group.product, group.category, group.item_name = row.product, row.category, row.item_name
        group.rows.append(row)
    return groups_page, list(by_key.values())


def client_stock_requests(*, client: Client, requests: QuerySet[StockRequest], limit: int = 20) -> list[StockRequest]:
    """The client's latest requests (of those the user may see) for its card."""
    return list(
        requests.filter(client=client)
        .select_related("product", "category", "requested_by", "answered_by")
        .order_by("-created_at", "-id")[:limit]
    )
