"""The contests' rules (issue 13 "Contests"; seed 003 #21-22), numbers in, numbers out.

- status: before its first day a contest is planned ("draft"), from the first to the last day running, after the
  last day finished;
- a participant's result is `achieved / quota x 100 %` of his own quota; the leaderboard ranks by that percent,
  a tie by the achieved value (more is better), then by name, so every position is one person;
- a participant with no quota (0 or none) has no percent ("нет квоты"): he ranks after everyone who has one, among
  themselves by the achieved value, then by name;
- the quota of a "% of plan" contest, when the head leaves it empty, is the participant's monthly plans for the
  period, each month's target taken for the share of its calendar days the period covers (a contest of the whole
  month takes the whole plan; of its first half, about half).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0")
CENT = Decimal("0.01")


class Metric(models.TextChoices):
    PLAN = "plan", _("Plan fulfilment")
    NEW_CLIENTS = "new_clients", _("New clients")
    PAID_SALES = "paid_sales", _("Paid sales")
    QUESTIONNAIRES = "questionnaires", _("VIP questionnaires")


MONEY_METRICS = (Metric.PLAN, Metric.PAID_SALES)


class Status(models.TextChoices):
    DRAFT = "draft", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


def contest_status(*, start: date, end: date, as_of: date) -> Status:
    if as_of < start:
        return Status.DRAFT
    if as_of <= end:
        return Status.RUNNING
    return Status.FINISHED


def percent_of(achieved: Decimal, quota: Decimal | None) -> Decimal | None:
    """achieved / quota x 100, to 0.01; None without a quota."""
    if not quota:
        return None
    return (Decimal(achieved) * 100 / Decimal(quota)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Entry:
    key: int  # the participant's user id
    name: str
    achieved: Decimal
    quota: Decimal | None


@dataclass(frozen=True)
class Ranked:
    position: int
    entry: Entry
    percent: Decimal | None

    @property
    def key(self) -> int:
        return self.entry.key


def rank(entries: Iterable[Entry]) -> list[Ranked]:
    """The leaderboard: by % of the own quota (down), then achieved (down), then name; no quota last."""
    scored = [(entry, percent_of(entry.achieved, entry.quota)) for entry in entries]
    scored.sort(
        key=lambda pair: (
            pair[1] is None,
            -(pair[1] or ZERO),
            -Decimal(pair[0].achieved),
            pair[0].name.casefold(),
            pair[0].key,
        )
    )
    return [Ranked(position=i, entry=entry, percent=percent) for i, (entry, percent) in enumerate(scored, start=1)]


def months_of(start: date, end: date) -> list[date]:
    """The first days of the months the period touches."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def plan_quota(*, start: date, end: date, targets: Mapping[date, Decimal]) -> Decimal | None:
    """The plans' share for the period: each month's target x the period's days in that month / the month's days.
    None when no month of the period has a plan."""
    if not any(month in targets for month in months_of(start, end)):
        return None
    total = ZERO
    for month in months_of(start, end):
        target = targets.get(month)
        if target is None:
            continue
        days_in_month = calendar.monthrange(month.year, month.month)[1]
        last = month.replace(day=days_in_month)
        covered = (min(end, last) - max(start, month)).days + 1
        total += Decimal(target) * covered / days_in_month
    return total.quantize(CENT, rounding=ROUND_HALF_UP)
