"""Plan/fact for a month by day: paid sales against the plan spread over working days, with a month-end forecast.

Decisions (DOMAIN.md section 2: a sale counts when the money is received):
- fact = SaleLine with is_paid, dated by `paid_date` (the day the money came; a paid line always has
  one); the line counts for the manager on the line (who sold it);
- the plan target T of the manager's current plan (approved, else the latest draft) is spread evenly over the
  month's working days (Monday to Friday; public holidays are not modelled);
- forecast = fact so far / working days passed (today included) x working days in the month;
- a client is "new" in the month when he bought nothing (any line, any manager) in the
  DepartmentSettings.new_client_after_months months before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Sum

from core.calendar import RUSSIA, WorkCalendar, month_days, month_shift, month_start
from core.money import money_div, to_money
from crm.models import DepartmentSettings, SaleLine, User
from crm.rules.clients import quiet_since
from crm.selectors.calendar import work_calendar
from planning.selectors.work import current_plans_for, visible_sellers

ZERO = Decimal("0")


@dataclass
class Series:
    """A plan/fact line by day for one manager, a team or the department."""

    name: str
    month: date
    today: date
    target: Decimal
    fact_new: dict[date, Decimal] = field(default_factory=dict)
    fact_existing: dict[date, Decimal] = field(default_factory=dict)
    # The department's working calendar (the production calendar with the head's corrections).
    calendar: WorkCalendar = RUSSIA

    def add(self, other: Series) -> None:
        self.target += other.target
        for day, amount in other.fact_new.items():
            self.fact_new[day] = self.fact_new.get(day, ZERO) + amount
        for day, amount in other.fact_existing.items():
            self.fact_existing[day] = self.fact_existing.get(day, ZERO) + amount

    @property
    def days(self) -> list[date]:
        return month_days(self.month)

    @property
    def working(self) -> list[date]:
        return self.calendar.working_days_of(self.month)

    @property
    def working_passed(self) -> int:
        return sum(1 for day in self.working if day <= self.today)

    def daily_fact(self, day: date) -> Decimal:
        return self.fact_new.get(day, ZERO) + self.fact_existing.get(day, ZERO)

    @property
    def fact(self) -> Decimal:
        """Paid sales so far (up to today)."""
        return sum((self.daily_fact(day) for day in self.days if day <= self.today), ZERO)

    @property
    def fact_new_total(self) -> Decimal:
        return sum((a for d, a in self.fact_new.items() if d <= self.today), ZERO)

    @property
    def fact_existing_total(self) -> Decimal:
        return sum((a for d, a in self.fact_existing.items() if d <= self.today), ZERO)

    @property
    def plan_to_date(self) -> Decimal:
        working = self.working
        return money_div(self.target * self.working_passed, len(working)) if working else ZERO

    @property
    def forecast(self) -> Decimal:
        passed = self.working_passed
        return money_div(self.fact * len(self.working), passed) if passed else ZERO

    @property
    def percent(self) -> Decimal | None:
        return money_div(self.fact * 100, self.target) if self.target else None

    @property
    def forecast_percent(self) -> Decimal | None:
        return money_div(self.forecast * 100, self.target) if self.target else None

    def rows(self) -> list[dict[str, Any]]:
        """Per day: the fact, the cumulative fact (None after today), the cumulative plan, the forecast line."""
        working = self.working
        per_day = self.target / len(working) if working else ZERO
        passed = self.working_passed
        pace = self.fact / passed if passed else ZERO
        plan_cumulative = ZERO
        fact_cumulative = ZERO
        forecast_cumulative = ZERO
        result = []
        for day in self.days:
            is_working = self.calendar.is_working_day(day)
            if is_working:
                plan_cumulative += per_day
            fact = self.daily_fact(day)
            if day <= self.today:
                fact_cumulative += fact
                forecast_cumulative = fact_cumulative
            elif is_working:
                forecast_cumulative += pace
            result.append(
                {
                    "date": day,
                    "working": is_working,
                    "fact": to_money(fact) if day <= self.today else None,
                    "cumulative": to_money(fact_cumulative) if day <= self.today else None,
                    "plan": to_money(plan_cumulative),
                    "forecast": to_money(forecast_cumulative) if day >= self.today else None,
                }
            )
        return result

    def chart(self) -> dict[str, Any]:
        rows = self.rows()
        return {
            "days": [row["date"].strftime("%d.%m") for row in rows],
            "fact": [float(row["cumulative"]) if row["cumulative"] is not None else None for row in rows],
            "plan": [float(row["plan"]) for row in rows],
            "forecast": [float(row["forecast"]) if row["forecast"] is not None else None for row in rows],
        }


@dataclass
class ManagerFact:
    manager: User
    plan_id: int | None
    series: Series


@dataclass
class PlanFact:
    month: date
    today: date
    managers: list[ManagerFact]
    teams: list[Series]
    total: Series


def fact_rows(*, user: User, manager_ids: Iterable[int], month: date) -> list[dict[str, Any]]:
    """One aggregate query: paid sales of the month by manager, day and new/existing client."""
    look_back = quiet_since(month, DepartmentSettings.current().new_client_after_months)
    earlier = SaleLine.objects.filter(client_id=OuterRef("client_id"), date__gte=look_back, date__lt=month)
    # A paid line always has its paid date (the saleline_paid_has_date constraint): filter on it directly.
    return list(
        SaleLine.objects.visible_to(user)
        .filter(is_paid=True, manager_id__in=list(manager_ids))
        .filter(paid_date__gte=month, paid_date__lt=month_shift(month, 1))
        .annotate(existing=Exists(earlier))
        .order_by()
        .values("manager_id", "existing", day=F("paid_date"))
        .annotate(total=Sum("amount"))
    )


def plan_fact(*, user: User, month: date, today: date, managers: Any = None) -> PlanFact:
    """Plan/fact of the sellers `user` sees (or the given subset of them) for `month`: per manager, team and total."""
    month = month_start(month)
    people = list(managers if managers is not None else visible_sellers(user))
    calendar = work_calendar()
    ids = [person.pk for person in people]
    plans = current_plans_for(user=user, managers=ids, month=month, approved_only=True) if ids else {}
    per_manager: dict[int, Series] = {}
    for person in people:
        plan = plans.get(person.pk)
        per_manager[person.pk] = Series(
            name=str(person), month=month, today=today, target=plan.target if plan else ZERO, calendar=calendar
        )
    for row in fact_rows(user=user, manager_ids=ids, month=month) if ids else []:
        series = per_manager[row["manager_id"]]
        bucket = series.fact_existing if row["existing"] else series.fact_new
        bucket[row["day"]] = bucket.get(row["day"], ZERO) + row["total"]
    teams: dict[Any, Series] = {}
    total = Series(name="", month=month, today=today, target=ZERO, calendar=calendar)
    for person in people:
        series = per_manager[person.pk]
        total.add(series)
        if person.team_id:
            team = teams.setdefault(
                person.team_id, Series(name=str(person.team), month=month, today=today, target=ZERO, calendar=calendar)
            )
            team.add(series)
    return PlanFact(
        month=month,
        today=today,
        managers=[
            ManagerFact(manager=p, plan_id=plans[p.pk].pk if p.pk in plans else None, series=per_manager[p.pk])
            for p in people
        ],
        teams=sorted(teams.values(), key=lambda s: s.name),
        total=total,
    )


def plan_fact_widget(*, user: User, today: date) -> Series | None:
    """The compact plan/fact of My day and the review: the month so far of everyone `user` sees (None if nobody)."""
    result = plan_fact(user=user, month=month_start(today), today=today)
    return result.total if result.managers else None
