"""Reads that span models: the pipeline board's columns and the head's pipeline review (DOMAIN.md 2 and 7)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Coalesce, Greatest, RowNumber

from core.calendar import month_shift, week_bounds
from core.money import money_div, to_money
from crm.models import Activity, Deal, User
from crm.models.deals import DealQuerySet
from crm.rules import numbers as N
from crm.rules.stages import ACTIVE_STAGES, OPEN_STAGES, PIPELINE, Stage

ZERO = Decimal("0")
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=18, decimal_places=2)
WEIGHTED = ExpressionWrapper(F("amount") * F("probability") / Value(Decimal(100)), output_field=MONEY)
# What a deal at contract or payment still brings in: the unpaid part of its invoice (or its amount before one).
EXPECTED_PAYMENT = ExpressionWrapper(
    Greatest(Coalesce(F("invoice_amount"), F("amount")) - F("paid_amount"), Value(ZERO)), output_field=MONEY
)


@dataclass
class BoardColumn:
    stage: str
    label: str
    count: int = 0
    amount: Decimal = ZERO
    weighted: Decimal = ZERO
    deals: list[Deal] = field(default_factory=list)
    pages: int = 1  # how many pages of cards the column shows (the first `pages` x per_column cards)


def board_columns(
    *, deals: QuerySet[Deal], now: datetime, per_column: int = 30, pages: dict[str, int] | None = None
) -> list[BoardColumn]:
    """The 14 stages and `lost` with totals over all `deals`, and the `per_column` most recently changed cards
    (`pages[stage]` times as many for a column whose further pages are open); three queries whatever the rows."""
    pages = pages or {}
    columns = {
        code: BoardColumn(stage=code, label=str(Stage(code).label), pages=max(1, pages.get(code, 1)))
        for code in [*PIPELINE, Stage.LOST]
    }
    for row in (
        deals.order_by().values("stage").annotate(count=Count("pk"), total=Sum("amount"), total_weighted=Sum(WEIGHTED))
    ):
        column = columns[row["stage"]]
        column.count, column.amount = row["count"], row["total"] or ZERO
        column.weighted = to_money(row["total_weighted"] or ZERO)
    ids = _recent_card_ids(deals, {code: column.pages * per_column for code, column in columns.items()})
    cards = (
        Deal.objects.filter(pk__in=ids)
        .with_hygiene(now)
        .select_related("client", "owner", "lost_reason")
        .order_by("-stage_changed_at", "-pk")
    )
    for deal in cards:
        columns[deal.stage].deals.append(deal)
    return list(columns.values())


def _recent_card_ids(deals: QuerySet[Deal], limits: dict[str, int]) -> list[int]:
    """The ids of the `limits[stage]` most recently moved deals of each stage."""
    if connection.features.supports_slicing_ordering_in_compound:
        # One index scan per stage (deal_stage_recent) in a UNION ALL: a window over every deal costs ~100 ms at 100k.
        parts = [
            deals.filter(stage=code).order_by("-stage_changed_at", "-pk").values_list("pk", flat=True)[:limit]
            for code, limit in limits.items()
        ]
        return list(parts[0].union(*parts[1:], all=True))
    # SQLite (the local default) cannot slice inside a UNION: rank with a window instead.
    ranked = deals.order_by().annotate(
        rank=Window(RowNumber(), partition_by=[F("stage")], order_by=[F("stage_changed_at").desc(), F("pk").desc()])
    )
    # A window may not be filtered inside an OR: take the widest page, then each stage's own limit.
    rows = ranked.filter(rank__lte=max(limits.values())).values_list("pk", "stage", "rank")
    return [pk for pk, stage, rank in rows if rank <= limits.get(stage, 0)]


@dataclass
class ColumnPage:
    stage: str
    count: int
    page: int
    deals: list[Deal]
    has_next: bool


def board_column_page(*, deals: DealQuerySet, stage: str, page: int, now: datetime, per_page: int = 30) -> ColumnPage:
    """One page of a column's cards, most recently moved first, and the column's count (two queries)."""
    in_stage = deals.filter(stage=stage)
    count = in_stage.order_by().count()
    page = max(1, page)
    start = (page - 1) * per_page
    cards = list(
        in_stage.with_hygiene(now)
        .select_related("client", "owner", "lost_reason")
        .order_by("-stage_changed_at", "-pk")[start : start + per_page]
    )
    return ColumnPage(stage=stage, count=count, page=page, deals=cards, has_next=start + per_page < count)


@dataclass
class ManagerPipeline:
    manager: User
    by_stage: dict[str, dict[str, Decimal | int]] = field(default_factory=dict)
    open_count: int = 0
    open_amount: Decimal = ZERO
    open_weighted: Decimal = ZERO
    without_task: int = 0
    overdue_task: int = 0
    too_small: bool = False

    @property
    def average_deal(self) -> Decimal:
        return money_div(self.open_amount, self.open_count) if self.open_count else ZERO


@dataclass
class PipelineReview:
    managers: list[ManagerPipeline]
    payments_by_day: dict[date, Decimal]
    week_total: Decimal
    month_total: Decimal
    overdue_payments: Decimal
    average_deal: Decimal
    # This week's days (Monday to Sunday), which may reach into the next month.
    week_by_day: dict[date, Decimal] = field(default_factory=dict)


def pipeline_review(
    *,
    deals: QuerySet[Deal],
    managers: QuerySet[User],
    today: date,
    now: datetime,
    small_share: Decimal = N.SMALL_PIPELINE_SHARE,
) -> PipelineReview:
    """Per manager: open deals by stage with amounts, hygiene counts; the payment plan by day for this month.

    Hygiene counts cover every active deal of `managers` (who are chosen through visible_to by the caller).
    A pipeline is flagged too small when its weighted amount is below `small_share` of the average per manager.
    """
    people = {user.pk: ManagerPipeline(manager=user) for user in managers}
    # Hygiene in the same pass: the deals with a planned task as an uncorrelated `id IN (...)`, which PostgreSQL
    # hashes once (one read of the planned tasks' index), counted per stage (a COUNT DISTINCT over the planned
    # activities joined to their deals was a second query and a sort).
    planned = Activity.objects.planned().filter(deal__isnull=False)
    rows = (
        deals.filter(stage__in=PIPELINE, owner_id__in=people)
        .order_by()
        .values("owner_id", "stage")
        .annotate(
            count=Count("pk"),
            total=Sum("amount"),
            total_weighted=Sum(WEIGHTED),
            with_task=Count("pk", filter=Q(pk__in=planned.values("deal_id"))),
            overdue=Count("pk", filter=Q(pk__in=planned.filter(due_at__lt=now).values("deal_id"))),
        )
    )
    for row in rows:
        # Every one of the 14 stages is shown (and printed); the open sums and the weighted amount are of the open ones.
        person = people[row["owner_id"]]
        amount, weighted = row["total"] or ZERO, to_money(row["total_weighted"] or ZERO)
        person.by_stage[row["stage"]] = {"count": row["count"], "amount": amount, "weighted": weighted}
        if row["stage"] in ACTIVE_STAGES:
            person.without_task += row["count"] - row["with_task"]
            person.overdue_task += row["overdue"]
        if row["stage"] not in OPEN_STAGES:
            continue
        person.open_count += row["count"]
        person.open_amount += amount
        person.open_weighted += weighted
    if people:
        average = sum((p.open_weighted for p in people.values()), ZERO) / len(people)
        for person in people.values():
            person.too_small = person.open_weighted < average * small_share

    month_start, next_month = month_shift(today, 0), month_shift(today, 1)
    week_start = week_bounds(today)[0]
    week_end = week_start + timedelta(days=7)
    expected = deals.filter(stage__in=[Stage.CONTRACT, Stage.PAYMENT], owner_id__in=people).order_by()
    by_day: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for row in (
        expected.filter(
            expected_close_date__gte=min(month_start, week_start), expected_close_date__lt=max(next_month, week_end)
        )
        .values("expected_close_date")
        .annotate(total=Sum(EXPECTED_PAYMENT))
    ):
        by_day[row["expected_close_date"]] += row["total"] or ZERO
    overdue = expected.filter(expected_close_date__lt=today).aggregate(total=Sum(EXPECTED_PAYMENT))["total"] or ZERO
    total_open = sum((p.open_amount for p in people.values()), ZERO)
    total_count = sum(p.open_count for p in people.values())
    return PipelineReview(
        managers=sorted(people.values(), key=lambda p: (-p.open_weighted, str(p.manager))),
        payments_by_day={day: by_day[day] for day in sorted(by_day) if month_start <= day < next_month},
        week_total=sum((v for d, v in by_day.items() if week_start <= d < week_end), ZERO),
        month_total=sum((v for d, v in by_day.items() if month_start <= d < next_month), ZERO),
        overdue_payments=overdue,
        average_deal=money_div(total_open, total_count) if total_count else ZERO,
        week_by_day={day: by_day.get(day, ZERO) for day in (week_start + timedelta(days=n) for n in range(7))},
    )
