"""The morning sheet (seed 003 #27): for each manager "fact yesterday / plan for today" for the planning meeting.

- yesterday is the previous working day (on Monday, Friday), from the department's calendar;
- fact: calls and meetings done (Activities by their owner), proposals (deals that reached `proposal`), payments
  received (paid sale lines by `paid_date`, planning's definition of the fact);
- plan: the calls and meetings due today (planned tasks), against the norm a day; the proposal norm a day; the
  payments expected today (open deals' amount less what is paid, by expected close date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum

from analytics.selectors.dashboard import MONEY, ZERO, Kpi, _outstanding, kpi_rows
from analytics.selectors.scope import deals_in_scope, managers_in_scope
from core.calendar import end_of_day, start_of_day
from core.money import to_money
from crm.models import Activity, SaleLine, User
from crm.rules.stages import OPEN_STAGES
from crm.selectors.calendar import work_calendar


@dataclass
class MorningRow:
    manager: User
    calls: Kpi  # yesterday's done against the norm of one day
    meetings: Kpi
    proposals: Kpi
    paid_yesterday: Decimal
    calls_today: int
    meetings_today: int
    expected_today: Decimal
    expected_today_count: int


@dataclass
class MorningSheet:
    today: date
    yesterday: date
    rows: list[MorningRow]

    @property
    def totals(self) -> dict[str, Decimal | int]:
        rows = self.rows
        return {
            "calls": sum(r.calls.done for r in rows),
            "meetings": sum(r.meetings.done for r in rows),
            "proposals": sum(r.proposals.done for r in rows),
            "paid_yesterday": sum((r.paid_yesterday for r in rows), ZERO),
            "calls_today": sum(r.calls_today for r in rows),
            "meetings_today": sum(r.meetings_today for r in rows),
            "expected_today": sum((r.expected_today for r in rows), ZERO),
        }


def previous_working_day(day: date) -> date:
    calendar = work_calendar()
    day -= timedelta(days=1)
    for _ in range(30):
        if calendar.is_working_day(day):
            return day
        day -= timedelta(days=1)
    return day


def morning_sheet(*, user: User, today: date, managers: list[User] | None = None) -> MorningSheet:
    """The sheet of the managers `user` sees (or the given ones): a constant number of queries."""
    people = list(managers if managers is not None else managers_in_scope(user).select_related("team"))
    yesterday = previous_working_day(today)
    ids = [p.pk for p in people]
    done = kpi_rows(user=user, managers=people, start=yesterday, end=yesterday, days=1)
    paid: dict[int, Decimal] = {}
    planned: dict[tuple[int, str], int] = {}
    expected: dict[int, tuple[int, Decimal]] = {}
    if ids:
        paid = dict(
            SaleLine.objects.visible_to(user)
            .filter(is_paid=True, paid_date=yesterday, manager_id__in=ids)
            .order_by()
            .values("manager_id")
            .annotate(total=Sum("amount"))
            .values_list("manager_id", "total")
        )
        for row in (
            Activity.objects.visible_to(user)
            .planned()
            .filter(owner_id__in=ids, kind__in=(Activity.Kind.CALL, Activity.Kind.MEETING))
            .filter(due_at__gte=start_of_day(today), due_at__lt=end_of_day(today))
            .order_by()
            .values("owner_id", "kind")
            .annotate(n=Count("pk"))
        ):
            planned[(row["owner_id"], row["kind"])] = row["n"]
        for row in (
            deals_in_scope(user)
            .filter(stage__in=OPEN_STAGES, expected_close_date=today, owner_id__in=ids)
            .order_by()
            .values("owner_id")
            .annotate(n=Count("pk"), sum_amount=Sum(_outstanding(), output_field=MONEY))
        ):
            expected[row["owner_id"]] = (row["n"], to_money(row["sum_amount"] or ZERO))
    rows = []
    for person in people:
        kpis = done[person.pk]
        rows.append(
            MorningRow(
                manager=person,
                calls=kpis.calls,
                meetings=kpis.meetings,
                proposals=kpis.proposals,
                paid_yesterday=to_money(paid.get(person.pk) or ZERO),
                calls_today=planned.get((person.pk, Activity.Kind.CALL), 0),
                meetings_today=planned.get((person.pk, Activity.Kind.MEETING), 0),
                expected_today=expected.get(person.pk, (0, ZERO))[1],
                expected_today_count=expected.get(person.pk, (0, ZERO))[0],
            )
        )
    return MorningSheet(today=today, yesterday=yesterday, rows=rows)
