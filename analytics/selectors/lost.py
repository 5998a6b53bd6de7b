"""Lost clients per month over the last 12 months, by direction (the product category the client bought most, its
segment) and by reason (the loss reason of its latest lost deal, else the reason recorded on a win-back attempt),
with the list (analytics/rules/lost.py). Five queries whatever the rows, all through analytics/selectors/scope.py."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Max, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.rules.lost import loss_months, reason_label, trend
from analytics.selectors.headlines import Headline
from analytics.selectors.scope import deals_in_scope, lost_clients_in_scope, lost_sale_lines_in_scope, sees_analytics
from core.calendar import month_end
from crm.models import Client, DepartmentSettings, LongListEntry, OwnershipChange, SaleLine, User
from crm.rules.stages import Stage

MONTHS = 12


def _index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class LostClient:
    client_id: int
    name: str
    segment: str
    lost_month: date
    last_purchase: date
    category: str  # the direction: the category it bought most in the 12 months up to its last purchase
    turnover: Decimal  # its sales in those 12 months
    reason: str
    reason_source: str  # "deal", "win_back" or ""
    won_back: bool


@dataclass
class Breakdown:
    """One row of a table: a reason, category or segment, its count per month and in all."""

    label: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class LostReport:
    as_of: date
    lost_after_months: int
    months: list[date]
    counts: list[int]
    clients: list[LostClient] = field(default_factory=list)
    by_reason: list[Breakdown] = field(default_factory=list)
    by_category: list[Breakdown] = field(default_factory=list)
    by_segment: list[Breakdown] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def trend(self) -> Decimal:
        return trend(self.counts)

    @property
    def this_month(self) -> int:
        return self.counts[-1] if self.counts else 0

    @property
    def last_month(self) -> int:
        return self.counts[-2] if len(self.counts) > 1 else 0

    @property
    def won_back(self) -> int:
        return sum(1 for c in self.clients if c.won_back)


def _breakdown(clients: list[LostClient], key: str, first: int) -> list[Breakdown]:
    rows: dict[str, list[int]] = defaultdict(lambda: [0] * MONTHS)
    for client in clients:
        rows[getattr(client, key)][_index(client.lost_month) - first] += 1
    return sorted((Breakdown(label, counts) for label, counts in rows.items()), key=lambda b: (-b.total, b.label))


def _loss_events(
    lines: QuerySet[SaleLine], *, months: int, first: int, last: int
) -> tuple[dict[int, set[int]], list[tuple[int, int, int]]]:
    """1. The months each client bought in, from the month whose loss would fall first in the window, and the
    losses they make: (client, loss month, last purchase month)."""
    since = _month(first - months - 1)
    bought: dict[int, set[int]] = defaultdict(set)
    for client_id, year, month in (
        lines.filter(date__gte=since)
        .order_by()
        .values_list("client_id", ExtractYear("date"), ExtractMonth("date"))
        .distinct()
    ):
        bought[client_id].add(year * 12 + month - 1)
    events: list[tuple[int, int, int]] = []
    for client_id, purchase_months in bought.items():
        for lost_in in loss_months(purchase_months, months=months, first=first, last=last):
            events.append((client_id, lost_in, lost_in - months - 1))
    return bought, events


def lost_counts(*, user: User, as_of: date) -> list[int]:
    """The number of clients lost in each of the 12 months up to `as_of`'s month: the report's `counts` without
    its list, computed in the database (one query whatever the clients; `loss_months` is the same rule in Python):
    each month a client bought in is followed by its next one (LEAD); a gap of `months` months or more after it
    is a loss in the month after the gap."""
    months = DepartmentSettings.current().new_client_after_months
    last = _index(as_of)
    first = last - MONTHS + 1
    counts = [0] * MONTHS
    bought = (
        lost_sale_lines_in_scope(user)
        .filter(date__lte=as_of, date__gte=_month(first - months - 1))
        .filter(client_id__in=lost_clients_in_scope(user).values("id"))
        .annotate(month_index=ExtractYear("date") * 12 + ExtractMonth("date") - 1)
        .order_by()
        .values_list("client_id", "month_index")
        .distinct()
    )
    inner, params = bought.query.sql_with_params()
    sql = (
        "SELECT lost_in, COUNT(*) FROM ("
        " SELECT month_index + %s AS lost_in,"
        " LEAD(month_index) OVER (PARTITION BY client_id ORDER BY month_index) AS following"
        f" FROM ({inner}) bought"
        ") losses WHERE lost_in >= %s AND lost_in <= %s AND (following IS NULL OR following >= lost_in)"
        " GROUP BY lost_in"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [months + 1, *params, first, last])
        for lost_in, n in cursor.fetchall():
            counts[int(lost_in) - first] = n
    return counts


COUNTS_CACHE_SECONDS = 15 * 60


def lost_counts_cached(*, user: User, as_of: date) -> list[int]:
    """`lost_counts`, kept in the cache for the dashboard's headline: the counts read every sales line of 17 months
    (seconds at 3 000 000 lines), while they change only when sales, clients or owners do. The key carries the
    newest sale line, ownership change and client edit, so any of those makes a new figure at once."""
    stamp = (
        SaleLine.objects.aggregate(n=Max("id"))["n"],
        OwnershipChange.objects.aggregate(n=Max("id"))["n"],
        Client.objects.aggregate(at=Max("updated_at"))["at"],
        DepartmentSettings.current().new_client_after_months,
    )
    key = "analytics:lost-counts:" + hashlib.sha256(repr((user.pk, as_of, *stamp)).encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = lost_counts(user=user, as_of=as_of)
        cache.set(key, counts, timeout=COUNTS_CACHE_SECONDS)
    return list(counts)


def lost_report(*, user: User, as_of: date) -> LostReport:
    """The clients lost in each of the 12 months up to `as_of`'s month (that month included)."""
    months = DepartmentSettings.current().new_client_after_months
    last = _index(as_of)
    first = last - MONTHS + 1
    report = LostReport(
        as_of=as_of,
        lost_after_months=months,
        months=[_month(i) for i in range(first, last + 1)],
        counts=[0] * MONTHS,
    )
    lines = lost_sale_lines_in_scope(user).filter(date__lte=as_of)
    bought, events = _loss_events(lines, months=months, first=first, last=last)
    ids = {client_id for client_id, _lost, _last in events}
    if not ids:
        return report
    # 2. The clients, with their segment.
    clients = {
        row["id"]: row for row in lost_clients_in_scope(user).filter(id__in=ids).values("id", "name", "segment__name")
    }
    # 3. Their sales per category and month, for the direction and the turnover before the loss.
    history: dict[int, list[tuple[int, str, Decimal]]] = defaultdict(list)
    last_day: dict[tuple[int, int], date] = {}
    for client_id, year, month, category, amount, latest in (
        lines.filter(client_id__in=ids, date__gte=_month(first - months - 12))
        .order_by()
        .values("client_id", "product__category__name", y=ExtractYear("date"), m=ExtractMonth("date"))
        .annotate(total=Sum("amount"), latest=Max("date"))
        .values_list("client_id", "y", "m", "product__category__name", "total", "latest")
    ):
        index = year * 12 + month - 1
        history[client_id].append((index, category or _("No category"), amount or Decimal("0")))
        key = (client_id, index)
        last_day[key] = max(last_day.get(key, latest), latest)
    # 4. The latest lost deal of each client, and 5. the reasons recorded on win-back attempts.
    deals: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for client_id, closed_at, reason in (
        deals_in_scope(user)
        .filter(client_id__in=ids, stage=Stage.LOST, closed_at__isnull=False)
        .order_by("closed_at", "id")
        .values_list("client_id", "closed_at", "lost_reason__name")
    ):
        if closed_at is not None:
            deals[client_id].append((timezone.localdate(closed_at), reason or ""))
    win_back: dict[int, str] = {}
    for client_id, text in (
        LongListEntry.objects.filter(client_id__in=ids)
        .exclude(reasons_not_bought="")
        .order_by("long_list__month", "id")
        .values_list("client_id", "reasons_not_bought")
    ):
        win_back[client_id] = reason_label(text)
    for client_id, lost_in, last_bought in sorted(events, key=lambda e: (e[1], e[0])):
        client = clients.get(client_id)
        if client is None:
            continue
        per_category: dict[str, Decimal] = defaultdict(Decimal)
        for index, category, amount in history[client_id]:
            if last_bought - 11 <= index <= last_bought:
                per_category[category] += amount
        direction = max(per_category.items(), key=lambda kv: (kv[1], kv[0]))[0] if per_category else _("No category")
        window_start, window_end = _month(last_bought - 11), month_end(_month(lost_in))
        deal_reasons = [r for closed, r in deals[client_id] if window_start <= closed <= window_end and r]
        if deal_reasons:
            reason, source = deal_reasons[-1], "deal"
        elif win_back.get(client_id):
            reason, source = win_back[client_id], "win_back"
        else:
            reason, source = _("No reason recorded"), ""
        report.clients.append(
            LostClient(
                client_id=client_id,
                name=client["name"],
                segment=client["segment__name"] or _("No segment"),
                lost_month=_month(lost_in),
                last_purchase=last_day.get((client_id, last_bought), _month(last_bought)),
                category=direction,
                turnover=sum(per_category.values(), Decimal("0")),
                reason=reason,
                reason_source=source,
                won_back=any(index >= lost_in for index in bought[client_id]),
            )
        )
        report.counts[lost_in - first] += 1
    report.by_reason = _breakdown(report.clients, "reason", first)
    report.by_category = _breakdown(report.clients, "category", first)
    report.by_segment = _breakdown(report.clients, "segment", first)
    return report


def lost_headline(user: User, as_of: date) -> Headline | None:
    """Lost clients this month against last month, for the head's dashboard."""
    if not sees_analytics(user):
        return None
    # The counts only: the headline needs neither the list nor the breakdowns (the report page has them).
    report = LostReport(as_of=as_of, lost_after_months=0, months=[], counts=lost_counts_cached(user=user, as_of=as_of))
    this, before = report.this_month, report.last_month
    return Headline(
        key="lost",
        title=_("Lost clients this month"),
        value=str(this),
        detail=_("%(this)s this month against %(before)s last month; %(total)s in 12 months, trend %(trend)s a month")
        % {"this": this, "before": before, "total": report.total, "trend": report.trend},
        url=reverse("analytics_lost") + f"?as_of={as_of:%Y-%m-%d}",
        tone="bad" if this > before else ("good" if this < before else ""),
        order=60,
    )
