"""Reads of new-client hunting: a long list with its call progress and short list, and cold calls against the norm.

Decisions:
- An entry is *called* when an outgoing, done call (by anyone) reached its client in the list's month. The nightly
  job stores the first such call in `called_at`; pages and the API read the stored time or, for calls made since
  the last night, compute it in the same query (`with_first_call`).
- A *cold call* is an outgoing, done call, owned by the manager, on that day, to a client that had never bought
  before that day (the `prospect` status, taken from the sales history so that it is right for any past day too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from core.calendar import month_shift, start_of_day
from crm.models import Activity, DepartmentSettings, LongList, LongListEntry, SaleLine, User
from crm.rules.clients import quiet_since


def month_calls(month: date, up_to: date | None = None) -> QuerySet[Activity]:
    """Outgoing done calls in `month` (up to the end of `up_to` if given), matched to an entry's client."""
    end = start_of_day(month_shift(month, 1))
    if up_to is not None:
        end = min(end, start_of_day(up_to + timedelta(days=1)))
    return Activity.objects.filter(
        client=OuterRef("client_id"),
        kind=Activity.Kind.CALL,
        direction=Activity.Direction.OUTGOING,
        done_at__gte=start_of_day(month),
        done_at__lt=end,
    )


def first_call(month: date, up_to: date | None = None) -> Subquery:
    calls = month_calls(month, up_to).order_by("done_at").values("done_at")[:1]
    return Subquery(calls, output_field=DateTimeField())


def with_first_call(entries: QuerySet[LongListEntry], month: date) -> QuerySet[LongListEntry]:
    """Entries with `first_call_at`: the stored call time, else the first outgoing call this month, in one query."""
    return entries.annotate(first_call_at=Coalesce(F("called_at"), first_call(month)))


def with_first_call_of_own_month(entries: QuerySet[LongListEntry]) -> QuerySet[LongListEntry]:
    """`first_call_at` for entries of lists of different months (the API): each in its own list's month."""
    calls = (
        Activity.objects.annotate(call_month=TruncMonth("done_at", output_field=DateField()))
        .filter(
            client=OuterRef("client_id"),
            kind=Activity.Kind.CALL,
            direction=Activity.Direction.OUTGOING,
            call_month=OuterRef("long_list__month"),
        )
        .order_by("done_at")
        .values("done_at")[:1]
    )
    return entries.annotate(first_call_at=Coalesce(F("called_at"), Subquery(calls, output_field=DateTimeField())))


def long_list_calls_refresh(*, month: date, up_to: date) -> int:
    """Store the first outgoing call of `month` on the month's entries not yet marked called; one UPDATE."""
    return (
        LongListEntry.objects.filter(long_list__month=month, called_at__isnull=True)
        .filter(Exists(month_calls(month, up_to)))
        .update(called_at=first_call(month, up_to))
    )


def entry_rows(long_list: LongList) -> QuerySet[LongListEntry]:
    """A list's entries as the page, the print and the export show them: client, first call, in rank order."""
    entries = LongListEntry.objects.filter(long_list=long_list).select_related("client")
    return with_first_call(entries, long_list.month).order_by("rank", "id")


@dataclass
class LongListPage:
    long_list: LongList
    entries: list[LongListEntry]
    short_list: list[LongListEntry]
    called: int
    total: int
    in_first_days: bool
    first_days_left: int
    overdue: int  # not called after the first ten days
    below_min: bool
    long_list_min: int
    potential_threshold: Decimal

    @property
    def not_called(self) -> int:
        return self.total - self.called

    @property
    def called_percent(self) -> int:
        return round(100 * self.called / self.total) if self.total else 0


def long_list_page(*, long_list: LongList, today: date, settings: DepartmentSettings) -> LongListPage:
    """The list with its call progress in the month, and the short list; one query for the entries."""
    entries = list(entry_rows(long_list))
    called = len([e for e in entries if getattr(e, "first_call_at", None)])
    this_month = long_list.month == today.replace(day=1)
    first_days = settings.early_in_month_days  # "one call a month, early in the month"
    in_first_days = this_month and today.day <= first_days
    past_first_days = long_list.month < today.replace(day=1) or (this_month and today.day > first_days)
    overdue = 0
    for entry in entries:
        called_at = getattr(entry, "first_call_at", None)
        entry.is_overdue = past_first_days and not called_at  # type: ignore[attr-defined]
        entry.on_time = bool(called_at) and timezone.localdate(called_at).day <= first_days  # type: ignore[attr-defined]
        overdue += int(past_first_days and not called_at)
    return LongListPage(
        long_list=long_list,
        entries=entries,
        short_list=[e for e in entries if e.short_listed],
        called=called,
        total=len(entries),
        in_first_days=in_first_days,
        first_days_left=first_days - today.day + 1 if in_first_days else 0,
        overdue=overdue,
        below_min=len(entries) < settings.long_list_min,
        long_list_min=settings.long_list_min,
        potential_threshold=settings.potential_threshold,
    )


# --- cold calls --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColdCallProgress:
    manager: User
    norm: int
    done: int

    @property
    def percent(self) -> int:
        if not self.norm:
            return 100
        return min(100, round(100 * self.done / self.norm))

    @property
    def met(self) -> bool:
        return self.done >= self.norm


def cold_calls(day: date, *, new_client_months: int) -> QuerySet[Activity]:
    """Outgoing done calls on `day` to new clients (DOMAIN.md section 3): never bought, or nothing bought in the
    `new_client_months` full calendar months before `day`'s month nor since (crm.rules.clients.quiet_since)."""
    bought_lately = SaleLine.objects.filter(
        client=OuterRef("client_id"), date__gte=quiet_since(day, new_client_months), date__lt=day
    )
    return Activity.objects.filter(
        kind=Activity.Kind.CALL,
        direction=Activity.Direction.OUTGOING,
        done_at__gte=start_of_day(day),
        done_at__lt=start_of_day(day + timedelta(days=1)),
    ).exclude(Exists(bought_lately))


def cold_call_progress(
    users: QuerySet[User], day: date, *, default_norm: int, new_client_months: int
) -> list[ColdCallProgress]:
    """Per manager: the daily cold-call norm (own, else the department's `default_norm`) and the cold calls done on
    `day`. One query: the norm and the count are subqueries of the users' query."""
    done = (
        cold_calls(day, new_client_months=new_client_months)
        .filter(owner=OuterRef("pk"))
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = users.annotate(
        norm=Coalesce(
            F("cold_call_norm__daily_calls"),
            Value(default_norm),
            output_field=IntegerField(),
        ),
        done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0), output_field=IntegerField()),
    ).order_by("last_name", "first_name", "username")
    return [ColdCallProgress(manager=u, norm=u.norm, done=u.done) for u in rows]  # type: ignore[attr-defined]


def cold_call_widget(users: QuerySet[User], day: date) -> dict[str, Any]:
    """What the My day and review partial shows: each seller's progress and the department's total."""
    settings = DepartmentSettings.current()
    rows = cold_call_progress(
        users, day, default_norm=settings.default_cold_calls, new_client_months=settings.new_client_after_months
    )
    return {
        "day": day,
        "rows": rows,
        "done": sum(r.done for r in rows),
        "norm": sum(r.norm for r in rows),
    }
