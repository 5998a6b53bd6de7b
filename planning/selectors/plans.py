"""Reads for plans: the window's history in one aggregate query, the plan list and the plan page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, DateField, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum, When
from django.db.models.functions import Cast, TruncMonth

from core.money import money_div
from crm.models import Client, DepartmentSettings, OwnershipChange, SaleLine, User
from planning.filters import PlanFilterSet
from planning.models import Plan, PlanLine
from planning.rules.plans import (
    PlanNumbers,
    compute_plan,
    draft_target,
    gap_percent,
    gap_warning,
    window_bounds,
    window_months,
)

# Regular clients are asked each week for an order of 1/4 of their monthly plan (DOMAIN.md section 4).


def owner_on(day: date) -> Case:
    """A client's owner on `day`: its owner now when his ownership began by then, else the manager it came from
    (the last ownership change, which started the current ownership after `day`)."""
    last_change = OwnershipChange.objects.filter(client=OuterRef("pk")).order_by("-at", "-pk")
    return Case(
        When(owned_since__gt=day, then=Subquery(last_change.values("from_owner_id")[:1])),
        default=F("owner_id"),
        output_field=IntegerField(),
    )


def plan_history_rows(
    *, manager_ids: list[int], start: date, end: date, owned_on: date
) -> list[tuple[int, int, date, Decimal]]:
    """`(manager, client, month, net amount)` of the sales from `start` to `end` of the clients each manager owns on
    `owned_on` (the first day of the plan month), whoever sold them (DOMAIN.md section 4): two queries."""
    owned = Client.objects.annotate(plan_owner=owner_on(owned_on)).filter(plan_owner__in=manager_ids)
    owners = dict(owned.values_list("pk", "plan_owner"))
    rows = (
        # The clients as a subquery, not as a list of up to 100 000 bound ids.
        SaleLine.objects.filter(client_id__in=owned.values("pk"), date__gte=start, date__lte=end)
        # A date from the database (not a timestamp converted back in Python for each of ~80 000 rows).
        .annotate(month=Cast(TruncMonth("date"), DateField()))
        .values("client_id", "month")
        .annotate(amount=Sum("amount"))
        .order_by()
        .values_list("client_id", "month", "amount")
    )
    return [(owners[client_id], client_id, month, amount) for client_id, month, amount in rows]


def plans_with_lines(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """Plans with their manager and their lines (each with its client): a constant number of queries."""
    lines = PlanLine.objects.select_related("client").order_by("-plan_amount", "id")
    return plans.select_related("manager", "created_by", "approved_by").prefetch_related(
        Prefetch("lines", queryset=lines)
    )


@dataclass
class PlanRow:
    manager: User
    current: Plan | None
    approved: Plan | None


def plan_month_rows(*, user: User, month: date) -> list[PlanRow]:
    """Each visible seller with the month's latest draft (if any) and approved version: two queries."""
    managers = list(User.objects.visible_to(user).sellers().order_by("last_name", "first_name", "pk"))
    plans = (
        PlanFilterSet({"month": month.strftime("%Y-%m")}, queryset=Plan.objects.visible_to(user))
        .qs.exclude(status=Plan.Status.SUPERSEDED)
        .select_related("manager")
        .order_by("manager_id", "-version")
    )
    drafts: dict[int, Plan] = {}
    approved: dict[int, Plan] = {}
    for plan in plans:
        target = approved if plan.status == Plan.Status.APPROVED else drafts
        target.setdefault(plan.manager_id, plan)
    return [PlanRow(manager=m, current=drafts.get(m.pk), approved=approved.get(m.pk)) for m in managers]


