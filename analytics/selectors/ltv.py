"""LTV per segment, manager and cohort of first purchase (analytics/rules/ltv.py): one query aggregates the sales
history per client (through analytics/selectors/scope.py), the groups are summed from those rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils.translation import gettext as _

from analytics.models import AnalyticsSettings, LtvClient
from analytics.rules.ltv import LtvFactors, factors_sum, is_active, lifetime_months
from analytics.selectors.scope import clients_in_scope, sale_lines_in_scope
from core.calendar import month_start
from crm.models import DepartmentSettings, User
from crm.rules.clients import quiet_since

DIMENSIONS = ("segment", "manager", "cohort")


@dataclass(frozen=True)
class LtvRow:
    key: str  # a segment's or manager's id, a cohort's "YYYY-MM"; "" for none
    label: str
    factors: LtvFactors


@dataclass
class LtvReport:
    as_of: date
    default_profitability: Decimal
    lost_after_months: int
    total: LtvFactors
    stored: bool = False  # read from the nightly's rows of `as_of` (analytics/nightly.py), else from the history
    groups: dict[str, list[LtvRow]] = field(default_factory=dict)


def _person(first: str | None, last: str | None, username: str | None) -> str:
    name = f"{last or ''} {first or ''}".strip()
    return name or username or ""


def ltv_report(*, user: User, as_of: date) -> LtvReport:
    """The factors per segment, manager (the client's owner today) and cohort (the month of the first purchase), and
    the total, from the sales history up to `as_of` the user sees: the nightly's rows of that day when it ran
    (analytics/nightly.py), else one aggregate query of the history. At most four queries."""
    default_p = AnalyticsSettings.current().default_profitability
    months = DepartmentSettings.current().new_client_after_months
    since = quiet_since(as_of, months)
    person = (
        "client_id",
        "client__segment_id",
        "client__segment__name",
        "client__owner_id",
        "client__owner__first_name",
        "client__owner__last_name",
        "client__owner__username",
    )
    nightly = LtvClient.objects.filter(as_of=as_of)
    stored = nightly.exists()
    rows: Iterable[dict[str, Any]]
    if stored:
        # The nightly's rows of the clients in scope (the same clients whose lines scope.py gives the user).
        rows = (
            nightly.filter(client__in=clients_in_scope(user).values("id"))
            .order_by()
            .values(
                *person,
                revenue_sum=F("revenue"),
                purchases_n=F("purchases"),
                first_on=F("first_purchase"),
                last_on=F("last_purchase"),
                margin_sum=F("margin"),
                margin_revenue_sum=F("margin_revenue"),
            )
        )
    else:
        rows = (
            sale_lines_in_scope(user)
            .filter(date__lte=as_of)
            .order_by()
            .values(*person)
            .annotate(
                revenue_sum=Sum("amount"),
                purchases_n=Count("document_number", distinct=True),
                first_on=Min("date"),
                last_on=Max("date"),
                margin_sum=Sum("margin", filter=Q(margin__isnull=False)),
                margin_revenue_sum=Sum("amount", filter=Q(margin__isnull=False)),
            )
        )
    buckets: dict[str, dict[str, list[LtvFactors]]] = {d: defaultdict(list) for d in DIMENSIONS}
    labels: dict[str, dict[str, str]] = {d: {} for d in DIMENSIONS}
    clients: list[LtvFactors] = []
    for row in rows:
        factors = LtvFactors(
            clients=1,
            purchases=row["purchases_n"],
            revenue=row["revenue_sum"] or Decimal("0"),
            client_months=lifetime_months(
                row["first_on"], row["last_on"], as_of=as_of, active=is_active(row["last_on"], quiet_since=since)
            ),
            margin=row["margin_sum"] or Decimal("0"),
            margin_revenue=row["margin_revenue_sum"] or Decimal("0"),
            default_profitability=default_p,
        )
        clients.append(factors)
        segment = str(row["client__segment_id"] or "")
        manager = str(row["client__owner_id"] or "")
        cohort = f"{month_start(row['first_on']):%Y-%m}"
        labels["segment"][segment] = row["client__segment__name"] or _("No segment")
        labels["manager"][manager] = _person(
            row["client__owner__first_name"], row["client__owner__last_name"], row["client__owner__username"]
        ) or _("No owner (free)")
        labels["cohort"][cohort] = f"{month_start(row['first_on']):%m.%Y}"
        for dimension, key in (("segment", segment), ("manager", manager), ("cohort", cohort)):
            buckets[dimension][key].append(factors)
    report = LtvReport(
        as_of=as_of,
        default_profitability=default_p,
        lost_after_months=months,
        total=factors_sum(clients, default_profitability=default_p),
        stored=stored,
    )
    for dimension in DIMENSIONS:
        group = [
            LtvRow(key, labels[dimension][key], factors_sum(members, default_profitability=default_p))
            for key, members in buckets[dimension].items()
        ]
        if dimension == "cohort":
            group.sort(key=lambda r: r.key)
        else:
            group.sort(key=lambda r: (-r.factors.ltv, r.label))
        report.groups[dimension] = group
    return report
