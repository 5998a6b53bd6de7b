"""The monthly plan from 4 months of history (DOMAIN.md section 4): generate, version, adjust, approve.

Decisions:
- *Whose history* (DOMAIN.md section 4): the sales of the clients the manager owns on the first day of the plan
  month, whoever sold them in the window. A steady client moved to him inside the window is his regular client with
  its whole turnover (the plan page says so next to it); A and R are computed over the same set.
- *Turnover*: paid AND unpaid lines count. Unpaid lines are orders processed but not yet paid by the end customer,
  the funnel of the one-off part; leaving them out would plan a month with a shipment as a month without one.
- *Refunds*: negative lines net within their month; a month whose net turnover is <= 0 is not a month with
  purchases (neither for a client's regular status nor for `months_worked`). A client's 4-month total is the sum
  of its monthly nets, and a regular client's plan is not below 0; A and O are not below 0 either.
- *A target below the history* (G < 0): E, N and the cross-sell cover are 0 and the gap is flagged.
- *Idempotency*: generating with the same inputs over the same history returns the current version (the latest
  draft, else the approved one) unchanged; anything different makes version + 1, the previous draft superseded.
  An approved version is never edited; it stays approved next to the new draft until that draft is approved.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import month_shift, month_start
from core.money import format_rub, to_money
from core.params import check_years
from crm.models import ChangeLog, DepartmentSettings, User
from crm.services.history import changelog_record
from planning.models import Plan, PlanLine
from planning.rules.plans import (
    FIGURES,
    ZERO,
    LineFigures,
    PlanFigures,
    PlanNumbers,
    compute_plan,
    draft_target,
    window_average,
    window_bounds,
    window_months,
)
from planning.selectors.plans import plan_history_rows, plan_numbers

# --- writes ------------------------------------------------------------------------------------------------------


def may_generate_for(user: User, manager: User, *, settings: DepartmentSettings | None = None) -> bool:
    """T, s and the one-off share are the head's (DOMAIN.md section 4); a team lead's for his team when the head
    allows it (a setting). A manager reads his own draft; the nightly makes it."""
    if user.is_head:
        return True
    return user.leads(manager) and (settings or DepartmentSettings.current()).team_leads_set_plans


def validate_inputs(
    *, manager: User, target: Decimal, one_off_share: Decimal, active_existing_share: Decimal, numbers: PlanNumbers
) -> None:
    errors: dict[str, list[str]] = {}
    if not manager.is_seller:
        errors["manager"] = [_("Plans are made for sales managers and team leads.")]
    if target is None or Decimal(target) < 0:
        errors["target"] = [_("The target must be zero or more.")]
    low, high = numbers.one_off_share_min, numbers.one_off_share_max
    if not (low <= Decimal(one_off_share) <= high):
        message = _("Plan %(low)s to %(high)s of the one-off remainder.")
        errors["one_off_share"] = [message % {"low": f"{low:.2f}", "high": f"{high:.2f}"}]
    low, high = numbers.existing_share_min, numbers.existing_share_max
    if not (low <= Decimal(active_existing_share) <= high):
        message = _("The share of active sales to existing clients is from %(low)s to %(high)s.")
        errors["active_existing_share"] = [message % {"low": f"{low:.4g}", "high": f"{high:.4g}"}]
    if errors:
        raise ValidationError(errors)


def line_key(lines: Iterable[Any]) -> list[tuple[Any, ...]]:
    return sorted(
        (
            line.client_id,
            line.months_with_purchases,
            to_money(line.window_total),
            tuple(to_money(Decimal(str(v))) for v in line.monthly),
            to_money(getattr(line, "plan_amount", getattr(line, "plan", ZERO))),
        )
        for line in lines
    )


def same_plan(plan: Plan, figures: PlanFigures) -> bool:
    """The stored version has exactly these inputs, figures and regular-client lines."""
    if to_money(plan.target) != figures.target:
        return False
    if Decimal(plan.one_off_share) != figures.one_off_share.quantize(Decimal("0.0001")):
        return False
    if Decimal(plan.active_existing_share) != figures.active_existing_share.quantize(Decimal("0.0001")):
        return False
    if any(getattr(plan, name) != getattr(figures, name) for name in FIGURES):
        return False
    return line_key(plan.lines.all()) == line_key(figures.lines)


def build_plan(
    *, manager_id: int, month: date, version: int, figures: PlanFigures, by: User | None, window: int
) -> Plan:
    """An unsaved Plan of `figures` (the caller saves it, one or many in bulk, then writes `figures.lines` with
    `plan_lines_write`)."""
    start, end = window_bounds(month, window)
    return Plan(
        manager_id=manager_id,
        month=month,
        version=version,
        status=Plan.Status.DRAFT,
        target=figures.target,
        one_off_share=figures.one_off_share,
        active_existing_share=figures.active_existing_share,
        window_start=start,
        window_end=end,
        created_by=by,
        **{name: getattr(figures, name) for name in FIGURES},
    )


@transaction.atomic
def plan_generate(
    *,
    manager: User,
    month: date,
    target: Decimal,
    by: User,
    one_off_share: Decimal | None = None,
    active_existing_share: Decimal | None = None,
) -> Plan:
    """The manager's plan for `month` from the 4 months before it: the current version when nothing changed, else
    a new draft version (the previous draft superseded; an approved version stays as it is)."""
    if not may_generate_for(by, manager):
        raise PermissionDenied(_("The sales head sets a manager's target T, s and the one-off share."))
    check_years(month, field="month")
    numbers = plan_numbers()
    # The shares default to the lower end of the head's ranges (20 per cent, 1/2).
    one_off_share = numbers.one_off_share_min if one_off_share is None else one_off_share
    active_existing_share = numbers.existing_share_min if active_existing_share is None else active_existing_share
    validate_inputs(
        manager=manager,
        target=target,
        one_off_share=one_off_share,
        active_existing_share=active_existing_share,
        numbers=numbers,
    )
    month = month_start(month)
    # Serialise generations for one manager: the version number and the draft's supersession must not race.
    User.objects.select_for_update().filter(pk=manager.pk).first()
    months = window_months(month, numbers.window_months)
    rows = plan_history_rows(manager_ids=[manager.pk], start=months[0], end=window_bounds(month)[1], owned_on=month)
    figures = compute_plan(
        ((client_id, m, amount) for _manager, client_id, m, amount in rows),
        months=months,
        target=Decimal(target),
        one_off_share=Decimal(one_off_share),
        active_existing_share=Decimal(active_existing_share),
        numbers=numbers,
    )
    versions = Plan.objects.filter(manager=manager, month=month)
    current = (
        versions.filter(status=Plan.Status.DRAFT).order_by("-version").first()
        or versions.filter(status=Plan.Status.APPROVED).first()
    )
    if current is not None and same_plan(current, figures):
        return current
    versions.filter(status=Plan.Status.DRAFT).update(status=Plan.Status.SUPERSEDED, updated_at=timezone.now())
    latest = versions.aggregate(latest=Max("version"))["latest"] or 0
    plan = build_plan(
        manager_id=manager.pk, month=month, version=latest + 1, figures=figures, by=by, window=numbers.window_months
    )
    plan.save()
    plan_lines_write((plan.pk, line) for line in figures.lines)
    changelog_record(obj=plan, by=by, action=ChangeLog.Action.CREATE)
    return plan


@transaction.atomic
def plan_adjust(
    *,
    plan: Plan,
    target: Decimal,
    active_existing_share: Decimal,
    by: User,
    one_off_share: Decimal | None = None,
) -> Plan:
    """The head sets T and s (and the one-off share): a new version of that manager's month, never an edit."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head adjusts plans."))
    return plan_generate(
        manager=plan.manager,
        month=plan.month,
        target=target,
        by=by,
        one_off_share=plan.one_off_share if one_off_share is None else one_off_share,
        active_existing_share=active_existing_share,
    )


