"""Reads for pay: whose pay a user may see, the month's plan, scheme, KPI results and paid sales, in a fixed
number of queries, fed to the rule in planning.services.pay."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from core.calendar import month_bounds
from crm.models import DepartmentSettings, SaleLine, User
from crm.selectors.calendar import work_calendar
from planning.models import PAY_ROLES, KpiResult, PayScheme, Plan
from planning.rules.pay import KpiLine, PayLimits, PayOutlook, Threshold, pay_outlook


def pay_managers(viewer: User) -> QuerySet[User]:
    """Whose pay `viewer` may open: a manager only his own, a team lead his team's (to read), the head anyone's."""
    sellers = User.objects.filter(role__in=PAY_ROLES).order_by("last_name", "first_name", "username")
    if viewer.sees_everything:
        return sellers
    if viewer.is_team_lead and viewer.team_id:
        return sellers.filter(Q(pk=viewer.pk) | Q(team_id=viewer.team_id))
    if viewer.is_seller:
        return sellers.filter(pk=viewer.pk)
    return sellers.none()


def current_plan(viewer: User, manager: User, month: date) -> Plan | None:
    """The month's approved plan: pay reads the T the head approved, never a draft."""
    first = month.replace(day=1)
    return (
        Plan.objects.visible_to(viewer)
        .filter(manager=manager, month=first, status=Plan.Status.APPROVED)
        .order_by("-version")
        .first()
    )


def paid_fact(viewer: User, manager: User, start: date, end: date) -> Decimal:
    """The manager's paid sales by the day the money came in (a sale counts when it is paid, seed [000])."""
    lines = SaleLine.objects.visible_to(viewer).paid().filter(manager=manager, paid_date__gte=start, paid_date__lte=end)
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


@dataclass(frozen=True)
class MonthPay:
    manager: User
    month: date
    today: date
    plan: Plan | None
    scheme: PayScheme | None
    outlook: PayOutlook | None
    message: str  # why a part is missing (no scheme, no plan); empty when everything is there

    @property
    def kpis(self) -> tuple[KpiLine, ...]:
        return self.outlook.kpis if self.outlook else ()

    @property
    def missing_kpi_results(self) -> bool:
        return any(k.achieved is None for k in self.kpis)

    @property
    def thresholds(self) -> list[Threshold]:
        if self.scheme is None:
            return []
        return [Threshold(t.fulfilment_percent, t.rate) for t in self.scheme.thresholds.all()]


def month_pay(*, viewer: User, manager: User, month: date, today: date) -> MonthPay:
    """`manager`'s pay for `month` as of `today` (6 queries whatever the number of sales, KPIs or thresholds)."""
    first, last = month_bounds(month)
    plan = current_plan(viewer, manager, first)
    scheme = PayScheme.objects.filter(role=manager.role).prefetch_related("kpis", "thresholds").first()
    if scheme is None:
        message = _("There is no pay scheme for the role “%(role)s” yet: the sales head sets it on the schemes page.")
        return MonthPay(manager, first, today, plan, None, None, message % {"role": manager.get_role_display()})
    achieved = dict(
        KpiResult.objects.filter(manager=manager, month=first, kpi__scheme=scheme).values_list("kpi_id", "achieved")
    )
    kpis = [KpiLine(k.name, k.weight, achieved.get(k.pk)) for k in scheme.kpis.all()]
    thresholds = [Threshold(t.fulfilment_percent, t.rate) for t in scheme.thresholds.all()]
    fact = paid_fact(viewer, manager, first, min(today, last)) if today >= first else Decimal("0.00")
    target = plan.target if plan is not None and plan.target > 0 else None
    outlook = pay_outlook(
        month=first,
        today=today,
        fact_so_far=fact,
        target=target,
        fixed=scheme.fixed,
        soft=scheme.soft,
        kpis=kpis,
        thresholds=thresholds,
        calendar=work_calendar(),
    )
    message = ""
    if plan is None:
        message = _(
            "There is no plan approved for this month yet, so there is no bonus to compute: fixed and soft parts only."
        )
    elif target is None:
        message = _("The plan for this month has no target yet, so there is no bonus to compute.")
    return MonthPay(manager, first, today, plan, scheme, outlook, message)


def my_day_pay(user: User, today: date) -> MonthPay | None:
    """The seller's own pay this month for My day; None for anyone else."""
    if not user.is_seller:
        return None
    return month_pay(viewer=user, manager=user, month=today, today=today)


def pay_limits(settings: DepartmentSettings | None = None) -> PayLimits:
    """The head's limits on a pay scheme's KPIs and thresholds."""
    s = settings or DepartmentSettings.current()
    return PayLimits(kpis_min=s.kpis_min, kpis_max=s.kpis_max, thresholds_max=s.thresholds_max)
