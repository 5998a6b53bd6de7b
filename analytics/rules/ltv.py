"""LTV = S x C x P x t (DOMAIN.md section 7, seed 003 #9), pure: numbers in, numbers out.

- S, the average check: revenue / purchases, a purchase being one sales document (реализация) of the history;
- C, purchases a month: purchases / client-months of lifetime (every month of each client's lifetime counts, with
  or without a purchase, so C x t is the purchases of an average client);
- P, profitability: margin / revenue of the lines whose margin is known; the setting when no line has one;
- t, the average lifetime in months: per client from the month of its first purchase to the month of its last one,
  both counted, or to the month of `as_of` while the client is active (it bought within the lost-client months).

So S x C x t = revenue / clients, and LTV = P x the average client's revenue over its lifetime: the page's numbers
can be checked by hand either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def lifetime_months(first: date, last: date, *, as_of: date, active: bool) -> int:
    """Months from the first purchase's month to the last one's (both counted), or to `as_of`'s month if active."""
    end = as_of if active else last
    return max(1, month_index(end) - month_index(first) + 1)


def is_active(last: date, *, quiet_since: date) -> bool:
    """Still a client: it bought on or after the first day of the lost-client window (crm/rules/clients.py)."""
    return last >= quiet_since


@dataclass(frozen=True)
class LtvFactors:
    clients: int
    purchases: int
    revenue: Decimal
    client_months: int
    margin: Decimal  # of the lines whose margin is known
    margin_revenue: Decimal  # the revenue of those lines
    default_profitability: Decimal  # %, the setting

    @property
    def average_check(self) -> Decimal:
        """S, roubles."""
        return (self.revenue / self.purchases).quantize(CENT, ROUND_HALF_UP) if self.purchases else Decimal("0")

    @property
    def purchases_per_month(self) -> Decimal:
        """C."""
        if not self.client_months:
            return Decimal("0")
        return (Decimal(self.purchases) / self.client_months).quantize(Decimal("0.001"), ROUND_HALF_UP)

    @property
    def margin_known(self) -> bool:
        return self.margin_revenue > 0

    @property
    def profitability(self) -> Decimal:
        """P, a share of the check in per cent (2 decimals)."""
        if not self.margin_known:
            return Decimal(self.default_profitability)
        return (self.margin * 100 / self.margin_revenue).quantize(CENT, ROUND_HALF_UP)

    @property
    def lifetime(self) -> Decimal:
        """t, months (1 decimal)."""
        if not self.clients:
            return Decimal("0")
        return (Decimal(self.client_months) / self.clients).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def ltv(self) -> Decimal:
        """S x C x P x t computed from the unrounded ratios: margin share x revenue / clients, to the kopeck."""
        if not self.clients or not self.purchases:
            return Decimal("0")
        share = (self.margin / self.margin_revenue) if self.margin_known else Decimal(self.default_profitability) / 100
        return (share * self.revenue / self.clients).quantize(CENT, ROUND_HALF_UP)


def factors_sum(rows: list[LtvFactors], *, default_profitability: Decimal) -> LtvFactors:
    """The factors of a group made of the rows' sums (a segment from its clients, the total from the segments)."""
    return LtvFactors(
        clients=sum(r.clients for r in rows),
        purchases=sum(r.purchases for r in rows),
        revenue=sum((r.revenue for r in rows), Decimal("0")),
        client_months=sum(r.client_months for r in rows),
        margin=sum((r.margin for r in rows), Decimal("0")),
        margin_revenue=sum((r.margin_revenue for r in rows), Decimal("0")),
        default_profitability=default_profitability,
    )