def negative_gap_figures(plan: Plan) -> dict[str, str]:
    """G and the figures it comes from (R, A, O, T), as the head reads them when he confirms a negative G."""
    return {
        "g": format_rub(plan.active_gap, kopecks=False),
        "r": format_rub(plan.regular_total, kopecks=False),
        "a": format_rub(plan.average_monthly, kopecks=False),
        "o": format_rub(plan.one_off, kopecks=False),
        "t": format_rub(plan.target, kopecks=False),
    }


def negative_gap_confirmation(plan: Plan) -> str:
    """The sentence the head ticks to approve a plan whose G is negative."""
    return _(
        "I confirm G = %(g)s (R = %(r)s, A = %(a)s, O = %(o)s, T = %(t)s): the regular clients and the one-off "
        "part already exceed the target, no active sales are planned."
    ) % negative_gap_figures(plan)


@transaction.atomic
def plan_approve(*, plan: Plan, by: User, confirm_negative_g: bool = False) -> Plan:
    """The head approves a draft; the month's previously approved version becomes superseded. A draft whose G is
    negative (R + O above T) is approved only with `confirm_negative_g`: else a field error and nothing written."""
    if not by.is_head:
        raise PermissionDenied(_("Only the sales head approves plans."))
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == Plan.Status.APPROVED:
        return plan
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError({"status": [_("This version was replaced by a newer one; approve the latest draft.")]})
    if plan.active_gap < 0 and not confirm_negative_g:
        message = _(
            "G = %(g)s is negative (R = %(r)s, A = %(a)s, O = %(o)s, T = %(t)s): confirm it to approve the plan."
        ) % negative_gap_figures(plan)
        raise ValidationError({"confirm_negative_g": [message]})
    now = timezone.now()
    Plan.objects.filter(manager_id=plan.manager_id, month=plan.month, status=Plan.Status.APPROVED).update(
        status=Plan.Status.SUPERSEDED, updated_at=now
    )
    plan.status = Plan.Status.APPROVED
    plan.approved_by = by
    plan.approved_at = now
    before = {"status": Plan.Status.DRAFT}
    plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    changelog_record(obj=plan, by=by, action=ChangeLog.Action.UPDATE, before=before)
    return plan


