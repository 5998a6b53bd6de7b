"""The daily report of the problem register (seed 002 step 12): the work done today, the clients whose quality is
restored (confirmed today), the overdue problems."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from vip.models import Problem, ProblemEvent


@dataclass(frozen=True)
class DailyReport:
    day: date
    events: list[ProblemEvent]
    restored: list[Problem]
    overdue: list[Problem]


def daily_report(*, today: date, overdue_days: int) -> DailyReport:
    """Overdue: fixed but unconfirmed, or open / in work, for `overdue_days` or more days."""
    cutoff = today - timedelta(days=overdue_days)
    events = list(
        ProblemEvent.objects.filter(at__date=today)
        .select_related("problem", "problem__client", "by")
        .order_by("at", "id")
    )
    restored = list(
        Problem.objects.filter(status=Problem.Status.CLOSED, closed_at__date=today)
        .select_related("client", "employee")
        .order_by("client__name", "id")
    )
    overdue = list(
        Problem.objects.filter(
            Q(status=Problem.Status.FIXED, fixed_at__date__lte=cutoff)
            | Q(status__in=[Problem.Status.OPEN, Problem.Status.IN_WORK], created_at__date__lte=cutoff)
        )
        .select_related("client", "employee")
        .order_by("created_at", "id")
    )
    return DailyReport(day=today, events=events, restored=restored, overdue=overdue)
