"""The monthly Pareto job over the database: revenue of the 12 full months, the last complete meeting, next due."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salesdept.nightly import JOBS_BY_NAME
from tests.crm.factories import ClientFactory, SaleLineFactory
from vip.models import ProgrammeClient, Questionnaire
from vip.nightly import vip_frequencies_refresh
from vip.services.frequency import frequencies_refresh

AS_OF = date(2026, 12, 1)  # the window: 2025-12-01 .. 2026-11-30

pytestmark = pytest.mark.django_db


@pytest.fixture
def vip_settings(settings):
    settings.VIP_KEY_REVENUE_SHARE = 80
    settings.VIP_MONTHLY_TOP_N = 1
    settings.VIP_MONTHLY_TOP_PERCENT = 0
    return settings


def entry(manager, vip_head, name, sales):
    client = ClientFactory(owner=manager, name=name)
    for day, amount in sales:
        SaleLineFactory(client=client, date=day, amount=Decimal(amount))
    return ProgrammeClient.objects.create(client=client, added_by=vip_head, assigned_to=manager)


def met(entry, template, manager, day, status=Questionnaire.Status.COMPLETE):
    return Questionnaire.objects.create(
        client=entry.client,
        employee=manager,
        template=template,
        meeting_date=day,
        status=status,
        paused_at_section="quality" if status == Questionnaire.Status.PAUSED else "",
    )


@pytest.mark.parametrize(
    ("sales", "tier", "revenue"),
    [
        # a: 500 000 inside the window (one line on each edge), 999 999 outside it (before and in the as-of month).
        ("a", "monthly", Decimal("500000")),
        ("b", "quarterly", Decimal("300000")),  # 500 + 300 = 800 of 1 000 (thousand): b ends at 80 %
        ("c", "yearly", Decimal("150000")),  # 80 % before it: not key
        ("d", "yearly", Decimal("50000")),
    ],
)
def test_tiers_from_the_window(vip_settings, manager, vip_head, template, sales, tier, revenue):
    entries = {
        "a": entry(
            manager,
            vip_head,
            "A",
            [
                (date(2025, 12, 1), 200000),
                (date(2026, 11, 30), 300000),
                (date(2025, 11, 30), 999999),
                (date(2026, 12, 1), 999999),
            ],
        ),
        "b": entry(manager, vip_head, "B", [(date(2026, 6, 1), 300000)]),
        "c": entry(manager, vip_head, "C", [(date(2026, 3, 1), 150000)]),
        "d": entry(manager, vip_head, "D", [(date(2026, 3, 1), 50000)]),
    }
    counts = frequencies_refresh(as_of=AS_OF)
    assert counts == {"monthly": 1, "quarterly": 1, "yearly": 2, "overdue": 0}
    found = ProgrammeClient.objects.get(pk=entries[sales].pk)
    assert (found.tier, found.revenue_12m, found.tiered_on) == (tier, revenue, AS_OF)


@pytest.mark.parametrize(
    ("meetings", "expected_due"),
    [
        ([], AS_OF),  # never met: due now
        ([(date(2026, 10, 15), "complete")], date(2027, 1, 15)),  # quarterly: + 3 months
        ([(date(2026, 7, 31), "complete"), (date(2026, 5, 1), "complete")], date(2026, 10, 31)),  # the last one
        ([(date(2026, 7, 31), "complete"), (date(2026, 11, 20), "paused")], date(2026, 10, 31)),  # not complete
        ([(date(2026, 11, 20), "draft")], AS_OF),
    ],
)
def test_next_due_from_the_last_complete_meeting(vip_settings, manager, vip_head, template, meetings, expected_due):
    vip_settings.VIP_MONTHLY_TOP_N = 0  # the only client with revenue is key, met quarterly
    one = entry(manager, vip_head, "A", [(date(2026, 6, 1), 1000)])
    for day, status in meetings:
        met(one, template, manager, day, status)
    counts = frequencies_refresh(as_of=AS_OF)
    one.refresh_from_db()
    assert (one.tier, one.next_due) == ("quarterly", expected_due)
    assert counts["overdue"] == (1 if expected_due < AS_OF else 0)


def test_overdue_counted(vip_settings, manager, vip_head, template):
    one = entry(manager, vip_head, "A", [(date(2026, 6, 1), 1000)])  # monthly (top 1)
    met(one, template, manager, date(2026, 10, 15))  # + 1 month = 2026-11-15 < 2026-12-01
    assert frequencies_refresh(as_of=AS_OF)["overdue"] == 1


def test_constant_queries(vip_settings, manager, vip_head, template):
    entry(manager, vip_head, "A", [(date(2026, 6, 1), 1000)])
    with CaptureQueriesContext(connection) as one:
        frequencies_refresh(as_of=AS_OF)
    for n in range(8):
        e = entry(manager, vip_head, f"B{n}", [(date(2026, 6, 1), 100 + n), (date(2026, 7, 1), 5)])
        met(e, template, manager, date(2026, 9, 1))
    with CaptureQueriesContext(connection) as many:
        frequencies_refresh(as_of=AS_OF)
    assert len(many) == len(one)


def test_the_nightly_job_is_monthly(vip_settings, manager, vip_head):
    assert JOBS_BY_NAME["vip_frequencies_refresh"].monthly
    one = entry(manager, vip_head, "A", [(date(2026, 6, 1), 1000)])
    assert vip_frequencies_refresh(date(2026, 12, 2), monthly=False) == {"skipped": 1}
    one.refresh_from_db()
    assert one.tiered_on is None
    assert vip_frequencies_refresh(date(2026, 12, 2), monthly=True)["monthly"] == 1
    one.refresh_from_db()
    assert one.tiered_on == date(2026, 12, 2)


def test_the_demo_programme_has_tiers_and_due_dates():
    from crm.demo.generator import generate
    from vip.demo import programme_seed

    generate(clients=60, managers=3, deals=10, months=14, as_of=date(2026, 6, 30), teams=1, products=10)
    programme_seed(as_of=date(2026, 6, 30))
    tiers = set(ProgrammeClient.objects.values_list("tier", flat=True))
    assert {"monthly", "quarterly"} <= tiers
    assert not ProgrammeClient.objects.filter(next_due__isnull=True).exists()
    assert ProgrammeClient.objects.filter(revenue_12m__gt=0).exists()
