"""Planning's factories: plans and pay schemes (clients, users and sales come from tests/crm/factories.py)."""

from datetime import date
from decimal import Decimal

import factory

from crm.models import Role
from planning.models import KpiResult, PayKpi, PayScheme, PayThreshold, Plan
from tests.crm.factories import ClientFactory, SaleLineFactory, UserFactory

D = Decimal
NOV = date(2026, 11, 1)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    manager = factory.SubFactory(UserFactory)
    month = NOV
    version = 1
    status = Plan.Status.APPROVED
    target = D("100000")
    window_start = date(2026, 7, 1)
    window_end = date(2026, 10, 31)


class PaySchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayScheme

    role = Role.MANAGER
    fixed = D("30000")
    soft = D("20000")


def make_scheme(
    role=Role.MANAGER, *, fixed="30000", soft="20000", kpis=(("Calls", 50), ("New clients", 30), ("Debts", 20))
):
    """A scheme with its KPIs and the 80/90/100 % thresholds at 3/4/5 %."""
    scheme = PaySchemeFactory(role=role, fixed=D(fixed), soft=D(soft))
    for name, weight in kpis:
        PayKpi.objects.create(scheme=scheme, name=name, weight=weight)
    for percent, rate in ((80, "3"), (90, "4"), (100, "5")):
        PayThreshold.objects.create(scheme=scheme, fulfilment_percent=percent, rate=D(rate))
    return scheme


def make_plan(manager, target, *, month=NOV, status=Plan.Status.APPROVED, version=1):
    return PlanFactory(manager=manager, month=month, version=version, status=status, target=D(target))


def paid(manager, amount, paid_date, *, sold=None):
    """A paid sale of a new client of `manager`."""
    client = ClientFactory(owner=manager)
    return SaleLineFactory(
        client=client, manager=manager, amount=D(amount), date=sold or paid_date, is_paid=True, paid_date=paid_date
    )


def set_results(manager, scheme, *achieved, month=NOV):
    for kpi, value in zip(scheme.kpis.order_by("id"), achieved, strict=True):
        KpiResult.objects.create(manager=manager, month=month, kpi=kpi, achieved=value)