@transaction.atomic
def plans_draft_for(*, month: date) -> dict[str, int]:
    """A draft for every active seller without a plan for `month`: one history query, bulk inserts."""
    month = month_start(month)
    numbers = plan_numbers()
    months = window_months(month, numbers.window_months)
    planned = Plan.objects.filter(month=month).values("manager_id")
    manager_ids = list(User.objects.sellers().exclude(pk__in=planned).order_by("pk").values_list("pk", flat=True))
    if not manager_ids:
        return {"drafted": 0, "lines": 0}
    previous = dict(
        Plan.objects.filter(
            manager_id__in=manager_ids, month=month_shift(month, -1), status=Plan.Status.APPROVED
        ).values_list("manager_id", "target")
    )
    rows_by_manager: dict[int, list[tuple[int, date, Decimal]]] = defaultdict(list)
    for manager_id, client_id, m, amount in plan_history_rows(
        manager_ids=manager_ids, start=months[0], end=window_bounds(month)[1], owned_on=month
    ):
        rows_by_manager[manager_id].append((client_id, m, amount))
    plans: list[Plan] = []
    figures_of: list[PlanFigures] = []
    for manager_id in manager_ids:
        rows = rows_by_manager.get(manager_id, [])
        previous_target = previous.get(manager_id)
        average = window_average(rows, numbers=numbers) if previous_target is None else ZERO
        target = draft_target(previous_target=previous_target, average_monthly=average)
        figures = compute_plan(
            rows,
            months=months,
            target=target,
            one_off_share=numbers.one_off_share_min,
            active_existing_share=numbers.existing_share_min,
            numbers=numbers,
        )
        plan = build_plan(
            manager_id=manager_id, month=month, version=1, figures=figures, by=None, window=numbers.window_months
        )
        plans.append(plan)
        figures_of.append(figures)
    Plan.objects.bulk_create(plans)
    pairs = zip(plans, figures_of, strict=True)
    lines = plan_lines_write((plan.pk, line) for plan, figures in pairs for line in figures.lines)
    plan_type = ContentType.objects.get_for_model(Plan)
    ChangeLog.objects.bulk_create(
        ChangeLog(
            content_type=plan_type,
            object_id=plan.pk,
            action=ChangeLog.Action.CREATE,
            changes={"month": [None, str(plan.month)], "target": [None, str(plan.target)], "status": [None, "draft"]},
            by=None,
        )
        for plan in plans
    )
    return {"drafted": len(plans), "lines": lines}


def plan_lines_write(lines: Iterable[tuple[int, LineFigures]]) -> int:
    """Write `(plan id, line)` pairs as plan lines, for one plan or a night's drafts: one COPY on PostgreSQL (17 000
    lines of a month's drafts at 100 000 clients, no model objects), bulk inserts elsewhere. Returns how many."""
    table = PlanLine._meta.db_table
    columns = "plan_id, client_id, months_with_purchases, window_total, monthly, plan_amount"
    written = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for plan_id, line in lines:
                monthly = json.dumps([str(v) for v in line.monthly])
                row = (plan_id, line.client_id, line.months_with_purchases, line.window_total, monthly, line.plan)
                copy.write_row(row)
                written += 1
        return written
    rows = [
        PlanLine(
            plan_id=plan_id,
            client_id=line.client_id,
            months_with_purchases=line.months_with_purchases,
            window_total=line.window_total,
            monthly=[str(v) for v in line.monthly],
            plan_amount=line.plan,
        )
        for plan_id, line in lines
    ]
    PlanLine.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
