"""Shared makers of the contest tests."""

from datetime import date, datetime, time
from decimal import Decimal as D

from django.utils import timezone

from analytics.services.contests import contest_save
from tests.crm.factories import ClientFactory, SaleLineFactory
from vip.models import Questionnaire

NOV_1, NOV_30 = date(2026, 11, 1), date(2026, 11, 30)


def sold(manager, amount, day, *, paid=True, client=None):
    client = client or ClientFactory(owner=manager)
    return SaleLineFactory(
        client=client, manager=manager, amount=D(amount), date=day, is_paid=paid, paid_date=day if paid else None
    )


def completed(employee, template, day, *, status=Questionnaire.Status.COMPLETE):
    return Questionnaire.objects.create(
        client=ClientFactory(owner=employee),
        employee=employee,
        template=template,
        meeting_date=day,
        status=status,
        completed_at=timezone.make_aware(datetime.combine(day, time(12, 0))) if status == "complete" else None,
    )


def make_contest(
    head, people, *, metric="paid_sales", quotas=None, start=NOV_1, end=NOV_30, name="Ноябрь", default="auto"
):
    """A contest of `people`; a metric other than % of plan gives 100 000 to whoever `quotas` leaves out."""
    quotas = quotas or {}
    if default == "auto":
        default = None if metric == "plan" else "100000"
    return contest_save(
        by=head,
        name=name,
        metric=metric,
        start=start,
        end=end,
        prizes="1 место: 30 000 ₽",
        entries=[(p, D(quotas[p.pk]) if p.pk in quotas else (D(default) if default else None)) for p in people],
    )
