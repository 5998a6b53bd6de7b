"""LTV = S x C x P x t (analytics/rules/ltv.py) with tables of numbers."""

from datetime import date
from decimal import Decimal

import pytest

from analytics.rules.ltv import LtvFactors, factors_sum, is_active, lifetime_months


@pytest.mark.parametrize(
    ("first", "last", "as_of", "active", "months"),
    [
        (date(2026, 1, 15), date(2026, 1, 20), date(2026, 6, 1), False, 1),  # one month, lost
        (date(2026, 1, 31), date(2026, 2, 1), date(2026, 6, 1), False, 2),  # both months count
        (date(2025, 11, 5), date(2026, 4, 10), date(2026, 6, 15), True, 8),  # active: to as_of's month
        (date(2025, 11, 5), date(2026, 4, 10), date(2026, 6, 15), False, 6),
        (date(2026, 6, 15), date(2026, 6, 15), date(2026, 6, 15), True, 1),
    ],
)
def test_lifetime_months(first, last, as_of, active, months):
    assert lifetime_months(first, last, as_of=as_of, active=active) == months


def test_a_client_is_active_while_it_bought_within_the_window():
    assert is_active(date(2026, 1, 1), quiet_since=date(2026, 1, 1)) is True
    assert is_active(date(2025, 12, 31), quiet_since=date(2026, 1, 1)) is False


def factors(clients, purchases, revenue, months, margin="0", margin_revenue="0", default="20"):
    return LtvFactors(
        clients=clients,
        purchases=purchases,
        revenue=Decimal(revenue),
        client_months=months,
        margin=Decimal(margin),
        margin_revenue=Decimal(margin_revenue),
        default_profitability=Decimal(default),
    )


@pytest.mark.parametrize(
    ("row", "s", "c", "p", "t", "ltv"),
    [
        # 2 clients, 10 documents for 1 000 000 over 20 client-months, margin 250 000 known on all of it:
        # S 100 000, C 0.5, P 25 %, t 10 -> 100 000 x 0.5 x 0.25 x 10 = 125 000 (= 25 % x 1 000 000 / 2).
        (factors(2, 10, "1000000", 20, "250000", "1000000"), "100000.00", "0.500", "25.00", "10.0", "125000.00"),
        # No margin in the history: P is the setting (20 %).
        (factors(1, 3, "90000", 6), "30000.00", "0.500", "20", "6.0", "18000.00"),
        # Margin known on half the revenue: its share (30 %) applies to all of it.
        (factors(3, 12, "600000", 18, "90000", "300000"), "50000.00", "0.667", "30.00", "6.0", "60000.00"),
        # Rounding: 3 documents for 100 ₽ -> S 33.33; LTV from the unrounded ratios.
        (factors(1, 3, "100", 7, "10", "100"), "33.33", "0.429", "10.00", "7.0", "10.00"),
        # Nobody bought.
        (factors(0, 0, "0", 0), "0", "0", "20", "0", "0"),
    ],
)
def test_the_factors(row, s, c, p, t, ltv):
    assert (row.average_check, row.purchases_per_month, row.profitability, row.lifetime, row.ltv) == (
        Decimal(s),
        Decimal(c),
        Decimal(p),
        Decimal(t),
        Decimal(ltv),
    )


def test_a_group_is_the_sum_of_its_clients():
    a = factors(1, 4, "400000", 12, "100000", "400000")
    b = factors(1, 1, "50000", 1)  # no margin known
    group = factors_sum([a, b], default_profitability=Decimal("20"))
    assert (group.clients, group.purchases, group.revenue, group.client_months) == (2, 5, Decimal("450000"), 13)
    # S 90 000, C 5/13, P 25 % (the known margin), t 6.5: LTV = 25 % x 450 000 / 2 = 56 250.
    assert group.average_check == Decimal("90000.00")
    assert group.profitability == Decimal("25.00")
    assert group.lifetime == Decimal("6.5")
    assert group.ltv == Decimal("56250.00")
