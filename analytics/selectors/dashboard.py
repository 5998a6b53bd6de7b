"""The head's dashboard (issue 13; DOMAIN.md section 7 "Pipeline control", "Dashboards"; seed 003 #22, #27, #28).

Every figure reads its rows through analytics/selectors/scope.py; plan/fact is planning's own (`plan_fact`), not
recomputed. Decisions (docs/analytics.md, "Dashboard, morning sheet, weekly report"):
- the period is the month of `as_of` up to `as_of`; the norms are per working day x the working days passed;
- calls and meetings are done crm Activities of that kind (by their owner, dated by `done_at`); proposals are the
  deals that reached `proposal` (DealStageChange, by the deal's owner, each deal once);
- the cold-call norm is the manager's ColdCallNorm, else DepartmentSettings.default_cold_calls; meetings and
  proposals are AnalyticsSettings.meetings_norm / proposals_norm;
- an open deal's expected payment is its amount less what is paid, on its expected close date, weighted by its
  probability; the pipeline is too small when its weighted amount is below what is left of the month's plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Greatest

from analytics.models import AnalyticsSettings
from analytics.selectors.headlines import Headline, headlines_for
from analytics.selectors.scope import clients_in_scope, deals_in_scope, managers_in_scope
from core.calendar import end_of_day, month_days, month_start, start_of_day, week_bounds
from core.money import money_div, to_money
from crm.models import Activity, Client, ColdCallNorm, DealStageChange, DepartmentSettings, Role, User
from crm.rules.stages import OPEN_STAGES, PIPELINE, Stage
from planning.selectors.factual import PlanFact, Series, plan_fact

ZERO = Decimal("0")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=18, decimal_places=2)


@dataclass(frozen=True)
class Kpi:
    """One intermediate KPI of a manager over a period: done against norm a day x working days."""

    done: int
    per_day: Decimal
    days: int

    @property
    def norm(self) -> Decimal:
        return self.per_day * self.days

    @property
    def percent(self) -> Decimal | None:
        return money_div(Decimal(self.done) * 100, self.norm) if self.norm else None

    @property
    def met(self) -> bool:
        return Decimal(self.done) >= self.norm


@dataclass
class KpiRow:
    manager: User
    calls: Kpi
    meetings: Kpi
    proposals: Kpi


@dataclass
class ManagerRow:
    manager: User
    series: Series
    weighted_pipeline: Decimal = ZERO
    kpis: KpiRow | None = None

    @property
    def left_to_plan(self) -> Decimal:
        return max(self.series.target - self.series.fact, ZERO)

    @property
    def pipeline_too_small(self) -> bool:
        return self.weighted_pipeline < self.left_to_plan


@dataclass(frozen=True)
class StageRow:
    stage: str
    label: str
    count: int
    amount: Decimal
    weighted: Decimal


@dataclass(frozen=True)
class PaymentDay:
    day: date
    count: int
    amount: Decimal
    weighted: Decimal


@dataclass
class Dashboard:
    as_of: date
    month: date
    working_days_passed: int
    plan_fact: PlanFact
    managers: list[ManagerRow]
    pipeline: list[StageRow]
    payments_month: list[PaymentDay]
    payments_week: list[PaymentDay]
    overdue_payments: PaymentDay
    headlines: list[Headline]
    lost_this_month: int | None  # None when the lost clients' headline is registered (it shows them)
    norms: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Series:
        return self.plan_fact.total

    @property
    def ranked(self) -> list[ManagerRow]:
        """Managers with a plan, best % of plan first."""
        rows = [row for row in self.managers if row.series.percent is not None]
        return sorted(rows, key=lambda row: (-(row.series.percent or ZERO), str(row.manager)))

    @property
    def best(self) -> ManagerRow | None:
        ranked = self.ranked
        return ranked[0] if len(ranked) >= 2 else None

    @property
    def worst(self) -> ManagerRow | None:
        ranked = self.ranked
        return ranked[-1] if len(ranked) >= 2 else None

    @property
    def pipeline_count(self) -> int:
        return sum(row.count for row in self.pipeline)

    @property
    def pipeline_amount(self) -> Decimal:
        return sum((row.amount for row in self.pipeline), ZERO)

    @property
    def pipeline_weighted(self) -> Decimal:
        return sum((row.weighted for row in self.pipeline), ZERO)

    @property
    def average_deal(self) -> Decimal:
        return money_div(self.pipeline_amount, self.pipeline_count) if self.pipeline_count else ZERO

    @property
    def left_to_plan(self) -> Decimal:
        return max(self.total.target - self.total.fact, ZERO)

    @property
    def pipeline_too_small(self) -> bool:
        return bool(self.managers) and self.pipeline_weighted < self.left_to_plan

    @property
    def payments_month_total(self) -> PaymentDay:
        return _sum_days(self.month, self.payments_month)

    @property
    def payments_week_total(self) -> PaymentDay:
        return _sum_days(self.as_of, self.payments_week)


def _sum_days(day: date, days: list[PaymentDay]) -> PaymentDay:
    return PaymentDay(
        day=day,
        count=sum(d.count for d in days),
        amount=sum((d.amount for d in days), ZERO),
        weighted=sum((d.weighted for d in days), ZERO),
    )


def analytics_settings() -> AnalyticsSettings:
    """The settings row, read without creating it (a page's GET writes nothing): the defaults until the head saves."""
    return AnalyticsSettings.objects.filter(pk=1).first() or AnalyticsSettings(pk=1)


def _weighted() -> ExpressionWrapper:
    return ExpressionWrapper(F("amount") * F("probability") / Value(Decimal("100")), output_field=MONEY)


def _outstanding() -> Greatest:
    return Greatest(F("amount") - F("paid_amount"), Value(ZERO), output_field=MONEY)


def kpi_rows(*, user: User, managers: list[User], start: date, end: date, days: int) -> dict[int, KpiRow]:
    """Calls, meetings (done activities) and proposals (deals that reached `proposal`) per manager in [start, end],
    against the norms a working day x `days`: four queries whatever the number of managers or rows."""
    ids = [m.pk for m in managers]
    if not ids:
        return {}
    since, until = start_of_day(start), end_of_day(end)
    done: dict[tuple[int, str], int] = {}
    for row in (
        Activity.objects.visible_to(user)
        .filter(owner_id__in=ids, kind__in=(Activity.Kind.CALL, Activity.Kind.MEETING))
        .filter(done_at__gte=since, done_at__lt=until)
        .order_by()
        .values("owner_id", "kind")
        .annotate(n=Count("pk"))
    ):
        done[(row["owner_id"], row["kind"])] = row["n"]
    proposals = dict(
        DealStageChange.objects.filter(deal__in=deals_in_scope(user), deal__owner_id__in=ids)
        .filter(to_stage=Stage.PROPOSAL, at__gte=since, at__lt=until)
        .order_by()
        .values("deal__owner_id")
        .annotate(n=Count("deal_id", distinct=True))
        .values_list("deal__owner_id", "n")
    )
    own_norms = dict(ColdCallNorm.objects.filter(manager_id__in=ids).values_list("manager_id", "daily_calls"))
    default_calls = DepartmentSettings.current().default_cold_calls
    settings = analytics_settings()
    return {
        m.pk: KpiRow(
            manager=m,
            calls=Kpi(done.get((m.pk, Activity.Kind.CALL), 0), Decimal(own_norms.get(m.pk, default_calls)), days),
            meetings=Kpi(done.get((m.pk, Activity.Kind.MEETING), 0), settings.meetings_norm, days),
            proposals=Kpi(proposals.get(m.pk, 0), settings.proposals_norm, days),
        )
        for m in managers
    }


@dataclass
class OpenDeals:
    """What the dashboard reads from the open deals in scope."""

    pipeline: list[StageRow]
    payments: dict[date, PaymentDay]
    overdue: PaymentDay
    weighted_by_owner: dict[int, Decimal]


def open_deals(user: User, *, as_of: date, start: date, end: date) -> OpenDeals:
    """The open deals in scope: per stage and owner (count, amount, weighted, and what was expected before `as_of`)
    in one scan, and the payment plan by day in [start, end] by the (stage, expected close) index: two queries
    whatever the number of deals, a few hundred rows added up here."""
    scope = deals_in_scope(user).filter(stage__in=OPEN_STAGES)
    late = Q(expected_close_date__lt=as_of)
    due_weighted = ExpressionWrapper(_outstanding() * F("probability") / Value(Decimal("100")), output_field=MONEY)
    rows = (
        scope.order_by()
        .values("stage", "owner_id")
        .annotate(
            n=Count("pk"),
            sum_amount=Sum("amount"),
            sum_weighted=Sum(_weighted()),
            late_n=Count("pk", filter=late),
            late_due=Sum(_outstanding(), filter=late),
            late_due_weighted=Sum(due_weighted, filter=late),
        )
    )
    stages: dict[str, list[Any]] = {}
    owners: dict[int, Decimal] = {}
    overdue: list[Any] = [0, ZERO, ZERO]
    for row in rows:
        weighted = row["sum_weighted"] or ZERO
        stage = stages.setdefault(row["stage"], [0, ZERO, ZERO])
        stage[0] += row["n"]
        stage[1] += row["sum_amount"] or ZERO
        stage[2] += weighted
        owners[row["owner_id"]] = owners.get(row["owner_id"], ZERO) + weighted
        overdue[0] += row["late_n"]
        overdue[1] += row["late_due"] or ZERO
        overdue[2] += row["late_due_weighted"] or ZERO
    days = {
        row["expected_close_date"]: [row["n"], row["sum_due"] or ZERO, row["sum_due_weighted"] or ZERO]
        for row in scope.filter(expected_close_date__gte=start, expected_close_date__lte=end)
        .order_by()
        .values("expected_close_date")
        .annotate(n=Count("pk"), sum_due=Sum(_outstanding()), sum_due_weighted=Sum(due_weighted))
    }
    labels = dict(Stage.choices)
    empty: list[Any] = [0, ZERO, ZERO]
    return OpenDeals(
        pipeline=[
            StageRow(
                stage=stage,
                label=str(labels[stage]),
                count=stages.get(stage, empty)[0],
                amount=to_money(stages.get(stage, empty)[1]),
                weighted=to_money(stages.get(stage, empty)[2]),
            )
            for stage in PIPELINE
            if stage in OPEN_STAGES
        ],
        payments={d: PaymentDay(d, v[0], to_money(v[1]), to_money(v[2])) for d, v in days.items()},
        overdue=PaymentDay(as_of, overdue[0], to_money(overdue[1]), to_money(overdue[2])),
        weighted_by_owner={owner: to_money(amount) for owner, amount in owners.items()},
    )


def lost_this_month(user: User, as_of: date) -> int:
    """Clients in scope whose status turned `lost` this month (the status is stored; its date is `updated_at`)."""
    return (
        clients_in_scope(user)
        .filter(status=Client.Status.LOST, updated_at__gte=start_of_day(month_start(as_of)))
        .filter(updated_at__lt=end_of_day(as_of))
        .count()
    )


def dashboard(*, user: User, as_of: date, managers: list[User] | None = None) -> Dashboard:
    """The dashboard of `user`'s scope on `as_of` (or of the given subset of his managers: one manager's My day)."""
    month = month_start(as_of)
    people = list(managers if managers is not None else managers_in_scope(user).select_related("team"))
    result = plan_fact(user=user, month=month, today=as_of, managers=people)
    days = result.total.working_passed
    kpis = kpi_rows(user=user, managers=people, start=month, end=as_of, days=days)
    week_start, week_end = week_bounds(as_of)
    all_days = month_days(month)
    span_start, span_end = min(week_start, month), max(week_end, all_days[-1])
    deals = open_deals(user, as_of=as_of, start=span_start, end=span_end)
    weighted = deals.weighted_by_owner
    rows = [
        ManagerRow(manager=m.manager, series=m.series, weighted_pipeline=weighted.get(m.manager.pk, ZERO))
        for m in result.managers
    ]
    for row in rows:
        row.kpis = kpis.get(row.manager.pk)
    expected = deals.payments

    def days_of(first: date, last: date) -> list[PaymentDay]:
        out, day = [], first
        while day <= last:
            out.append(expected.get(day, PaymentDay(day, 0, ZERO, ZERO)))
            day += timedelta(days=1)
        return out

    headlines = headlines_for(user, as_of)
    settings = analytics_settings()
    return Dashboard(
        as_of=as_of,
        month=month,
        working_days_passed=days,
        plan_fact=result,
        managers=rows,
        pipeline=deals.pipeline,
        payments_month=days_of(month, all_days[-1]),
        payments_week=days_of(week_start, week_end),
        overdue_payments=deals.overdue,
        headlines=headlines,
        lost_this_month=None if any(h.key == "lost" for h in headlines) else lost_this_month(user, as_of),
        norms={"meetings": settings.meetings_norm, "proposals": settings.proposals_norm},
    )


def per_manager_chart(board: Dashboard) -> dict[str, Any]:
    """Fact per manager as bars against his plan (a line of markers), in roubles."""
    return {
        "names": [str(row.manager) for row in board.managers],
        "fact": [float(row.series.fact) for row in board.managers],
        "plan": [float(row.series.target) for row in board.managers],
    }


@dataclass(frozen=True)
class MyFigures:
    """A manager's own figures on My day: his KPIs against the norms and his place by % of plan."""

    kpis: KpiRow
    percent: Decimal | None
    place: int | None  # 1 = the best by % of plan among the sellers with an approved plan
    ranked: int

    @property
    def is_best(self) -> bool:
        return self.place == 1 and self.ranked >= 2

    @property
    def is_worst(self) -> bool:
        return self.place is not None and self.place == self.ranked and self.ranked >= 2


def my_day_figures(user: User, today: date) -> MyFigures | None:
    """A manager's KPIs of the month so far and his place by % of plan (None for anyone else: the team lead and the
    head have the dashboard). The place is counted over the whole department, but only his own number is shown."""
    if not user.is_seller or user.is_team_lead:
        return None
    month = month_start(today)
    # The department as the head sees it, to rank him; nothing but his own place leaves this function.
    department = User(role=Role.HEAD)
    sellers = list(managers_in_scope(department).select_related("team"))
    result = plan_fact(user=department, month=month, today=today, managers=sellers)
    percents = {m.manager.pk: m.series.percent for m in result.managers if m.series.percent is not None}
    ordered = sorted(percents.items(), key=lambda item: -item[1])
    place = next((i for i, (pk, _p) in enumerate(ordered, start=1) if pk == user.pk), None)
    kpis = kpi_rows(user=user, managers=[user], start=month, end=today, days=result.total.working_passed)[user.pk]
    return MyFigures(kpis=kpis, percent=percents.get(user.pk), place=place, ranked=len(ordered))
