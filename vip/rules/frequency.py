"""How often each programme client is met, by Pareto (DOMAIN.md section 6, seed 002): pure functions.

From each client's revenue over the 12 full months before the as-of month, sorted by revenue (largest first):

- **key** clients are those that make the first 80 % (`share`) of the programme's revenue. The client whose revenue
  *crosses* 80 % is key: a client is key when the cumulative share of the clients before it is below 80 %. So the
  key clients always cover at least 80 % of the revenue, and one client with 90 % of it is key alone.
- the **most valuable** of them (the top N clients, or the top X % of the programme's clients rounded up, whichever
  the settings give) are met monthly; they are always key clients too (never more than the key clients);
- the other key clients quarterly; every other client at least yearly.

A client with no revenue is never key. Ties keep the order the caller gives (the service sorts by client id).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar

from core.calendar import add_months, month_shift

K = TypeVar("K", bound=Hashable)

MONTHLY, QUARTERLY, YEARLY = "monthly", "quarterly", "yearly"
# Months between two meetings of a tier.
INTERVAL_MONTHS = {MONTHLY: 1, QUARTERLY: 3, YEARLY: 12}


def revenue_window(as_of: date) -> tuple[date, date]:
    """The 12 full months before `as_of`'s month: the first day of the first and the last day of the last."""
    start = month_shift(as_of, -12)
    end = month_shift(as_of, 0)
    return start, date.fromordinal(end.toordinal() - 1)


def monthly_count(clients: int, *, top_n: int = 0, top_percent: Decimal | int = 0) -> int:
    """How many clients the "most valuable" setting means: `top_n` when set (above 0), else `top_percent` of the
    programme's clients rounded up."""
    if top_n > 0:
        return top_n
    if top_percent and clients:
        return math.ceil(Decimal(clients) * Decimal(top_percent) / 100)
    return 0


def pareto_tiers(
    revenues: Sequence[tuple[K, Decimal]],
    *,
    share: Decimal | int = 80,
    top_n: int = 0,
    top_percent: Decimal | int = 0,
) -> dict[K, str]:
    """Each key's tier from its 12-month revenue; `share` is the key clients' share of revenue in percent."""
    ordered = sorted(revenues, key=lambda item: -item[1])  # stable: ties keep the caller's order
    total = sum((amount for _key, amount in ordered if amount > 0), Decimal(0))
    tiers = {key: YEARLY for key, _amount in ordered}
    if total <= 0:
        return tiers
    boundary = total * Decimal(share) / 100
    before = Decimal(0)
    key_clients: list[K] = []
    for key, amount in ordered:
        if amount <= 0 or before >= boundary:
            break
        key_clients.append(key)
        before += amount
    most_valuable = min(monthly_count(len(ordered), top_n=top_n, top_percent=top_percent), len(key_clients))
    for position, key in enumerate(key_clients):
        tiers[key] = MONTHLY if position < most_valuable else QUARTERLY
    return tiers


def next_due(tier: str, last_met: date | None, as_of: date) -> date:
    """The date the next meeting is due: the last complete meeting plus the tier's interval; never met: `as_of`."""
    if last_met is None:
        return as_of
    return add_months(last_met, INTERVAL_MONTHS[tier])


def is_overdue(due: date | None, as_of: date) -> bool:
    """A meeting is overdue the day after its due date."""
    return due is not None and due < as_of
