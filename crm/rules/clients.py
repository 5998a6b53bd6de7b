"""Which clients are regular, new or lost (DOMAIN.md sections 3 and 4), as date arithmetic on calendar months.

The numbers are arguments, read by the callers from the department settings (their defaults: crm/rules/numbers.py):
the plan window and the regular-client months (section 4), the new- and lost-client months (section 3).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.calendar import month_shift
from crm.rules import numbers as N


def is_regular(months_with_purchases: int, *, min_months: int = N.REGULAR_MIN_MONTHS) -> bool:
    """Bought in at least `min_months` of the window's months."""
    return months_with_purchases >= min_months


def quiet_since(day: date, months: int) -> date:
    """The first day of the `months` full calendar months before `day`'s month: a client with no purchase on or
    after it is new (never bought, or not for `months` months) or, if it bought before, lost."""
    return month_shift(day, -months)


def is_new_client(last_purchase: date | None, *, day: date, months: int) -> bool:
    """Never bought, or bought nothing in the `months` full calendar months before `day`'s month nor since."""
    return last_purchase is None or last_purchase < quiet_since(day, months)


def is_worth_the_time(
    *, monthly: Decimal | None, yearly: Decimal | None, monthly_threshold: Decimal, yearly_threshold: Decimal
) -> bool | None:
    """A company is worth working when it can buy at least the monthly **or** the yearly threshold (DOMAIN.md
    section 3: 60 000 a month or 500 000 a year, either suffices); None while neither figure is known."""
    if monthly is None and yearly is None:
        return None
    return (monthly is not None and monthly >= monthly_threshold) or (yearly is not None and yearly >= yearly_threshold)
