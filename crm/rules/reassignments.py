"""The 3-month rule (DOMAIN.md section 3) as plain date arithmetic: when a client's clock runs out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from core.calendar import add_months


def rule_date(owned_since: date, months: int) -> date:
    """The day the rule catches a client owned since `owned_since` without a concluded deal."""
    return add_months(owned_since, months)


def latest_owned_since(as_of: date, months: int) -> date:
    """The latest `owned_since` whose rule date is on or before `as_of`: a plain index range for the database.

    `add_months` is monotone, so the clients the rule catches are exactly those owned since this day or earlier;
    at a month's end several start days share one rule date (30 and 31 November both reach 28 February).
    """
    cutoff = add_months(as_of, -months)
    while rule_date(cutoff + timedelta(days=1), months) <= as_of:
        cutoff += timedelta(days=1)
    return cutoff


def is_caught(*, owned_since: date | None, concluded_on: Iterable[date], as_of: date, months: int) -> bool:
    """Whether the rule flags an owned client on `as_of`: its clock ran out and nothing was concluded since the
    ownership began. `concluded_on` are the days of its sales and of its deals' moves past `contract`; those
    before `owned_since` were concluded under an earlier ownership and do not count."""
    if owned_since is None or any(owned_since <= day <= as_of for day in concluded_on):
        return False
    return rule_date(owned_since, months) <= as_of