def plan_explained(plan: Plan) -> dict[str, Any]:
    """Every figure of the plan page with what it is computed from, so that a user can check it by hand."""
    lines = list(plan.lines.all())
    settings = DepartmentSettings.current()
    numbers = plan_numbers(settings)
    # A plan keeps the window it was computed with, whatever the head's number is now (an approved plan is frozen).
    span = (plan.window_end.year - plan.window_start.year) * 12 + plan.window_end.month - plan.window_start.month + 1
    months = window_months(plan.month, span)
    monthly = [[Decimal(str(v)) for v in line.monthly] for line in lines]
    # A client that came to the manager inside the window is his regular client with its whole turnover: say so.
    moved_in = {
        line.client_id: line.client.owned_since
        for line in lines
        if line.client.owner_id == plan.manager_id
        and line.client.owned_since
        and plan.window_start <= line.client.owned_since <= plan.window_end
    }
    rows = [
        {
            "line": line,
            "monthly": amounts,
            "weekly": money_div(line.plan_amount, settings.weeks_per_month),
            "moved_in": moved_in.get(line.client_id),
        }
        for line, amounts in zip(lines, monthly, strict=True)
    ]
    monthly_totals = [sum((amounts[i] for amounts in monthly), Decimal("0")) for i in range(len(months))]
    return {
        "months": months,
        "rows": rows,
        "regular_monthly_totals": monthly_totals,
        "regular_window_total": sum((line.window_total for line in lines), Decimal("0")),
        "remainder": max(plan.average_monthly - plan.regular_total, Decimal("0")),
        "one_off_percent": (plan.one_off_share * 100).normalize(),
        "existing_percent": (plan.active_existing_share * 100).quantize(Decimal("0.01")).normalize(),
        "gap_percent": gap_percent(plan.target, plan.active_gap),
        "gap_warning": gap_warning(plan.target, plan.active_gap, low=numbers.gap_band_min, high=numbers.gap_band_max),
        "window_months_count": span,
        # The factor the plan was computed with (its cover / E), else the head's number now.
        "cover_factor": (plan.cross_sell_cover / plan.active_existing).quantize(Decimal("0.01")).normalize()
        if plan.active_existing
        else numbers.cross_sell_cover,
    }


def plan_versions(*, plan: Plan, user: User) -> list[Plan]:
    return list(
        Plan.objects.visible_to(user)
        .filter(manager_id=plan.manager_id, month=plan.month)
        .select_related("created_by", "approved_by")
        .order_by("-version")
    )


def plan_numbers(settings: DepartmentSettings | None = None) -> PlanNumbers:
    """The head's section 4 numbers, as the plan rule takes them."""
    s = settings or DepartmentSettings.current()
    return PlanNumbers(
        window_months=s.plan_window_months,
        regular_min_months=s.regular_min_months,
        one_off_share_min=s.one_off_share_min,
        one_off_share_max=s.one_off_share_max,
        existing_share_min=s.existing_share_min,
        existing_share_max=s.existing_share_max,
        gap_band_min=s.gap_band_min,
        gap_band_max=s.gap_band_max,
        cross_sell_cover=s.cross_sell_cover,
    )


@dataclass(frozen=True)
class DefaultTarget:
    target: Decimal
    # Where it comes from: the last approved plan (its month), else A of the window rounded to thousands.
    approved_month: date | None
    average_monthly: Decimal


def default_target(*, user: User, manager: User, month: date) -> DefaultTarget:
    """The T a new plan of `manager` for `month` starts from: the target of his last approved plan before `month`,
    else A of the month's window rounded half-up to whole thousands (the nightly draft's rule, DOMAIN.md section 4).
    Reads the approved plans through visible_to(user); a fixed number of queries, whatever the history."""
    month = month.replace(day=1)
    last = (
        Plan.objects.visible_to(user)
        .filter(manager=manager, status=Plan.Status.APPROVED, month__lt=month)
        .order_by("-month", "-version")
        .values_list("month", "target")
        .first()
    )
    numbers = plan_numbers()
    months = window_months(month, numbers.window_months)
    rows = plan_history_rows(
        manager_ids=[manager.pk], start=months[0], end=window_bounds(month, numbers.window_months)[1], owned_on=month
    )
    history = compute_plan(
        ((client_id, m, amount) for _manager, client_id, m, amount in rows),
        months=months,
        target=Decimal(0),
        numbers=numbers,
    )
    target = draft_target(previous_target=last[1] if last else None, average_monthly=history.average_monthly)
    return DefaultTarget(
        target=target, approved_month=last[0] if last else None, average_monthly=history.average_monthly
    )
